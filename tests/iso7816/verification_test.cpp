// VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER (ISO 7816-4 §11.5): every status word,
// persistent retry counters, per-channel verification status.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

namespace {

// The blank card, its PIN 81 (1234) given the PUK 12345678 (5 tries), and an EF 2F01 in the MF
// whose update needs PIN 81.
std::unique_ptr<Iso7816Card> pinCard() {
    auto card = test::blankCard();
    card->pins()[0x81].puk = Puk{{'1', '2', '3', '4', '5', '6', '7', '8'}, 5, 5};
    if (tx(*card, "00 E0 00 00 11 62 0F 82 01 01 83 02 2F 01 80 01 04 8C 03 03 11 00") != "90 00")
        throw std::runtime_error("setup");
    return card;
}

}  // namespace

TEST_CASE("VERIFY: status query, wrong PIN, right PIN, clear", "[verify]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 20 00 81") == "63 C3");                  // not verified, 3 tries
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 35") == "63 C2");
    CHECK(card->consumeDirty());                                  // the counter is persistent
    CHECK(card->pins().at(0x81).triesLeft == 2);
    CHECK(tx(*card, "00 20 00 81") == "63 C2");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(card->consumeDirty());
    CHECK(card->pins().at(0x81).triesLeft == 3);
    CHECK(tx(*card, "00 20 00 81") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "90 00");
    // a right PIN with the counter already full changes nothing persistent
    card->consumeDirty();
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK_FALSE(card->consumeDirty());
    // a wrong PIN clears the verification status
    CHECK(tx(*card, "00 20 00 81 03 31 32 33") == "63 C2");
    CHECK(tx(*card, "00 20 00 81") == "63 C2");
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(tx(*card, "00 20 FF 81") == "90 00");                  // P1 FF: clear
    CHECK(tx(*card, "00 20 00 81") == "63 C3");
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "69 82");
}

TEST_CASE("VERIFY: blocking, persistence across reset, errors", "[verify]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 20 00 81 04 30 30 30 30") == "63 C2");
    CHECK(tx(*card, "00 20 00 81 04 30 30 30 30") == "63 C1");
    card->reset();
    CHECK(tx(*card, "00 20 00 81") == "63 C1");
    CHECK(tx(*card, "00 20 00 81 04 30 30 30 30") == "63 C0");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "69 83");  // blocked: the right PIN too
    CHECK(tx(*card, "00 20 00 81") == "69 83");
    CHECK(card->pins().at(0x81).triesLeft == 0);
    auto copy = test::blankCard();
    copy->loadState(card->saveState());
    CHECK(tx(*copy, "00 20 00 81") == "69 83");

    CHECK(tx(*card, "00 20 00 82 04 31 32 33 34") == "6A 88");  // no such reference
    CHECK(tx(*card, "00 20 00 82") == "6A 88");
    CHECK(tx(*card, "00 20 FF 82") == "6A 88");
    CHECK(tx(*card, "00 20 01 81 04 31 32 33 34") == "6A 86");
    CHECK(tx(*card, "00 20 FF 81 04 31 32 33 34") == "67 00");
    CHECK(tx(*card, "00 20 FF 81") == "90 00");                  // clearing works when blocked
}

TEST_CASE("VERIFY: the status is per logical channel and cleared by reset", "[verify][channel]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "01 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(tx(*card, "01 20 00 81") == "90 00");
    CHECK(tx(*card, "00 20 00 81") == "63 C3");
    CHECK(tx(*card, "01 A4 02 0C 02 2F 01") == "90 00");
    CHECK(tx(*card, "01 D6 00 00 01 AA") == "90 00");
    CHECK(tx(*card, "00 A4 02 0C 02 2F 01") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 AA") == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    card->reset();
    CHECK(tx(*card, "00 20 00 81") == "63 C3");
}

TEST_CASE("CHANGE REFERENCE DATA: old and new, new only", "[verify][change]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 24 00 81 08 31 32 33 34 35 36 37 38") == "90 00");
    CHECK(card->consumeDirty());
    CHECK(card->pins().at(0x81).value == Bytes{'5', '6', '7', '8'});
    CHECK(tx(*card, "00 20 00 81") == "90 00");                  // the old PIN verified it
    CHECK(tx(*card, "00 20 FF 81") == "90 00");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "63 C2");
    CHECK(tx(*card, "00 20 00 81 04 35 36 37 38") == "90 00");
    // new PIN of another length
    CHECK(tx(*card, "00 24 00 81 0A 35 36 37 38 30 30 30 30 30 30") == "90 00");
    CHECK(card->pins().at(0x81).value == Bytes{'0', '0', '0', '0', '0', '0'});
    // P1 01: only the new PIN, the PIN must be verified on this channel
    CHECK(tx(*card, "00 24 01 81 04 31 32 33 34") == "90 00");
    CHECK(card->pins().at(0x81).value == Bytes{'1', '2', '3', '4'});
    CHECK(tx(*card, "00 20 FF 81") == "90 00");
    CHECK(tx(*card, "00 24 01 81 04 39 39 39 39") == "69 82");
    CHECK(card->pins().at(0x81).value == Bytes{'1', '2', '3', '4'});
}

