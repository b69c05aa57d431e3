// CommandApdu / ResponseApdu / CLA helpers: ISO 7816-3 §12.1.3, ISO 7816-4 §5.1, §5.4.1.
#include <catch2/catch.hpp>

#include "common/apdu.hpp"
#include "tests/unit/helpers.hpp"

using namespace vpcsc;

namespace {

Bytes repeat(std::size_t n, std::uint8_t b) { return Bytes(n, b); }

Bytes cat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (ByteView p : parts) append(out, p);
    return out;
}

}  // namespace

TEST_CASE("APDU case 1: header only", "[apdu]") {
    const Bytes raw = fromHex("00 70 80 00");  // MANAGE CHANNEL close-all style header
    auto c = CommandApdu::parse(raw);
    CHECK(c.cla == 0x00);
    CHECK(c.ins == 0x70);
    CHECK(c.p1 == 0x80);
    CHECK(c.p2 == 0x00);
    CHECK(c.data.empty());
    CHECK_FALSE(c.ne.has_value());
    CHECK_FALSE(c.extended);
    CHECK(c.caseNumber() == 1);
    CHECK(c.encode() == raw);
}

TEST_CASE("APDU case 2S: Le 01..FF and 00 = 256", "[apdu]") {
    auto c = CommandApdu::parse(fromHex("00 B0 00 00 10"));  // READ BINARY, 16 bytes
    CHECK(c.caseNumber() == 2);
    CHECK(c.ne == 16u);
    CHECK_FALSE(c.extended);
    CHECK(toHex(c.encode()) == "00 B0 00 00 10");

    auto c256 = CommandApdu::parse(fromHex("00 C0 00 00 00"));  // GET RESPONSE, Le 00
    CHECK(c256.ne == 256u);
    CHECK(toHex(c256.encode()) == "00 C0 00 00 00");
}

TEST_CASE("APDU case 3S: Lc data", "[apdu]") {
    // SELECT by DF name, the vsmartcard/OpenPGP style AID.
    const Bytes raw = fromHex("00 A4 04 0C 06 D2 76 00 01 24 01");
    auto c = CommandApdu::parse(raw);
    CHECK(c.caseNumber() == 3);
    CHECK(toHex(c.data) == "D2 76 00 01 24 01");
    CHECK_FALSE(c.ne);
    CHECK(c.encode() == raw);
}

TEST_CASE("APDU case 4S: Lc data Le", "[apdu]") {
    const Bytes raw = fromHex("00 A4 04 00 07 A0 00 00 00 87 10 02 00");  // SELECT USIM ADF, Le 00
    auto c = CommandApdu::parse(raw);
    CHECK(c.caseNumber() == 4);
    CHECK(toHex(c.data) == "A0 00 00 00 87 10 02");
    CHECK(c.ne == 256u);
    CHECK_FALSE(c.extended);
    CHECK(c.encode() == raw);

    // 255 data bytes still fit the short form.
    const Bytes big = cat({fromHex("80 E2 00 00 FF"), repeat(255, 0xAB), fromHex("FF")});
    auto b = CommandApdu::parse(big);
    CHECK(b.data.size() == 255);
    CHECK(b.ne == 255u);
    CHECK((b.encode() == big));
}

TEST_CASE("APDU case 2E: 00 Le(2), 0000 = 65536", "[apdu]") {
    auto c = CommandApdu::parse(fromHex("00 B0 00 00 00 01 00"));
    CHECK(c.caseNumber() == 2);
    CHECK(c.extended);
    CHECK(c.ne == 256u);
    CHECK(toHex(c.encode()) == "00 B0 00 00 00 01 00");  // the forced extended form survives

    auto m = CommandApdu::parse(fromHex("00 B0 00 00 00 00 00"));
    CHECK(m.ne == 65536u);
    CHECK(toHex(m.encode()) == "00 B0 00 00 00 00 00");
}

