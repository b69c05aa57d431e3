// EF.ARR records (TS 102 221 §9.2.7) to compact security attributes: AM byte 7F then SC b7..b1
// (00 always, FF never, 11 PIN1, 12 PIN2, 1A ADM).
#include <catch2/catch.hpp>

#include "vicc/euicc/saip/arr.hpp"

using namespace vpcsc;
using vpcsc::euicc::saip::compactFromArrRecord;

namespace {
std::string c(const std::string& record) { return toHex(compactFromArrRecord(fromHex(record)), 0); }
}  // namespace

TEST_CASE("compactFromArrRecord", "[saip]") {
    // read PIN1; update, deactivate, activate, delete ADM1; write and terminate never named.
    CHECK(c("800101A406830101950108 80015AA40683010A950108 FFFF") == "7F1AFF1A1AFF1A11");
    // read always, update ADM1, terminate never (SAIP ARR 4 style: 80 01 1A 97 00 has b2,b4,b5).
    CHECK(c("8001019000 80011A9700 800140A40683010A950108") == "7F1AFFFFFFFFFF00");
    // PIN2 (81) for update; INCREASE (84 01 32) with PIN1 is b3.
    CHECK(c("800101A406830101950108 800102A406830181950108 840132A406830101950108") == "7FFFFFFFFF111211");
    // OR template: PIN1 or ADM1 -> PIN1; AND template: PIN1 and ADM1 -> ADM1.
    CHECK(c("800101A010A406830101950108A40683010A950108") == "7FFFFFFFFFFFFF11");
    CHECK(c("800101AF10A406830101950108A40683010A950108") == "7FFFFFFFFFFFFF1A");
    // Empty record: everything never.
    CHECK(c("FFFFFFFF") == "7FFFFFFFFFFFFFFF");
    CHECK_THROWS_AS(compactFromArrRecord(fromHex("8002")), ParseError);
    CHECK_THROWS_AS(compactFromArrRecord(fromHex("800201019000")), ParseError);
    CHECK_THROWS_AS(compactFromArrRecord(fromHex("800101A403830201")), ParseError);
}
