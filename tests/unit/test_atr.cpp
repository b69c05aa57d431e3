// ATR parsing and building, ISO 7816-3 §8.2-8.3.
#include <catch2/catch.hpp>

#include "common/atr.hpp"
#include "tests/unit/helpers.hpp"

using namespace vpcsc;

namespace {
using P = std::vector<std::uint8_t>;
}

TEST_CASE("ATR: vsmartcard iso7816 card, T=1", "[atr]") {
    const Bytes raw = fromHex("3B 95 13 81 01 80 73 FF 01 00 0B");
    const Atr a = Atr::parse(raw);
    CHECK(a.ts == 0x3B);
    CHECK_FALSE(a.inverseConvention());
    CHECK(a.ta(1) == std::uint8_t{0x13});
    CHECK_FALSE(a.tb(1));
    CHECK(a.td(1) == std::uint8_t{0x81});
    CHECK(a.td(2) == std::uint8_t{0x01});
    CHECK_FALSE(a.td(3));
    CHECK(a.interfaces.size() == 3);
    CHECK(a.protocols() == P{1});
    CHECK(a.tckRequired());
    CHECK(toHex(a.historical) == "80 73 FF 01 00");
    CHECK(a.fiIndex() == 1);
    CHECK(a.diIndex() == 3);
    CHECK(a.fi() == 372);
    CHECK(a.di() == 4);
    CHECK_FALSE(a.specificMode());
    CHECK(a.encode() == raw);
}

TEST_CASE("ATR: Schlumberger Cryptoflex, T=0 without TCK", "[atr]") {
    const Bytes raw = fromHex("3B E2 00 00 40 20 49 06");
    const Atr a = Atr::parse(raw);
    CHECK_FALSE(a.ta(1));
    CHECK(a.tb(1) == std::uint8_t{0x00});
    CHECK(a.tc(1) == std::uint8_t{0x00});
    CHECK(a.td(1) == std::uint8_t{0x40});
    CHECK(a.tc(2) == std::uint8_t{0x20});  // WI for T=0
    CHECK(a.protocols() == P{0});
    CHECK_FALSE(a.tckRequired());
    CHECK(toHex(a.historical) == "49 06");
    CHECK(a.fi() == 372);
    CHECK(a.di() == 1);
    CHECK(a.encode() == raw);
    // A TCK-like byte after a T=0-only ATR is a trailing byte.
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B E2 00 00 40 20 49 06 00")),
                      "ATR: 1 trailing bytes (TCK must be absent when only T=0 is indicated)");
}

TEST_CASE("ATR: German eID card, T=0 and T=1 offered", "[atr]") {
    const Bytes raw = fromHex("3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75");
    const Atr a = Atr::parse(raw);
    CHECK(a.td(1) == std::uint8_t{0x80});
    CHECK(a.td(2) == std::uint8_t{0x01});
    CHECK(a.protocols() == P{0, 1});
    CHECK(toHex(a.historical) == "80 31 F8 73 F7 41 E0 82 90 00");
    CHECK(a.encode() == raw);
}

TEST_CASE("ATR: UICC with T=15 global bytes", "[atr]") {
    const Bytes raw = fromHex("3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5");
    const Atr a = Atr::parse(raw);
    CHECK(a.ta(1) == std::uint8_t{0x96});
    CHECK(a.fi() == 512);
    CHECK(a.di() == 32);
    CHECK(a.td(2) == std::uint8_t{0x1F});
    CHECK(a.globalTa15() == std::uint8_t{0xC7});  // clock stop + classes A, B, C
    CHECK(a.protocols() == P{0});                 // T=15 is not a transmission protocol
    CHECK(a.tckRequired());                       // but it makes TCK mandatory (§8.2.5)
    CHECK(a.historical.size() == 15);
    CHECK(a.encode() == raw);

    const Bytes raw2 = fromHex("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
    CHECK(Atr::parse(raw2).globalTa15() == std::uint8_t{0x87});
    CHECK(Atr::parse(raw2).encode() == raw2);

    // The form quoted in the project brief carries a wrong TCK: XOR of T0..last historical is 96.
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4B 83 00 90 00 0E")),
                      "ATR: TCK 0E wrong, expected 96");
}

