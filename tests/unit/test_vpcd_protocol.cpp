// vpcd wire protocol codec (vsmartcard vpcd <-> vicc), common/vpcd_protocol.hpp.
#include <catch2/catch.hpp>

#include <cstring>

#include "common/vpcd_protocol.hpp"

using namespace vpcsc;
using namespace vpcsc::vpcd;

TEST_CASE("vpcd: frame = 2-byte big-endian length + payload in one buffer", "[vpcd]") {
    CHECK(toHex(encodeFrame(fromHex("00 A4 04 00"))) == "00 04 00 A4 04 00");
    CHECK(toHex(encodeFrame(Bytes{})) == "00 00");
    const Bytes big(0x1234, 0xAB);
    const Bytes f = encodeFrame(big);
    REQUIRE(f.size() == 2 + 0x1234);
    CHECK(f[0] == 0x12);
    CHECK(f[1] == 0x34);
    CHECK(std::equal(f.begin() + 2, f.end(), big.begin()));
    CHECK(kDefaultPort == 35963);
}

TEST_CASE("vpcd: control bytes", "[vpcd]") {
    CHECK(toHex(encodeControl(Control::PowerOff)) == "00 01 00");
    CHECK(toHex(encodeControl(Control::PowerOn)) == "00 01 01");
    CHECK(toHex(encodeControl(Control::Reset)) == "00 01 02");
    CHECK(toHex(encodeControl(Control::GetAtr)) == "00 01 04");
    CHECK(std::strcmp(controlName(Control::GetAtr), "GET ATR") == 0);
    CHECK(std::strcmp(controlName(Control::PowerOff), "POWER OFF") == 0);

    for (auto [byte, ctl] : {std::pair{0x00, Control::PowerOff}, std::pair{0x01, Control::PowerOn},
                             std::pair{0x02, Control::Reset}, std::pair{0x04, Control::GetAtr}}) {
        const Bytes p{static_cast<std::uint8_t>(byte)};
        const auto m = classifyReaderMessage(p);
        CHECK(m.control == ctl);
        CHECK(m.apdu.empty());
    }
    CHECK_THROWS_WITH(classifyReaderMessage(fromHex("03")), "vpcd: unknown control byte 03");
    CHECK_THROWS_AS(classifyReaderMessage(fromHex("FF")), ParseError);
    CHECK_THROWS_WITH(classifyReaderMessage(Bytes{}), "vpcd: empty frame");
    const Bytes apdu = fromHex("00 B0 00 00 00");
    const auto m = classifyReaderMessage(apdu);
    CHECK_FALSE(m.control);
    CHECK(m.apdu.data() == apdu.data());
    CHECK(m.apdu.size() == 5);
    // A 2-byte payload is an APDU (too short to be valid, but not a control byte).
    CHECK_FALSE(classifyReaderMessage(fromHex("00 01")).control);
}

TEST_CASE("vpcd: decoder fed byte by byte", "[vpcd]") {
    const Bytes stream = encodeFrame(fromHex("3B 95 13 81 01 80 73 FF 01 00 0B"));
    FrameDecoder d;
    CHECK(d.idle());
    CHECK(d.missing() == 2);
    for (std::size_t i = 0; i + 1 < stream.size(); ++i) {
        d.feed(ByteView(&stream[i], 1));
        CHECK_FALSE(d.next());
        CHECK(d.missing() == (i == 0 ? 1 : stream.size() - i - 1));  // header first, then the rest
    }
    d.feed(ByteView(&stream.back(), 1));
    auto p = d.next();
    REQUIRE(p);
    CHECK(toHex(*p) == "3B 95 13 81 01 80 73 FF 01 00 0B");
    CHECK(d.idle());
    CHECK_FALSE(d.next());
}

TEST_CASE("vpcd: two frames in one feed, then a partial third", "[vpcd]") {
    Bytes stream = encodeControl(Control::PowerOn);
    append(stream, encodeFrame(fromHex("90 00")));
    append(stream, fromHex("00 03 6A"));
    FrameDecoder d;
    d.feed(stream);
    auto a = d.next();
    REQUIRE(a);
    CHECK(toHex(*a) == "01");
    auto b = d.next();
    REQUIRE(b);
    CHECK(toHex(*b) == "90 00");
    CHECK_FALSE(d.next());
    CHECK(d.missing() == 2);
    CHECK_FALSE(d.idle());
    d.feed(fromHex("82 00"));
    auto c = d.next();
    REQUIRE(c);
    CHECK(toHex(*c) == "6A 82 00");
    d.feed(fromHex("00"));
    d.reset();
    CHECK(d.idle());
}

TEST_CASE("vpcd: empty payload frame decodes as empty", "[vpcd]") {
    FrameDecoder d;
    d.feed(fromHex("00 00"));
    auto p = d.next();
    REQUIRE(p);
    CHECK(p->empty());
}

TEST_CASE("vpcd: 65535-byte payload round trip, 65536 rejected", "[vpcd]") {
    Bytes payload(kMaxPayload);
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
    const Bytes f = encodeFrame(payload);
    REQUIRE(f.size() == 65537);
    CHECK(f[0] == 0xFF);
    CHECK(f[1] == 0xFF);
    FrameDecoder d;
    d.feed(ByteView(f).first(30000));
    CHECK_FALSE(d.next());
    CHECK(d.missing() == 65537 - 30000);
    d.feed(ByteView(f).subspan(30000));
    auto p = d.next();
    REQUIRE(p);
    CHECK((*p == payload));
    CHECK_THROWS_WITH(encodeFrame(Bytes(65536, 0)), "vpcd: payload of 65536 bytes exceeds 65535");
}
