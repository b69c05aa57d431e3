// READ / UPDATE / WRITE / ERASE BINARY, even and odd INS, ISO 7816-4 §11.3.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::repeat;
using vicc::test::tx;

namespace {
std::unique_ptr<Iso7816Card> cardIn1001() {
    auto card = test::sampleCard();
    if (tx(*card, "00 A4 08 0C 04 10 00 10 01") != "90 00") throw std::runtime_error("select 1001");
    return card;
}
}  // namespace

TEST_CASE("READ and UPDATE BINARY with offsets in P1-P2", "[binary]") {
    auto card = cardIn1001();
    CHECK(tx(*card, "00 D6 00 00 04 01 02 03 04") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "01 02 03 04 90 00");
    CHECK(tx(*card, "00 B0 00 01 02") == "02 03 90 00");
    CHECK(tx(*card, "00 B0 00 00 00") == "01 02 03 04 " + repeat("00", 12) + " 90 00");  // Le 00: all
    CHECK(tx(*card, "00 B0 00 0C 08") == "00 00 00 00 62 82");  // end of file before Ne bytes
    CHECK(tx(*card, "00 B0 00 10 01") == "6B 00");
    CHECK(tx(*card, "00 B0 7F FF 01") == "6B 00");
    CHECK(tx(*card, "00 B0 00 00") == "61 10");  // no Le: T=0 style
    CHECK(tx(*card, "00 C0 00 00 10") == "01 02 03 04 " + repeat("00", 12) + " 90 00");
}

TEST_CASE("BINARY error paths", "[binary]") {
    auto card = cardIn1001();
    CHECK(tx(*card, "00 D6 00 0E 04 AA BB CC DD") == "6A 84");  // past the end of the EF
    CHECK(tx(*card, "00 D6 00 10 01 AA") == "6B 00");
    CHECK(tx(*card, "00 D6 00 00") == "67 00");
    CHECK(tx(*card, "00 B0 00 00 01 02 03") == "67 00");       // READ BINARY with data
    CHECK(tx(*card, "00 B0 A1 00 02") == "6A 86");             // P1 b7-b6 must be 00
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 86");             // no current EF
    CHECK(tx(*card, "00 D6 00 00 01 00") == "69 86");
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 02") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "69 81");             // record EF
    CHECK(tx(*card, "00 D6 00 00 01 00") == "69 81");
    CHECK(tx(*card, "00 0E 00 00") == "69 81");
}

TEST_CASE("BINARY by SFI selects the EF", "[binary]") {
    auto card = test::sampleCard();
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 D6 81 02 02 AB CD") == "90 00");  // SFI 1 = EF 1001, offset 2
    CHECK(tx(*card, "00 B0 81 00 04") == "00 00 AB CD 90 00");
    CHECK(tx(*card, "00 B0 00 02 01") == "AB 90 00");      // 1001 is now the current EF
    CHECK(tx(*card, "00 B0 83 00 02") == "6A 82");         // no SFI 3 in DF 1000
    CHECK(tx(*card, "00 B0 82 00 02") == "69 81");         // SFI 2 is a record EF
}

TEST_CASE("odd INS B1 / D7 / 0F with offset data object 54", "[binary]") {
    auto card = cardIn1001();
    CHECK(tx(*card, "00 D6 00 00 04 01 02 03 04") == "90 00");
    CHECK(tx(*card, "00 B1 00 00 03 54 01 02 00") == "53 0E 03 04 " + repeat("00", 12) + " 90 00");
    CHECK(tx(*card, "00 B1 00 01 03 54 01 00 04") == "53 02 01 02 90 00");  // SFI 1, Ne 4
    CHECK(tx(*card, "00 B1 10 01 03 54 01 00 04") == "53 02 01 02 90 00");  // FID 1001
    CHECK(tx(*card, "00 B1 00 00 03 54 01 10 00") == "6B 00");
    CHECK(tx(*card, "00 B1 00 00 02 53 00 00") == "6A 80");
    CHECK(tx(*card, "00 B1 00 00 03 54 01 00 01") == "67 00");  // no room for 53 in Ne
    CHECK(tx(*card, "00 B1 00 00 02 54 05 00") == "6A 80");     // malformed TLV
    CHECK(tx(*card, "00 B1 77 77 03 54 01 00 00") == "6A 82");
    CHECK(tx(*card, "00 D7 00 00 07 54 01 04 53 02 EE FF") == "90 00");
    CHECK(tx(*card, "00 B0 00 04 02") == "EE FF 90 00");
    CHECK(tx(*card, "00 D7 00 00 03 54 01 04") == "6A 80");     // nothing to write
    CHECK(tx(*card, "00 0F 00 00 06 54 01 00 54 01 01") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "00 02 03 04 90 00");
    CHECK(tx(*card, "00 0F 00 00 02 53 00") == "6A 80");
}

TEST_CASE("ERASE BINARY from an offset, up to an end offset", "[binary]") {
    auto card = cardIn1001();
    CHECK(tx(*card, "00 D6 00 00 04 01 02 03 04") == "90 00");
    CHECK(tx(*card, "00 0E 00 01 02 00 03") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "01 00 00 04 90 00");
    CHECK(tx(*card, "00 0E 00 00") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "00 00 00 00 90 00");
    CHECK(tx(*card, "00 0E 00 10") == "6B 00");
    CHECK(tx(*card, "00 0E 00 02 02 00 01") == "6A 80");  // end before start
    CHECK(tx(*card, "00 0E 00 00 01 01") == "67 00");
}

TEST_CASE("WRITE BINARY follows the data coding byte (OR)", "[binary]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 0D 62 0B 82 02 01 41 83 02 10 02 80 01 04") == "90 00");
    CHECK(tx(*card, "00 D6 00 00 02 0F 0F") == "90 00");
    CHECK(tx(*card, "00 D0 00 00 02 F0 01") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 02") == "FF 0F 90 00");
    CHECK(tx(*card, "00 D1 00 00 07 54 01 02 53 02 01 02") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 04") == "FF 0F 01 02 90 00");
}

TEST_CASE("extended length: 65,535-byte UPDATE BINARY and READ BINARY", "[binary][extended]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "00 E0 00 00 0D 62 0B 82 01 01 83 02 30 00 80 02 FF FF") == "90 00");
    Bytes update = fromHex("00 D6 00 00 00 FF FF");
    for (std::size_t i = 0; i < 65535; ++i) update.push_back(static_cast<std::uint8_t>(i * 7));
    CHECK(toHex(card->process(update)) == "90 00");

    const Bytes all = card->process(fromHex("00 B0 00 00 00 00 00"));  // Le 0000: Ne = 65536
    REQUIRE(all.size() == 65537);
    CHECK(std::equal(all.begin(), all.end() - 2, update.begin() + 7));
    CHECK(all[65535] == 0x90);
    CHECK(all[65536] == 0x00);

    const Bytes part = card->process(fromHex("00 B0 7F 00 00 01 00"));  // offset 7F00, Ne 256
    REQUIRE(part.size() == 258);
    CHECK(std::equal(part.begin(), part.end() - 2, update.begin() + 7 + 0x7F00));

    const Bytes shortRead = card->process(fromHex("00 B0 00 00 00"));
    CHECK(shortRead.size() == 258);
}
