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

#include "tests/lib/card_fuzz.hpp"
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
    test::runCardFuzz(data, size, newCard, 512, 65536, [](EuiccCard& card) { return enabledCount(card) <= 1; });
    return 0;
}
