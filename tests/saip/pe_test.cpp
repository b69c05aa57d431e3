// The package split into ProfileElements and the header's ICCID, over every TS.48 file and over
// malformed packages.
#include <catch2/catch.hpp>

#include "tests/lib/tap_skip.hpp"
#include "tests/saip/ts48.hpp"
#include "vicc/euicc/saip/pe.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::saip;
using vpcsc::saip::test::ts48;

namespace {

// The ICCIDs of the TS.48 files: the 83 0A value of the first (header) PE, read with
// `openssl asn1parse -inform DER -i -in F` (offset 42, cont [3], 10 bytes), which carries the
// readable order 89 49 44 ...; iccidOf() gives it as EF.ICCID codes it (each byte's nibbles swapped),
// which is also what the mf PE's ef-iccid fillFileContent holds.
struct Ts48Iccid {
    const char* file;
    const char* iccid;
};
const Ts48Iccid kTs48Iccids[] = {
    {"TS48V1-A-UNIQUE.der", "989444999999990920F3"},
    {"TS48V1-B-UNIQUE.der", "989444999999990930F1"},
    {"TS48V2-SAIP2-1-BERTLV-UNIQUE.der", "989444999999990940F9"},
    {"TS48V3-SAIP2-3-NOBERTLV-UNIQUE.der", "989444999999990990F8"},
    {"TS48V4-SAIP2-1A-NOBERTLV-UNIQUE.der", "989444999999990901F6"},
    {"TS48V4-SAIP2-3-BERTLV-UNIQUE.der", "989444999999990921F2"},
    {"TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der", "989444999999990941F8"},
    {"TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der", "989444999999990961F3"},
};

}  // namespace

TEST_CASE("iccidOf: the header PE's ICCID of every TS.48 profile", "[saip][ts48]") {
    if (!vpcsc::saip::test::haveTs48()) {
        VPCSC_SKIP("TS.48 data directory absent (" << vpcsc::saip::test::ts48Dir() << "): skipped");
        return;
    }
    for (const auto& t : kTs48Iccids) {
        INFO(t.file);
        const Bytes upp = ts48(t.file);
        REQUIRE(!upp.empty());
        CHECK(toHex(iccidOf(upp), 0) == t.iccid);
    }
}

TEST_CASE("splitPes: a TS.48 package is header first, end last", "[saip][ts48]") {
    const Bytes upp = ts48("TS48V2-SAIP2-1-BERTLV-UNIQUE.der");
    if (upp.empty()) {
        VPCSC_SKIP("TS.48 data absent: skipped");
        return;
    }
    const auto pes = splitPes(upp);
    REQUIRE(pes.size() > 5);
    CHECK(pes[0].kind == 0);
    CHECK(pes[1].kind == static_cast<unsigned>(PeKind::Mf));   // B0 at offset 140
    CHECK(pes[1].tlv.raw.size() == 4 + 759);
    CHECK(pes[2].kind == static_cast<unsigned>(PeKind::PukCodes));  // A3 at offset 903
    CHECK(pes.back().kind == static_cast<unsigned>(PeKind::End));
    const auto h = decodeHeader(pes[0]);
    CHECK(h.majorVersion == 2);
    CHECK(h.minorVersion == 1);
    CHECK(h.profileType == "GSMA Generic eUICC Test Profile");
}

TEST_CASE("iccidOf: malformed packages are SaipError", "[saip]") {
    // A minimal header: major 2, minor 1, iccid, empty mandated services and GFSTE list.
    const Bytes header = fromHex("A0 14 80 01 02 81 01 01 83 0A 98 10 32 54 76 98 10 32 54 F6 A5 00 A6 00");
    CHECK(toHex(iccidOf(header), 0) == "981032547698103254F6");  // already EF coding: unchanged
    CHECK(toHex(iccidAsInEf(fromHex("8949449999999990023F")), 0) == "989444999999990920F3");
    auto bad = [](const Bytes& b, int reason) {
        try {
            iccidOf(b);
            FAIL("accepted " << toHex(b));
        } catch (const SaipError& e) {
            CHECK(e.reason == reason);
        }
    };
    bad({}, 1);                                                         // nothing
    bad(Bytes(header.begin(), header.end() - 1), 1);                    // truncated
    bad(fromHex("30 03 80 01 02"), 1);                                  // universal SEQUENCE, not [n]
    bad(fromHex("80 01 02"), 1);                                        // primitive [0]
    bad(fromHex("A0 84 FF FF FF FF 00"), 1);                            // absurd length
    bad(fromHex("B0 03 80 01 02"), 1);                                  // mf first, no header
    bad(fromHex("A0 03 80 01 02"), 12);                                 // header without iccid
    bad(fromHex("A0 0A 80 01 02 81 01 01 83 02 98 10"), 12);            // iccid not 10 bytes
    bad(fromHex("A0 12 80 01 07 81 01 01 83 0A 98 10 32 54 76 98 10 32 54 F6"), 12);  // version 7
}
