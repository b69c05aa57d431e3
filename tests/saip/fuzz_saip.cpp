// libFuzzer harness for the SAIP installer (vicc/euicc/saip): the input is a UPP. Invariants:
// install() and iccidOf() fail only with SaipError; an installed profile's iccid is iccidOf()'s;
// its card answers APDUs without throwing, and its saved image restores to a card whose image is
// the same (what the eUICC's profile store relies on across restarts).
#include <cstddef>
#include <cstdint>
#include <optional>

#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::saip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    std::optional<Bytes> iccid;
    try {
        iccid = iccidOf(in);
        FUZZ_ASSERT(iccid->size() == 10);
    } catch (const SaipError&) {
    }
    InstalledProfile p;
    try {
        p = install(in);
    } catch (const SaipError& e) {
        FUZZ_ASSERT(e.reason > 0 && e.reason < 128);
        return 0;
    }
    FUZZ_ASSERT(p.usim);
    FUZZ_ASSERT(iccid && *iccid == p.iccid);
    vicc::Card& card = *p.usim;
    card.powerOn();
    static const char* const apdus[] = {
        "00A4000C022FE2", "00B000000A", "00A4000C022F00", "00B2010400", "00A4040C0CA0000000871002FF49FF0589",
        "00A4000C026F07", "0020000108 31323334FFFFFFFF", "00B0000009", "00A40004026F06", "00B2010400",
        "80F2000000",
    };
    for (const char* a : apdus) {
        const Bytes r = card.process(fromHex(a));
        FUZZ_ASSERT(r.size() >= 2);
    }
    const auto image = card.saveState();
    const auto back = restore(image);
    FUZZ_ASSERT(back->saveState() == image);
    return 0;
}
