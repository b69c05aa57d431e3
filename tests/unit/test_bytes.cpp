// Hex helpers and big-endian readers of common/bytes.hpp.
#include <catch2/catch.hpp>

#include "common/bytes.hpp"

using namespace vpcsc;

TEST_CASE("toHex: separators and case", "[bytes]") {
    const Bytes b{0x3B, 0x95, 0x0A};
    CHECK(toHex(b) == "3B 95 0A");
    CHECK(toHex(b, 0) == "3B950A");
    CHECK(toHex(b, ':', true) == "3b:95:0a");
    CHECK(toHex(Bytes{}) == "");
    CHECK(toHex(Bytes{0x00}) == "00");
}

TEST_CASE("fromHex: accepted forms", "[bytes]") {
    CHECK(fromHex("3B950A") == Bytes{0x3B, 0x95, 0x0A});
    CHECK(fromHex("3b 95:0a") == Bytes{0x3B, 0x95, 0x0A});
    CHECK(fromHex("3B-95\n0A\r\n") == Bytes{0x3B, 0x95, 0x0A});
    CHECK(fromHex("").empty());
    CHECK(fromHex("  ").empty());
    Bytes all(256);
    for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    CHECK((fromHex(toHex(all)) == all));
    CHECK((fromHex(toHex(all, 0, true)) == all));
}

TEST_CASE("fromHex: rejections", "[bytes]") {
    CHECK_THROWS_WITH(fromHex("3B9"), "hex: odd number of digits");
    CHECK_THROWS_WITH(fromHex("3 B"), "hex: separator inside a byte");
    CHECK_THROWS_WITH(fromHex("3G"), "hex: not a hex digit: 'G'");
    CHECK_THROWS_AS(fromHex("0x3B"), ParseError);
}

TEST_CASE("readBe16 / appendBe16 / append", "[bytes]") {
    const Bytes b{0x12, 0x34, 0x56};
    CHECK(readBe16(b, 0) == 0x1234);
    CHECK(readBe16(b, 1) == 0x3456);
    CHECK_THROWS_WITH(readBe16(b, 2), "readBe16 past end of buffer");
    // An offset near SIZE_MAX must not wrap around the bounds check.
    CHECK_THROWS_WITH(readBe16(b, static_cast<std::size_t>(-1)), "readBe16 past end of buffer");
    Bytes out;
    appendBe16(out, 0xFFFE);
    append(out, b);
    CHECK(toHex(out) == "FF FE 12 34 56");
}
