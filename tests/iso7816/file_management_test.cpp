// CREATE FILE, DELETE FILE (ISO 7816-9 §6.1-6.2), capacity, and the access check (ISO 7816-4 §9.3).
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

TEST_CASE("CREATE FILE error paths", "[create]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 E0 00 00 11 62 0F 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 09") == "6A 89");
    CHECK(tx(*card, "00 E0 00 00 11 62 0F 82 01 38 83 02 30 00 84 06 A0 00 00 00 01 01") == "6A 8A");
    CHECK(tx(*card, "00 E0 00 00 02 63 00") == "6A 80");                        // not an FCP
    CHECK(tx(*card, "00 E0 00 00 05 62 03 82 01 01") == "6A 80");                // no FID
    CHECK(tx(*card, "00 E0 00 00 06 62 04 83 02 30 00") == "6A 80");             // no descriptor
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 01 83 02 3F 00") == "6A 80");    // reserved FID
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 3A 83 02 30 00") == "6A 80");    // SIMPLE-TLV EF
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 02 83 02 30 00") == "6A 80");    // no record size
    CHECK(tx(*card, "00 E0 00 00 0C 62 0A 82 01 01 83 02 30 00 84 01 AA") == "6A 80");  // EF with name
    CHECK(tx(*card, "00 E0 00 00 0C 62 0A 82 01 01 83 02 30 00 8C 01 03") == "6A 80");  // SC bytes missing
    CHECK(tx(*card, "00 E0 00 00 08 62 07 82 01 01 83 02 30") == "6A 80");       // truncated TLV
    CHECK(tx(*card, "00 E0 00 01 09 62 07 82 01 01 83 02 30 00") == "6A 86");
    CHECK(tx(*card, "00 E0 00 00") == "67 00");
    CHECK(tx(*card, "00 E0 00 00 09 62 07 82 01 01 83 02 2F 00") == "6A 89");    // 2F00 exists in the MF
}

TEST_CASE("CREATE FILE makes the new file current and keeps extra FCP objects", "[create]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 14 62 12 82 01 01 83 02 30 00 80 01 02 88 00 8A 01 03 A5 01 00") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 02 12 34") == "90 00");
    CHECK(tx(*card, "00 A4 00 04 02 30 00 00") ==
          "62 14 82 02 01 21 83 02 30 00 80 02 00 02 88 00 8A 01 03 A5 01 00 90 00");
    CHECK(tx(*card, "00 E0 00 00 0C 62 0A 82 01 38 83 02 40 00 8A 01 05") == "90 00");
    CHECK(tx(*card, "00 A4 03 0C") == "90 00");  // the new DF was current: its parent is the MF
}

TEST_CASE("the file system capacity (1 MiB) answers 6A84", "[create][capacity]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 0E 62 0C 82 01 01 83 02 30 00 80 03 10 00 01") == "6A 84");
    CHECK(tx(*card, "00 E0 00 00 0E 62 0C 82 01 01 83 02 30 00 80 03 09 00 00") == "90 00");
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 E0 00 00 0E 62 0C 82 01 01 83 02 30 01 80 03 09 00 00") == "6A 84");
    CHECK(tx(*card, "00 E0 00 00 0E 62 0C 82 01 01 83 02 30 01 80 03 01 00 00") == "90 00");
    CHECK(card->fileSystem().used() <= card->fileSystem().capacity());
}

TEST_CASE("DELETE FILE by FID, the current EF, the current DF", "[delete]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 E4 00 00 02 99 99") == "6A 82");
    CHECK(tx(*card, "00 E4 00 00 01 10") == "6A 87");
    CHECK(tx(*card, "00 E4 01 00 02 10 00") == "6A 86");
    CHECK(tx(*card, "00 E4 00 00") == "69 85");  // current file is the MF
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 E4 00 00") == "90 00");  // deletes EF 1001
    CHECK(tx(*card, "00 A4 02 0C 02 10 01") == "6A 82");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 86");
    CHECK(tx(*card, "00 E4 00 00") == "90 00");  // deletes the current DF 1000
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "6A 82");
    CHECK(tx(*card, "00 A4 04 0C 06 A0 00 00 00 01 01") == "6A 82");
    CHECK(tx(*card, "00 E4 00 00 02 20 00") == "90 00");
    CHECK(tx(*card, "00 E0 00 00 11 62 0F 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 01") == "90 00");
}

TEST_CASE("DELETE FILE of another channel's current file moves that channel to the parent", "[delete][channel]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "01 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 E4 00 00 02 10 00") == "90 00");
    CHECK(tx(*card, "01 B0 00 00 01") == "69 86");
    CHECK(tx(*card, "01 A4 00 0C 02 2F 00") == "90 00");  // channel 1 is back in the MF
}

TEST_CASE("compact security attributes (8C) are checked on every access", "[access]") {
    auto card = test::blankCard();
    // 8C 03 03 11 00: AM b2 (update) -> SC 11 (user authentication, PIN 81); b1 (read) -> always.
    CHECK(tx(*card, "00 E0 00 00 11 62 0F 82 01 01 83 02 30 00 80 01 04 8C 03 03 11 00") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "00 00 00 00 90 00");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 82");
    CHECK(tx(*card, "00 0E 00 00") == "69 82");
    auto* state = dynamic_cast<BasicSecurityState*>(card->channel(0)->security.get());
    REQUIRE(state);
    state->setPinVerified(0x81);
    CHECK(tx(*card, "00 D6 00 00 01 01") == "90 00");
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "01 A4 00 0C 02 30 00") == "90 00");
    CHECK(tx(*card, "01 D6 00 00 01 01") == "69 82");  // security status is per channel
    card->reset();
    CHECK(tx(*card, "00 A4 00 0C 02 30 00") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 82");  // reset cleared it

    // 8C 02 01 FF: READ never. An MF whose DELETE (child) needs PIN 81.
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 E0 00 00 10 62 0E 82 01 01 83 02 30 01 80 01 04 8C 02 01 FF") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 82");
    card->fileSystem().mf().compactSecurity = {0x01, 0x11};
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 E4 00 00 02 30 01") == "69 82");
    dynamic_cast<BasicSecurityState&>(*card->channel(0)->security).setPinVerified(0x81);
    CHECK(tx(*card, "00 E4 00 00 02 30 01") == "90 00");
}

TEST_CASE("files in creation state ignore security attributes", "[access]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 14 62 12 82 01 01 83 02 30 00 80 01 04 8A 01 01 8C 03 03 FF FF") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 01") == "90 00");
    CHECK(tx(*card, "00 44 00 00") == "90 00");  // ACTIVATE: the attributes apply from now on
    CHECK(tx(*card, "00 D6 00 00 01 01") == "69 82");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 82");
}
