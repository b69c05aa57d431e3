// Fuzz target for the euicc card type with two installed profiles (our demo UPP through
// saip::install, one enabled): APDUs reach the ISD-R, the ES10 functions and the presented USIM.
// Input: frames of a 2-byte big-endian length and that many bytes (the vpcd framing); a 1-byte
// frame is an event (00 power off, 01 power on, 02 reset, 03 save the image and load it again).
// Invariants: every answer has a status word and at most 65536 data bytes; at most one profile is
// enabled; the final image round-trips exactly through a fresh card.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;

namespace {

const EuiccIdentity& identity() {
    static const EuiccIdentity id = EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist");
    return id;
}

// The card of every input: two demo profiles (ICCIDs ...120 and ...138), the first enabled.
const nlohmann::json& startImage() {
    static const nlohmann::json image = [] {
        EuiccCard card(identity());
        for (const char* iccid : {"8900101234567890120", "8900101234567890138"}) {
            saip::DemoProfileOptions o;
            o.iccid = iccid;
            saip::InstalledProfile installed = saip::install(saip::demoProfile(o));
            InstalledProfile p;
            p.isdpAid = card.store().allocateIsdpAid();
            p.metadata.iccid = installed.iccid;
            p.metadata.profileName = installed.profileType;
            p.metadata.notificationConfigurationInfo = fromHex("3016800204708110736D64702E6578616D706C652E636F6D");
            p.usim = std::shared_ptr<vicc::Card>(std::move(installed.usim));
            card.store().install(std::move(p));
        }
        card.store().profiles()[0].enabled = true;
        return card.saveState();
    }();
    return image;
}

std::unique_ptr<EuiccCard> newCard() {
    auto card = std::make_unique<EuiccCard>(identity());
    card->loadState(startImage());
    return card;
}

std::size_t enabledCount(EuiccCard& card) {
    std::size_t n = 0;
    for (const auto& p : card.store().profiles()) n += p.enabled;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto card = newCard();
    card->powerOn();
    std::size_t off = 0, commands = 0;
    while (off < size && commands++ < 512) {
        std::size_t len = size - off;
        if (len >= 2) {
            len = std::min<std::size_t>(static_cast<std::size_t>(data[off] << 8 | data[off + 1]), size - off - 2);
            off += 2;
        } else {
            len = 1;
        }
        const ByteView frame(data + off, len);
        off += len;
        if (len == 1) {
            switch (frame[0]) {
            case 0x00: card->powerOff(); break;
            case 0x01: card->powerOn(); break;
            case 0x02: card->reset(); break;
            case 0x03: card->loadState(card->saveState()); break;
            default: FUZZ_ASSERT(card->process(frame).size() == 2); break;
            }
            continue;
        }
        const Bytes response = card->process(frame);
        FUZZ_ASSERT(response.size() >= 2 && response.size() <= 65536 + 2);
        FUZZ_ASSERT(enabledCount(*card) <= 1);
    }
    const auto image = card->saveState();
    EuiccCard other(identity());
    other.loadState(image);
    FUZZ_ASSERT(other.saveState() == image);
    return 0;
}