TEST_CASE("APDU case 3E: 00 Lc(2) data", "[apdu]") {
    const Bytes raw = cat({fromHex("00 D6 00 00 00 01 00"), repeat(256, 0x5A)});
    auto c = CommandApdu::parse(raw);
    CHECK(c.caseNumber() == 3);
    CHECK(c.extended);
    CHECK((c.data == repeat(256, 0x5A)));
    CHECK_FALSE(c.ne);
    CHECK((c.encode() == raw));

    const Bytes one = fromHex("00 D6 00 00 00 00 01 42");  // extended form with a 1-byte body
    auto o = CommandApdu::parse(one);
    CHECK(o.data == Bytes{0x42});
    CHECK(o.encode() == one);
}

TEST_CASE("APDU case 4E: 00 Lc(2) data Le(2)", "[apdu]") {
    const Bytes raw = cat({fromHex("00 2A 80 86 00 FF FF"), repeat(65535, 0x11), fromHex("00 00")});
    auto c = CommandApdu::parse(raw);
    CHECK(c.caseNumber() == 4);
    CHECK(c.data.size() == 65535);
    CHECK(c.ne == 65536u);
    CHECK((c.encode() == raw));

    const Bytes small = fromHex("00 88 00 00 00 00 02 AA BB 01 02");  // Le 0102 = 258
    auto s = CommandApdu::parse(small);
    CHECK(s.data == fromHex("AA BB"));
    CHECK(s.ne == 258u);
    CHECK(s.encode() == small);
}

TEST_CASE("APDU rejects every malformed form", "[apdu]") {
    // Too short for a header.
    for (const char* hex : {"", "00", "00 A4", "00 A4 04"}) {
        INFO(hex);
        CHECK_THROWS_AS(CommandApdu::parse(fromHex(hex)), ApduError);
    }
    CHECK_THROWS_WITH(CommandApdu::parse(fromHex("00 A4 04")),
                      "C-APDU of 3 bytes: shorter than the 4-byte header");
    // Short Lc inconsistent: too few data bytes, two extra bytes.
    CHECK_THROWS_AS(CommandApdu::parse(fromHex("00 A4 04 00 03 01 02")), ApduError);
    CHECK_THROWS_WITH(CommandApdu::parse(fromHex("00 A4 04 00 01 AA BB CC")),
                      "C-APDU of 8 bytes: short Lc 1 inconsistent with the body length");
    // 00 marker then nothing: neither 2S nor 2E.
    CHECK_THROWS_WITH(CommandApdu::parse(fromHex("00 B0 00 00 00 01")),
                      "C-APDU of 6 bytes: extended length field truncated after the 00 marker");
    // Extended Lc 0000 is invalid (Nc >= 1 in case 3E/4E).
    CHECK_THROWS_WITH(CommandApdu::parse(fromHex("00 D6 00 00 00 00 00 00 10")),
                      "C-APDU of 9 bytes: extended Lc 0000 followed by more bytes");
    CHECK_THROWS_AS(CommandApdu::parse(fromHex("00 D6 00 00 00 00 00 AA")), ApduError);
    // Extended Lc inconsistent: one byte short, one extra, a 1-byte Le after extended Lc.
    CHECK_THROWS_AS(CommandApdu::parse(fromHex("00 D6 00 00 00 00 02 AA")), ApduError);
    CHECK_THROWS_AS(CommandApdu::parse(fromHex("00 D6 00 00 00 00 02 AA BB CC")), ApduError);
    CHECK_THROWS_WITH(CommandApdu::parse(fromHex("00 D6 00 00 00 00 02 AA BB CC DD EE")),
                      "C-APDU of 12 bytes: extended Lc 2 inconsistent with the body length");
    // Short Lc + data + 2-byte Le (mixing short and extended) is not a valid form.
    CHECK_THROWS_AS(CommandApdu::parse(fromHex("00 A4 04 00 02 3F 00 00 00")), ApduError);
}

