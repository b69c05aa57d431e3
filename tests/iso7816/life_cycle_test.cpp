// ACTIVATE / DEACTIVATE FILE, TERMINATE DF / EF (ISO 7816-9 §6.3-6.6, ISO 7816-4 §7.4.10).
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

TEST_CASE("DEACTIVATE and ACTIVATE FILE", "[lifecycle]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 04 00 00 02 10 01") == "90 00");
    CHECK(tx(*card, "00 A4 02 04 02 10 01 00") == "62 12 82 02 01 21 83 02 10 01 80 02 00 10 88 01 08 8A 01 04 62 83");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 85");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 85");
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "62 83");
    CHECK(tx(*card, "00 44 00 00") == "90 00");  // the current EF
    CHECK(tx(*card, "00 B0 00 00 01") == "00 90 00");
    CHECK(tx(*card, "00 44 00 00 02 99 99") == "6A 82");
    CHECK(tx(*card, "00 44 01 00") == "6A 86");
    CHECK(tx(*card, "00 04 00 00 01 10") == "6A 87");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 04 00 00 02 10 00") == "90 00");  // a DF
    CHECK(tx(*card, "00 A4 00 00 02 10 00 00") == "6F 12 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 01 8A 01 04 62 83");
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 01 83 02 10 05") == "69 85");  // no creation in it
    CHECK(tx(*card, "00 44 00 00") == "90 00");  // current DF
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 01 83 02 10 05") == "90 00");
}

TEST_CASE("TERMINATE EF and TERMINATE DF are irreversible", "[lifecycle]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 E8 00 00") == "69 86");  // no current EF
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 E6 00 00 02 10 01") == "69 81");  // TERMINATE DF of an EF
    CHECK(tx(*card, "00 E8 00 00") == "90 00");
    CHECK(tx(*card, "00 E8 00 00") == "69 85");
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "62 85");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 85");
    CHECK(tx(*card, "00 44 00 00") == "69 85");
    CHECK(tx(*card, "00 04 00 00") == "69 85");
    CHECK(tx(*card, "00 E8 00 00 02 10 00") == "6A 82");
    CHECK(tx(*card, "00 A4 03 0C") == "90 00");
    CHECK(tx(*card, "00 E8 00 00 02 10 00") == "69 81");  // TERMINATE EF of a DF
    CHECK(tx(*card, "00 E6 00 00 02 10 00") == "90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "62 85");
    CHECK(tx(*card, "00 E6 00 00") == "69 85");
    CHECK(tx(*card, "00 E6 01 00") == "6A 86");
    CHECK(tx(*card, "00 E4 00 00") == "90 00");  // a terminated DF can still be deleted
}

// ISO 7816-9 §6.5, ISO 7816-4 §7.4.10: the life cycle of a DF governs everything below it.
TEST_CASE("files inside a terminated DF are unusable except for DELETE FILE", "[lifecycle]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 E6 00 00") == "90 00");
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "62 85");
    CHECK(tx(*card, "00 A4 02 04 02 10 01 00") == "62 12 82 02 01 21 83 02 10 01 80 02 00 10 88 01 08 8A 01 05 62 85");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 85");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 85");
    CHECK(tx(*card, "00 0E 00 00") == "69 85");
    CHECK(tx(*card, "00 B2 01 14 00") == "69 85");  // record EF 1002 by SFI 2
    CHECK(tx(*card, "00 DC 01 14 04 01 02 03 04") == "69 85");
    CHECK(tx(*card, "00 04 00 00") == "69 85");
    CHECK(tx(*card, "00 44 00 00") == "69 85");
    CHECK(tx(*card, "00 E8 00 00") == "69 85");
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "62 85");
    CHECK(tx(*card, "00 A4 09 0C 02 10 02") == "62 85");
    CHECK(tx(*card, "00 E0 00 00 0C 62 0A 82 01 01 83 02 10 05 80 01 02") == "69 85");
    CHECK(tx(*card, "00 E4 00 00 02 10 01") == "90 00");  // deletion stays possible
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "6A 82");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 2F 00") == "90 00");  // a sibling of the DF is not affected
    CHECK(tx(*card, "00 B0 00 00 01") == "00 90 00");
    CHECK(tx(*card, "00 E4 00 00 02 10 00") == "90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "6A 82");
}

TEST_CASE("files inside a deactivated DF follow it until it is activated", "[lifecycle]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 04 00 00 02 10 00") == "90 00");
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "62 83");
    CHECK(tx(*card, "00 A4 08 04 04 10 00 10 01 00") == "62 12 82 02 01 21 83 02 10 01 80 02 00 10 88 01 08 8A 01 05 62 83");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 85");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 85");
    CHECK(tx(*card, "00 44 00 00") == "69 85");  // only the DF itself can be activated
    CHECK(tx(*card, "00 04 00 00") == "69 85");
    CHECK(tx(*card, "00 E8 00 00") == "69 85");
    CHECK(tx(*card, "00 B2 01 14 00") == "69 85");
    CHECK(tx(*card, "00 A4 03 0C") == "90 00");  // the MF, above the deactivated DF
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "62 83");
    CHECK(tx(*card, "00 E4 00 00 02 10 02") == "90 00");  // deletion stays possible
    CHECK(tx(*card, "00 A4 03 0C") == "90 00");
    CHECK(tx(*card, "00 44 00 00 02 10 00") == "90 00");  // ACTIVATE the DF: its files follow
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "00 90 00");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "90 00");
    CHECK(tx(*card, "00 A4 02 0C 02 10 02") == "6A 82");
}