TEST_CASE("CHANGE REFERENCE DATA: wrong old PIN, blocked, errors", "[verify][change]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 24 00 81 08 39 39 39 39 35 36 37 38") == "63 C2");
    CHECK(card->pins().at(0x81).value == Bytes{'1', '2', '3', '4'});
    CHECK(tx(*card, "00 24 00 81 04 31 32 33 34") == "67 00");   // no new PIN
    CHECK(tx(*card, "00 24 00 81 03 31 32 33") == "67 00");
    CHECK(tx(*card, "00 24 00 81 00") == "67 00");
    CHECK(tx(*card, "00 24 00 81 45 31 32 33 34 " + test::repeat("41", 65)) == "67 00");  // new PIN > 64 bytes
    CHECK(tx(*card, "00 24 01 81") == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(tx(*card, "00 24 01 81") == "67 00");
    CHECK(tx(*card, "00 24 02 81 04 31 32 33 34") == "6A 86");
    CHECK(tx(*card, "00 24 00 83 08 31 32 33 34 35 36 37 38") == "6A 88");
    CHECK(card->pins().at(0x81).triesLeft == 3);  // reset by the VERIFY above
    card->pins()[0x81].triesLeft = 1;
    CHECK(tx(*card, "00 24 00 81 08 39 39 39 39 35 36 37 38") == "63 C0");
    CHECK(tx(*card, "00 24 00 81 08 31 32 33 34 35 36 37 38") == "69 83");
    card = pinCard();
    CHECK(tx(*card, "00 24 00 81 44 31 32 33 34 " + test::repeat("41", 64)) == "90 00");
    CHECK(card->pins().at(0x81).value == Bytes(64, 'A'));
}

TEST_CASE("RESET RETRY COUNTER with the PUK from the image", "[verify][reset]") {
    auto card = pinCard();
    for (int i = 0; i < 3; ++i) tx(*card, "00 20 00 81 01 00");
    CHECK(tx(*card, "00 20 00 81") == "69 83");
    // P1 01: the PUK only, the counter is reset and the PIN kept
    CHECK(tx(*card, "00 2C 01 81 08 31 32 33 34 35 36 37 30") == "63 C4");
    CHECK(card->pins().at(0x81).puk->triesLeft == 4);
    CHECK(tx(*card, "00 2C 01 81 08 31 32 33 34 35 36 37 38") == "90 00");
    CHECK(card->consumeDirty());
    CHECK(card->pins().at(0x81).puk->triesLeft == 5);
    CHECK(tx(*card, "00 20 00 81") == "63 C3");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    // P1 00: PUK || new PIN
    for (int i = 0; i < 3; ++i) tx(*card, "00 20 00 81 01 00");
    CHECK(tx(*card, "00 2C 00 81 0C 31 32 33 34 35 36 37 38 34 33 32 31") == "90 00");
    CHECK(card->pins().at(0x81).value == Bytes{'4', '3', '2', '1'});
    CHECK(tx(*card, "00 20 00 81 04 34 33 32 31") == "90 00");
    // P1 02 (new PIN) and 03 (nothing): after the PUK was presented on this channel
    CHECK(tx(*card, "00 2C 02 81 04 35 35 35 35") == "90 00");
    CHECK(card->pins().at(0x81).value == Bytes{'5', '5', '5', '5'});
    tx(*card, "00 20 00 81 01 00");
    CHECK(tx(*card, "00 2C 03 81") == "90 00");
    CHECK(card->pins().at(0x81).triesLeft == 3);
    card->reset();
    CHECK(tx(*card, "00 2C 02 81 04 35 35 35 35") == "69 82");
    CHECK(tx(*card, "00 2C 03 81") == "69 82");
}

TEST_CASE("RESET RETRY COUNTER: errors and a blocked PUK", "[verify][reset]") {
    auto card = pinCard();
    CHECK(tx(*card, "00 2C 04 81") == "6A 86");
    CHECK(tx(*card, "00 2C 00 82 0C 31 32 33 34 35 36 37 38 34 33 32 31") == "6A 88");
    CHECK(tx(*card, "00 2C 00 81 08 31 32 33 34 35 36 37 38") == "67 00");  // no new PIN
    CHECK(tx(*card, "00 2C 01 81") == "67 00");
    CHECK(tx(*card, "00 2C 02 81") == "67 00");
    CHECK(tx(*card, "00 2C 03 81 01 00") == "67 00");
    card->pins()[0x81].puk->triesLeft = 1;
    CHECK(tx(*card, "00 2C 01 81 01 00") == "63 C0");
    CHECK(tx(*card, "00 2C 01 81 08 31 32 33 34 35 36 37 38") == "69 83");
    CHECK(tx(*card, "00 2C 00 81 0C 31 32 33 34 35 36 37 38 34 33 32 31") == "69 83");
    // a PIN without a PUK
    card->pins()[0x81].puk.reset();
    CHECK(tx(*card, "00 2C 01 81 08 31 32 33 34 35 36 37 38") == "69 84");
}

TEST_CASE("PUKs in the card image", "[verify][image]") {
    auto card = pinCard();
    tx(*card, "00 2C 01 81 01 00");
    const auto image = card->saveState();
    CHECK(image["pins"] == nlohmann::json::parse(
                               R"([{"reference":"81","value":"31323334","maxTries":3,"triesLeft":3,
                                    "puk":{"value":"3132333435363738","maxTries":5,"triesLeft":4}}])"));
    auto copy = test::blankCard();
    copy->loadState(image);
    CHECK(copy->pins().at(0x81) == card->pins().at(0x81));
    auto bad = [&](const char* pins) {
        auto j = image;
        j["pins"] = nlohmann::json::parse(pins);
        CHECK_THROWS_AS(copy->loadState(j), ParseError);
    };
    bad(R"([{"reference":"81","value":"31","puk":"3132"}])");
    bad(R"([{"reference":"81","value":"31","puk":{"value":""}}])");
    bad(R"([{"reference":"81","value":"31","puk":{"value":"31","maxTries":16}}])");
    bad(R"([{"reference":"81","value":"31","puk":{"value":"31","maxTries":2,"triesLeft":3}}])");
    bad(R"([{"reference":"81","value":"31","maxTries":259}])");
}