TEST_CASE("APDU encode chooses short or extended", "[apdu]") {
    CommandApdu c{0x00, 0xB0, 0x00, 0x00, {}, 256u, false};
    CHECK(toHex(c.encode()) == "00 B0 00 00 00");
    c.ne = 257;
    CHECK(c.usesExtendedLength());
    CHECK(toHex(c.encode()) == "00 B0 00 00 00 01 01");
    c.ne = 65536;
    CHECK(toHex(c.encode()) == "00 B0 00 00 00 00 00");

    CommandApdu d{0x00, 0xD6, 0x00, 0x00, repeat(256, 0x01), 1u, false};
    const Bytes e = d.encode();
    REQUIRE(e.size() == 4 + 3 + 256 + 2);
    CHECK(toHex(ByteView(e).first(7)) == "00 D6 00 00 00 01 00");
    CHECK(toHex(ByteView(e).last(2)) == "00 01");

    CommandApdu f{0x00, 0xA4, 0x00, 0x0C, fromHex("3F 00"), std::nullopt, true};
    CHECK(toHex(f.encode()) == "00 A4 00 0C 00 00 02 3F 00");
    f.ne = 0x100;
    CHECK(toHex(f.encode()) == "00 A4 00 0C 00 00 02 3F 00 01 00");
}

TEST_CASE("APDU encode rejects impossible values", "[apdu]") {
    CommandApdu c{0x00, 0xB0, 0x00, 0x00, {}, 0u, false};
    CHECK_THROWS_WITH(c.encode(), "C-APDU Ne 0 outside 1..65536");
    c.ne = 65537;
    CHECK_THROWS_AS(c.encode(), ApduError);
    CommandApdu d{0x00, 0xD6, 0x00, 0x00, repeat(65536, 0), std::nullopt, false};
    CHECK_THROWS_WITH(d.encode(), "C-APDU data field of 65536 bytes exceeds 65535");
}

TEST_CASE("APDU round trip over every body length 0..300 with Le", "[apdu]") {
    std::string mismatches;
    for (std::size_t n = 0; n <= 300; ++n) {
        for (std::optional<std::uint32_t> ne : {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{1},
                                               std::optional<std::uint32_t>{256}, std::optional<std::uint32_t>{65536}}) {
            CommandApdu c{0x80, 0xCA, 0x9F, 0x7F, repeat(n, static_cast<std::uint8_t>(n)), ne, false};
            const Bytes e = c.encode();
            CommandApdu back = CommandApdu::parse(e);
            if (back.extended != c.usesExtendedLength() || back.encode() != e) mismatches += "extended form ";
            back.extended = false;
            if (!(back == c)) mismatches += std::to_string(n) + "/" + std::to_string(ne.value_or(0)) + " ";
        }
    }
    CHECK(mismatches == "");
}

TEST_CASE("APDU: every truncation of a case 4E APDU is rejected", "[apdu]") {
    const Bytes raw = cat({fromHex("00 2A 80 86 00 01 00"), repeat(256, 0x11), fromHex("01 00")});
    // Cutting the Le field off leaves a valid case 3E; cutting after the header a valid case 1/2E.
    CHECK(test::prefixesAccepted<ApduError>(raw, [](ByteView b) { CommandApdu::parse(b); }) == "4 5 7 263 ");
}

TEST_CASE("R-APDU parse and encode", "[apdu]") {
    auto r = ResponseApdu::parse(fromHex("6F 10 84 08 A0 00 00 00 03 00 00 00 90 00"));
    CHECK(toHex(r.data) == "6F 10 84 08 A0 00 00 00 03 00 00 00");
    CHECK(r.sw == 0x9000);
    CHECK(r.sw1() == 0x90);
    CHECK(r.sw2() == 0x00);

    auto s = ResponseApdu::parse(fromHex("6A 82"));
    CHECK(s.data.empty());
    CHECK(s.sw == 0x6A82);
    CHECK(toHex(s.encode()) == "6A 82");
    CHECK(toHex(ResponseApdu{fromHex("01 02"), 0x611A}.encode()) == "01 02 61 1A");

    CHECK_THROWS_WITH(ResponseApdu::parse(fromHex("90")), "R-APDU of 1 bytes lacks SW1 SW2");
    CHECK_THROWS_AS(ResponseApdu::parse(Bytes{}), ApduError);
}

