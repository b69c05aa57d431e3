// The engine around the handlers: APDU parsing, CLA routing, chaining, response shaping, the
// command table of derived card types, and that no exception escapes.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::repeat;
using vicc::test::tx;

TEST_CASE("malformed APDUs answer 6700", "[engine]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 A4") == "67 00");
    CHECK(tx(*card, "00 A4 00") == "67 00");
    CHECK(tx(*card, "00 A4 00 0C 05 3F 00") == "67 00");  // Lc larger than the data
    CHECK(tx(*card, "00 A4 00 0C 00 00") == "67 00");
    CHECK(toHex(card->process(Bytes{})) == "67 00");
}

TEST_CASE("CLA routing: invalid, reserved, proprietary, secure messaging", "[engine]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "FF A4 00 0C 02 3F 00") == "6E 00");
    CHECK(tx(*card, "20 A4 00 0C 02 3F 00") == "6E 00");
    CHECK(tx(*card, "80 A4 00 0C 02 3F 00") == "6E 00");
    CHECK(tx(*card, "0C A4 00 0C 02 3F 00") == "68 82");  // SM: hook not filled in yet
    CHECK(tx(*card, "60 A4 00 0C 02 3F 00") == "68 81");  // channel 4 is not open
    CHECK(tx(*card, "00 70 00 04") == "90 00");
    CHECK(tx(*card, "60 A4 00 0C 02 3F 00") == "68 82");  // further interindustry SM
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");  // VERIFY: verification_test.cpp
    CHECK(tx(*card, "00 6A 00 00") == "6D 00");
}

TEST_CASE("command chaining collects the data field until the last command", "[engine][chaining]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 0D 62 0B 82 01 01 83 02 30 00 80 02 01 2C") == "90 00");
    CHECK(tx(*card, "10 D6 00 00 02 AA BB") == "90 00");
    CHECK(tx(*card, "10 D6 00 00 01 CC") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 01 DD") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 05") == "AA BB CC DD 00 90 00");
    // another command abandons the chain
    CHECK(tx(*card, "10 D6 00 00 01 11") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "AA 90 00");
    CHECK(tx(*card, "00 D6 00 00 01 22") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 02") == "22 BB 90 00");
    // chains are per channel
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*card, "11 DA 00 C1 01 01") == "90 00");
    CHECK(tx(*card, "10 D6 00 00 01 33") == "90 00");
    CHECK(tx(*card, "01 DA 00 C1 01 02") == "90 00");
    CHECK(tx(*card, "01 CA 00 C1 00") == "01 02 90 00");
    CHECK(tx(*card, "00 D6 00 00 01 44") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 02") == "33 44 90 00");
}

TEST_CASE("more data than Ne: 61xx and GET RESPONSE", "[engine][response]") {
    auto card = test::blankCard();
    const std::string value = repeat("5A", 300);
    CHECK(tx(*card, "00 DA 00 C1 00 01 2C " + value) == "90 00");  // extended Lc
    const std::string first = tx(*card, "00 CA 00 C1 00");
    CHECK(first == repeat("5A", 256) + " 61 2C");
    CHECK(tx(*card, "00 C0 00 00 10") == repeat("5A", 16) + " 61 1C");
    CHECK(tx(*card, "00 C0 00 00 00") == repeat("5A", 28) + " 90 00");
    CHECK(tx(*card, "00 C0 00 00 00") == "69 85");
    CHECK(tx(*card, "00 CA 00 C1 00 00 00") == value + " 90 00");  // extended Le
    CHECK(tx(*card, "00 CA 00 C1") == "61 00");  // 300 bytes, no Le
    CHECK(tx(*card, "00 C0 01 00 00") == "6A 86");  // an error drops the rest
    CHECK(tx(*card, "00 C0 00 00") == "69 85");
    CHECK(tx(*card, "00 CA 00 C1") == "61 00");
    CHECK(tx(*card, "00 C0 00 00") == repeat("5A", 256) + " 61 2C");  // no Le: up to 256
    CHECK(tx(*card, "00 C0 00 00 2C") == repeat("5A", 44) + " 90 00");
}

namespace {

// A derived card type: one replaced handler, one added, one proprietary-class command.
class CustomCard : public Iso7816Card {
public:
    CustomCard() : Iso7816Card({0x3B, 0x00}) {}
    Response hello(const CommandApdu&, LogicalChannel& ch) { return Response({0x48, ch.number}); }
    Response noSelect(const CommandApdu&, LogicalChannel&) { throw SwError(0x6A81); }
    Response boom(const CommandApdu&, LogicalChannel&) { throw std::runtime_error("bug"); }

protected:
    const CommandTable& commands() const override {
        static const CommandTable t = CommandTable(iso7816Commands())
                                          .replace(0xA4, &CustomCard::noSelect)
                                          .add(0x50, &CustomCard::hello)
                                          .add(0x51, &CustomCard::boom)
                                          .add(0x50, &CustomCard::hello, CommandTable::ClassSet::Proprietary);
        return t;
    }
};

}  // namespace

TEST_CASE("a derived card type modifies a copy of the table", "[engine][table]") {
    CustomCard card;
    card.powerOn();
    CHECK(tx(card, "00 A4 00 0C 02 3F 00") == "6A 81");
    CHECK(tx(card, "00 50 00 00 00") == "48 00 90 00");
    CHECK(tx(card, "80 50 00 00 00") == "48 00 90 00");
    CHECK(tx(card, "80 B0 00 00 00") == "6D 00");  // proprietary class, INS not registered
    CHECK(tx(card, "00 51 00 00") == "6F 00");     // std::exception: 6F00, never escapes
    CHECK(tx(card, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(card, "81 50 00 00 00") == "48 01 90 00");
    CHECK(tx(*test::blankCard(), "00 A4 00 0C 02 3F 00") == "90 00");  // the base table is untouched
    CHECK_THROWS_AS(CommandTable(iso7816Commands()).add(0xA4, &CustomCard::hello), std::logic_error);
    CHECK_THROWS_AS(CommandTable(iso7816Commands()).replace(0x50, &CustomCard::hello), std::logic_error);
}

TEST_CASE("the iso7816 card type: ATR, --atr, blank card with PIN 81", "[card]") {
    auto card = test::blankCard();
    CHECK(toHex(card->atr()) == "3B 95 13 81 01 80 73 FF 01 00 0B");
    REQUIRE(card->pins().count(0x81));
    CHECK(card->pins().at(0x81).value == Bytes{'1', '2', '3', '4'});
    CHECK(card->pins().at(0x81).triesLeft == 3);
    CardOptions options;
    options.atr = Bytes{0x3B, 0x02, 0x14, 0x50};
    CHECK(toHex(createIso7816Card(options)->atr()) == "3B 02 14 50");
}