TEST_CASE("ATR: rejections", "[atr]") {
    CHECK_THROWS_WITH(Atr::parse(Bytes{}), "ATR: empty");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3C 00")), "ATR: TS 3C is neither 3B nor 3F");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B")), "ATR: T0 missing");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13")), "ATR: truncated at TD1");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13 81")), "ATR: truncated at TD2");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13 81 01 80 73")),
                      "ATR: 5 historical bytes announced, 2 present");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13 81 01 80 73 FF 01 00")),
                      "ATR: TCK missing (a protocol other than T=0 is indicated)");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13 81 01 80 73 FF 01 00 0C")), "ATR: TCK 0C wrong, expected 0B");
    CHECK_THROWS_WITH(Atr::parse(fromHex("3B 95 13 81 01 80 73 FF 01 00 0B 00")), "ATR: 1 trailing bytes");
    Bytes tooLong = fromHex("3B 0F");
    tooLong.resize(34, 0x00);
    CHECK_THROWS_WITH(Atr::parse(tooLong), "ATR: 34 bytes exceed the maximum of 33");
    // Truncation at every position of a valid ATR.
    const Bytes raw = fromHex("3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5");
    CHECK(test::prefixesAccepted<AtrError>(raw, [](ByteView b) { Atr::parse(b); }) == "");
}

TEST_CASE("ATR: inverse convention TS", "[atr]") {
    const Atr a = Atr::parse(fromHex("3F 00"));
    CHECK(a.inverseConvention());
    CHECK(toHex(a.encode()) == "3F 00");
}

TEST_CASE("ATR builder: TD chain, Y nibbles and TCK are computed", "[atr]") {
    // The vsmartcard iso7816 ATR rebuilt from its parts.
    Atr v;
    v.interfaces = {{0x13, {}, {}, 1}, {{}, {}, {}, 1}, {}};
    v.historical = fromHex("80 73 FF 01 00");
    CHECK(toHex(v.encode()) == "3B 95 13 81 01 80 73 FF 01 00 0B");

    CHECK(toHex(Atr::make({0}, fromHex("49 06")).encode()) == "3B 02 49 06");
    CHECK(toHex(Atr::make({1}, {}, 0x13).encode()) == "3B 90 13 01 82");
    const Bytes eid = Atr::make({0, 1}, fromHex("80 31 F8 73 F7 41 E0 82 90 00")).encode();
    CHECK(toHex(eid) == "3B 8A 80 01 80 31 F8 73 F7 41 E0 82 90 00 75");
    const Atr back = Atr::parse(eid);
    CHECK(back.protocols() == P{0, 1});

    // A TDi on the last group announces an empty group.
    Atr t;
    t.interfaces = {{{}, {}, {}, 1}};
    CHECK(toHex(t.encode()) == "3B 80 01 81");
}

TEST_CASE("ATR builder: limits", "[atr]") {
    CHECK_THROWS_WITH(Atr::make({1}, Bytes(16, 0)).encode(), "ATR: 16 historical bytes exceed 15");
    Atr big = Atr::make({1}, Bytes(15, 0));
    for (int i = 0; i < 5; ++i) big.interfaces.insert(big.interfaces.begin(), Atr::InterfaceBytes{1, 2, 3, 15});
    CHECK_THROWS_WITH(big.encode(), "ATR: 39 bytes exceed the maximum of 33");
    Atr badT;
    badT.interfaces = {{{}, {}, {}, 16}, {}};
    CHECK_THROWS_WITH(badT.encode(), "ATR: protocol T=16 above 15");
    Atr badTs;
    badTs.ts = 0x3C;
    CHECK_THROWS_AS(badTs.encode(), AtrError);
}

TEST_CASE("ATR: Fi and Di tables (ISO 7816-3 Tables 7 and 8)", "[atr]") {
    const unsigned fi[16] = {372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0};
    const unsigned di[16] = {0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0};
    for (std::uint8_t i = 0; i < 16; ++i) {
        CHECK(fiFromIndex(i) == fi[i]);
        CHECK(diFromIndex(i) == di[i]);
    }
    CHECK(Atr::make({1}, {}, 0x18).di() == 12);
    CHECK(atrChecksum(fromHex("95 13 81 01 80 73 FF 01 00")) == 0x0B);
}