TEST_CASE("CLA: first interindustry class, ISO 7816-4 §5.4.1", "[apdu][cla]") {
    CHECK(classKind(0x00) == ClassKind::FirstInterindustry);
    CHECK(logicalChannel(0x00) == std::uint8_t{0});
    CHECK(logicalChannel(0x03) == std::uint8_t{3});
    CHECK_FALSE(isChained(0x00));
    CHECK(isChained(0x10));
    CHECK(isChained(0x13));
    CHECK(secureMessaging(0x00) == SecureMessaging::None);
    CHECK(secureMessaging(0x04) == SecureMessaging::Proprietary);
    CHECK(secureMessaging(0x08) == SecureMessaging::HeaderNotProcessed);
    CHECK(secureMessaging(0x0C) == SecureMessaging::HeaderAuthenticated);
    CHECK(secureMessaging(0x1D) == SecureMessaging::HeaderAuthenticated);
    CHECK(logicalChannel(0x1D) == std::uint8_t{1});
}

TEST_CASE("CLA: further interindustry class, channels 4-19", "[apdu][cla]") {
    CHECK(classKind(0x40) == ClassKind::FurtherInterindustry);
    CHECK(logicalChannel(0x40) == std::uint8_t{4});
    CHECK(logicalChannel(0x4F) == std::uint8_t{19});
    CHECK(logicalChannel(0x7F) == std::uint8_t{19});
    CHECK(isChained(0x50));
    CHECK_FALSE(isChained(0x4F));
    CHECK(secureMessaging(0x60) == SecureMessaging::HeaderNotProcessed);
    CHECK(secureMessaging(0x4C) == SecureMessaging::None);  // b4-b3 are channel bits here
}

TEST_CASE("CLA: reserved, proprietary and invalid classes", "[apdu][cla]") {
    CHECK(classKind(0x20) == ClassKind::Reserved);
    CHECK(classKind(0x3F) == ClassKind::Reserved);
    CHECK(classKind(0x80) == ClassKind::Proprietary);  // GlobalPlatform
    CHECK(classKind(0xA0) == ClassKind::Proprietary);  // GSM 11.11
    CHECK(classKind(0xFE) == ClassKind::Proprietary);
    CHECK(classKind(0xFF) == ClassKind::Invalid);
    CHECK_FALSE(isInterindustry(0xA0));
    CHECK_FALSE(logicalChannel(0xA0).has_value());
    CHECK_FALSE(logicalChannel(0x20).has_value());
    CHECK_FALSE(isChained(0x90));
    CHECK(secureMessaging(0x8C) == SecureMessaging::None);
}

TEST_CASE("CLA: makeClass inverts the decoders", "[apdu][cla]") {
    CHECK(makeClass(0) == 0x00);
    CHECK(makeClass(3, true) == 0x13);
    CHECK(makeClass(2, false, SecureMessaging::HeaderAuthenticated) == 0x0E);
    CHECK(makeClass(4) == 0x40);
    CHECK(makeClass(19, true, SecureMessaging::HeaderNotProcessed) == 0x7F);
    CHECK_THROWS_AS(makeClass(20), std::invalid_argument);
    CHECK_THROWS_AS(makeClass(5, false, SecureMessaging::Proprietary), std::invalid_argument);
    std::string wrong;
    for (std::uint8_t ch = 0; ch < 20; ++ch)
        for (bool chained : {false, true}) {
            const std::uint8_t cla = makeClass(ch, chained);
            if (logicalChannel(cla) != ch || isChained(cla) != chained) wrong += std::to_string(ch) + " ";
        }
    CHECK(wrong == "");
}
