// MANAGE CHANNEL and per-channel state, ISO 7816-4 §5.4.1, §11.1.2.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

TEST_CASE("MANAGE CHANNEL open (card assigns), use, close", "[channel]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "01 A4 00 0C 02 3F 00") == "68 81");  // channel 1 not open
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "00 70 00 00 01") == "02 90 00");
    CHECK(tx(*card, "01 A4 00 0C 02 10 00") == "90 00");
    // different current DFs: channel 0 is still in the MF
    CHECK(tx(*card, "00 A4 02 0C 02 2F 00") == "90 00");
    CHECK(tx(*card, "01 A4 02 0C 02 2F 00") == "6A 82");
    CHECK(tx(*card, "01 A4 02 0C 02 10 01") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "90 00");  // 2F00 on channel 0
    CHECK(tx(*card, "01 D6 00 00 01 BB") == "90 00");  // 1001 on channel 1
    CHECK(tx(*card, "00 B0 00 00 01") == "AA 90 00");
    CHECK(tx(*card, "01 B0 00 00 01") == "BB 90 00");
    CHECK(tx(*card, "01 70 80 00") == "90 00");
    CHECK(tx(*card, "01 B0 00 00 01") == "68 81");
    CHECK(tx(*card, "00 70 80 02") == "90 00");        // close channel 2 from channel 0
    CHECK(tx(*card, "02 B0 00 00 01") == "68 81");
    CHECK(tx(*card, "00 70 80 02") == "68 81");
    CHECK(tx(*card, "00 70 80 00") == "6A 81");        // the basic channel stays open
    CHECK(tx(*card, "00 B0 00 00 01") == "AA 90 00");
}

TEST_CASE("MANAGE CHANNEL with a given number, further interindustry classes", "[channel]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 70 00 05") == "90 00");
    CHECK(tx(*card, "00 70 00 05") == "69 85");
    CHECK(tx(*card, "00 70 00 14") == "6A 86");
    CHECK(tx(*card, "00 70 01 00 01") == "6A 86");
    CHECK(tx(*card, "00 70 00 00 01 00 01") == "67 00");
    CHECK(tx(*card, "41 A4 00 0C 02 10 00") == "90 00");  // 41: channel 5
    CHECK(tx(*card, "41 70 00 00 01") == "01 90 00");      // opened from channel 5: DF 1000 current
    CHECK(tx(*card, "01 A4 02 0C 02 10 01") == "90 00");
    CHECK(tx(*card, "41 70 80 00") == "90 00");
    CHECK(tx(*card, "41 A4 00 0C 02 3F 00") == "68 81");
    CHECK(tx(*card, "4F A4 00 0C 02 3F 00") == "68 81");  // channel 19
    for (int i = 0; i < 18; ++i) REQUIRE(tx(*card, "00 70 00 00 01").size() == 8);
    CHECK(tx(*card, "00 70 00 00 01") == "6A 81");  // channels 1-19 all open
    CHECK(tx(*card, "4F A4 00 0C 02 3F 00") == "90 00");
    card->powerOff();
    card->powerOn();
    CHECK(tx(*card, "4F A4 00 0C 02 3F 00") == "68 81");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
}

TEST_CASE("response data waiting for GET RESPONSE belongs to its channel", "[channel][response]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "00 A4 00 00 02 3F 00") == "61 0C");
    CHECK(tx(*card, "01 C0 00 00 0C") == "69 85");
    CHECK(tx(*card, "00 C0 00 00 0C") == "6F 0A 82 01 38 83 02 3F 00 8A 01 05 90 00");
    CHECK(tx(*card, "00 A4 00 00 02 3F 00") == "61 0C");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");  // another command drops it
    CHECK(tx(*card, "00 C0 00 00 0C") == "69 85");
}
