// GET DATA / PUT DATA, ISO 7816-4 §11.5.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

TEST_CASE("PUT DATA / GET DATA with a tag in P1-P2 (DA / CA)", "[data]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 DA 00 5E 03 41 42 43") == "90 00");
    CHECK(tx(*card, "00 CA 00 5E 00") == "41 42 43 90 00");
    CHECK(tx(*card, "00 DA 5F 50 02 68 69") == "90 00");
    CHECK(tx(*card, "00 CA 5F 50 00") == "68 69 90 00");
    CHECK(tx(*card, "00 CA 00 FF 00") == "5E 03 41 42 43 5F 50 02 68 69 90 00");
    CHECK(tx(*card, "00 DA 00 5E 01 44") == "90 00");  // replaces
    CHECK(tx(*card, "00 CA 00 5E 00") == "44 90 00");
    CHECK(tx(*card, "00 DA 00 5E") == "90 00");         // empty value deletes
    CHECK(tx(*card, "00 CA 00 5E 00") == "6A 88");
    CHECK(tx(*card, "00 CA 00 66 00") == "6A 88");
    CHECK(tx(*card, "00 CA 01 01 00") == "6A 88");      // proprietary identifier
    CHECK(tx(*card, "00 CA 00 01 00") == "6A 86");
    CHECK(tx(*card, "00 CA 5F 80 00") == "6A 86");      // not a valid BER-TLV tag
    CHECK(tx(*card, "00 CA 00 5E 01 00 00") == "67 00");
    CHECK(tx(*card, "00 DA 00 01 01 00") == "6A 86");
}

TEST_CASE("PUT DATA / GET DATA odd INS (DB / CB) with tag lists", "[data]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 DB 3F FF 06 C1 01 11 C2 01 22") == "90 00");
    CHECK(tx(*card, "00 CA 00 C1 00") == "11 90 00");
    CHECK(tx(*card, "00 CB 3F FF 03 5C 01 C2 00") == "C2 01 22 90 00");
    CHECK(tx(*card, "00 CB 3F FF 04 5C 02 C2 C1 00") == "C1 01 11 C2 01 22 90 00");
    CHECK(tx(*card, "00 CB 3F FF 02 5C 00 00") == "C1 01 11 C2 01 22 90 00");
    CHECK(tx(*card, "00 CB 3F FF 03 5C 01 C3 00") == "6A 88");
    CHECK(tx(*card, "00 CB 3F FF 02 5D 00 00") == "6A 80");
    CHECK(tx(*card, "00 CB 3F FF 02 5C 05 00") == "6A 80");
    CHECK(tx(*card, "00 DB 3F FF 02 C1 05") == "6A 80");
    CHECK(tx(*card, "00 DB 3F FF") == "67 00");
    CHECK(tx(*card, "00 DA 00 FF 03 C3 01 33") == "90 00");  // 00FF: BER-TLV data field
    CHECK(tx(*card, "00 CA 00 C3 00") == "33 90 00");
}

TEST_CASE("data objects of a BER-TLV EF", "[data]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 39 83 02 50 01") == "90 00");  // current EF
    CHECK(tx(*card, "00 DA 5F 20 02 4A 4B") == "90 00");
    CHECK(tx(*card, "00 CA 5F 20 00") == "4A 4B 90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 CA 5F 20 00") == "6A 88");  // not in the MF
    CHECK(tx(*card, "00 CB 50 01 04 5C 02 5F 20 00") == "5F 20 02 4A 4B 90 00");
    CHECK(tx(*card, "00 DB 50 01 03 C4 01 44") == "90 00");
    CHECK(tx(*card, "00 CB 00 00 03 5C 01 C4 00") == "C4 01 44 90 00");  // 5001 is current now
    CHECK(tx(*card, "00 E0 00 00 0C 62 0A 82 01 01 83 02 50 02 80 01 04") == "90 00");
    CHECK(tx(*card, "00 CB 50 02 02 5C 00 00") == "69 81");  // transparent EF
    CHECK(tx(*card, "00 DB 50 02 03 C4 01 44") == "69 81");
    CHECK(tx(*card, "00 CB 50 09 02 5C 00 00") == "6A 82");
}
