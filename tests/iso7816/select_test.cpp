// SELECT, ISO 7816-4 §11.2.2: every P1, P2 response form and error path.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

namespace {
const std::string kMfFci = "6F 0A 82 01 38 83 02 3F 00 8A 01 05";
const std::string kEf1001Fcp = "62 12 82 02 01 21 83 02 10 01 80 02 00 10 88 01 08 8A 01 05";
const std::string kDf1000Fci = "6F 12 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 01 8A 01 05";
}  // namespace

TEST_CASE("SELECT MF with FCI (00 A4 00 00 02 3F 00 00) answers an FCI", "[select]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 A4 00 00 02 3F 00 00") == kMfFci + " 90 00");
    CHECK(tx(*card, "00 A4 00 04 02 3F 00 00") == "62 0A 82 01 38 83 02 3F 00 8A 01 05 90 00");
    CHECK(tx(*card, "00 A4 00 08 02 3F 00 00") == "64 00 90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 A4 00 0C") == "90 00");  // empty data: the MF
}

TEST_CASE("SELECT with FCI but without Le answers 61xx, GET RESPONSE fetches it", "[select][response]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 A4 00 00 02 3F 00") == "61 0C");
    CHECK(tx(*card, "00 C0 00 00 0C") == kMfFci + " 90 00");
    CHECK(tx(*card, "00 C0 00 00 0C") == "69 85");  // nothing left
}

TEST_CASE("SELECT P1 = 00 searches MF, current DF, children, parent and siblings", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");     // child DF
    CHECK(tx(*card, "00 A4 00 04 02 10 01 00") == kEf1001Fcp + " 90 00");  // child EF
    CHECK(tx(*card, "00 A4 00 0C 02 2F 00") == "90 00");     // EF in the parent DF
    CHECK(tx(*card, "00 A4 00 0C 02 20 00") == "90 00");     // child DF of the (new) current DF, the MF
    CHECK(tx(*card, "00 A4 00 0C 02 10 01") == "6A 82");     // not reachable from DF 2000
    CHECK(tx(*card, "00 A4 00 0C 02 12 34") == "6A 82");
    CHECK(tx(*card, "00 A4 00 0C 01 3F") == "6A 87");
    CHECK(tx(*card, "00 A4 00 0C 03 3F 00 00") == "6A 87");
}

TEST_CASE("SELECT P1 = 01 child DF, 02 EF, 03 parent", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 01 0C 02 2F 00") == "6A 82");  // an EF is not a DF
    CHECK(tx(*card, "00 A4 01 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 A4 02 0C 02 10 00") == "6A 82");  // 1000 is the current DF, not an EF in it
    CHECK(tx(*card, "00 A4 02 04 02 10 01 00") == kEf1001Fcp + " 90 00");
    CHECK(tx(*card, "00 A4 03 0C 02 10 00") == "6A 87");
    CHECK(tx(*card, "00 A4 03 0C") == "90 00");          // parent of DF 1000: MF
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "6A 82");  // 1001 is not in the MF
    CHECK(tx(*card, "00 A4 03 0C") == "6A 82");          // the MF has no parent
    CHECK(tx(*card, "00 A4 01 0C 01 10") == "6A 87");
}

TEST_CASE("SELECT P1 = 04 by DF name: full, truncated, first/next/last/previous", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 04 00 06 A0 00 00 00 01 01 00") == kDf1000Fci + " 90 00");
    CHECK(tx(*card, "00 A4 04 0C 05 A0 00 00 00 01") == "90 00");  // first: 1000
    CHECK(tx(*card, "00 A4 04 0C 05 A0 00 00 00 01") == "90 00");
    CHECK(tx(*card, "00 A4 04 0E 05 A0 00 00 00 01") == "90 00");  // next: 2000
    CHECK(tx(*card, "00 A4 04 0E 05 A0 00 00 00 01") == "6A 82");  // no further occurrence
    CHECK(tx(*card, "00 A4 04 0F 05 A0 00 00 00 01") == "90 00");  // previous: 1000
    CHECK(tx(*card, "00 A4 04 0F 05 A0 00 00 00 01") == "6A 82");
    CHECK(tx(*card, "00 A4 04 0D 05 A0 00 00 00 01") == "90 00");  // last: 2000
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "6A 82");          // current DF is 2000
    CHECK(tx(*card, "00 A4 04 0C 02 B0 00") == "6A 82");
    CHECK(tx(*card, "00 A4 04 0C") == "6A 87");
    CHECK(tx(*card, "00 A4 04 0C 11 A0 00 00 00 01 01 00 00 00 00 00 00 00 00 00 00 00") == "6A 87");
}

TEST_CASE("SELECT P1 = 08 path from MF, 09 path from current DF", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 08 04 04 10 00 10 01 00") == kEf1001Fcp + " 90 00");
    CHECK(tx(*card, "00 A4 08 0C 06 3F 00 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 A4 08 0C 03 10 00 10") == "6A 87");
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 99 99") == "6A 82");
    CHECK(tx(*card, "00 A4 08 0C 04 2F 00 10 01") == "6A 82");  // through an EF
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 A4 09 04 02 10 01 00") == kEf1001Fcp + " 90 00");
    CHECK(tx(*card, "00 A4 09 0C 02 20 00") == "6A 82");  // relative to DF 1000
    CHECK(tx(*card, "00 A4 09 0C") == "6A 87");
}

TEST_CASE("SELECT rejects other P1/P2 codings", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 05 0C 02 3F 00") == "6A 86");
    CHECK(tx(*card, "00 A4 00 1C 02 3F 00") == "6A 86");
    CHECK(tx(*card, "00 A4 00 02 02 3F 00") == "6A 86");  // occurrence only with P1 = 04
}

TEST_CASE("SELECT of a record EF reports structure, record size and count", "[select]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 08 04 04 10 00 10 02 00") ==
          "62 15 82 05 02 21 00 04 03 83 02 10 02 80 02 00 0C 88 01 10 8A 01 05 90 00");
}
