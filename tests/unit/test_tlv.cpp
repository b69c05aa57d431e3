// BER-TLV (ISO 7816-4 §5.2, X.690 §8.1) and SIMPLE-TLV (ISO 7816-4 §5.2.1).
#include <catch2/catch.hpp>

#include "common/tlv.hpp"
#include "tests/unit/helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::tlv;

namespace {

// ES10c GetProfilesInfo response (SGP.22 §5.7.15): one profile with ICCID and profileState.
const char* kProfileInfoList =
    "BF 2D 14 A0 12 E3 10 5A 0A 98 10 14 32 54 76 98 10 32 F4 9F 70 01 01";

// An FCP template (ISO 7816-4 §7.4.3) of a transparent EF 2FE2 of 10 bytes.
const char* kFcp = "62 11 82 02 41 21 83 02 2F E2 80 02 00 0A 8A 01 05 88 00";

Tag tagOf(const char* hex) {
    const Bytes b = fromHex(hex);
    std::size_t off = 0;
    const Tag t = readTag(b, off);
    CHECK(off == b.size());
    return t;
}

}  // namespace

TEST_CASE("BER tags: 1 to 4 bytes", "[tlv]") {
    CHECK(tagOf("5A") == 0x5A);
    CHECK(tagOf("5F 2D") == 0x5F2D);
    CHECK(tagOf("7F 49") == 0x7F49);
    CHECK(tagOf("9F 70") == 0x9F70);
    CHECK(tagOf("BF 2D") == 0xBF2D);
    CHECK(tagOf("DF 81 01") == 0xDF8101);
    CHECK(tagOf("DF 81 81 01") == 0xDF818101u);
    CHECK(tagSize(0x5A) == 1);
    CHECK(tagSize(0xBF2D) == 2);
    CHECK(tagSize(0xDF8101) == 3);
    CHECK(tagSize(0xDF818101u) == 4);
    CHECK(isConstructed(0xBF2D));
    CHECK(isConstructed(0x62));
    CHECK_FALSE(isConstructed(0x5F2D));
    CHECK_FALSE(isConstructed(0x87));
    CHECK(tagClass(0x5A) == TagClass::Application);
    CHECK(tagClass(0x87) == TagClass::ContextSpecific);
    CHECK(tagClass(0xBF2D) == TagClass::ContextSpecific);
    CHECK(tagClass(0x30) == TagClass::Universal);
    CHECK(tagClass(0xDF818101u) == TagClass::Private);
}

TEST_CASE("BER tags: malformed encodings", "[tlv]") {
    auto bad = [](const char* hex) {
        const Bytes b = fromHex(hex);
        std::size_t off = 0;
        CHECK_THROWS_AS(readTag(b, off), TlvError);
        CHECK(off == 0);  // a failed read does not advance
    };
    bad("");
    bad("00");
    bad("FF");
    bad("9F");           // truncated after the 1F marker
    bad("5F 81");        // truncated continuation
    bad("5F 80 01");     // leading zero bits (X.690 §8.1.2.4.2 c)
    bad("DF 81 81 81 01");  // five bytes
    std::size_t off = 0;
    const Bytes five = fromHex("DF 81 81 81 01");
    CHECK_THROWS_WITH(readTag(five, off), "TLV at offset 0: tag longer than 4 bytes");
    const Bytes zero = fromHex("00 01 02");
    CHECK_THROWS_WITH(readTag(zero, off), "TLV at offset 0: invalid first tag byte 00");

    CHECK(isValidTag(0x5A));
    CHECK(isValidTag(0x9F02));  // EMV style low tag number in two bytes: accepted
    CHECK_FALSE(isValidTag(0x00));
    CHECK_FALSE(isValidTag(0xFF));
    CHECK_FALSE(isValidTag(0x1F));      // announces more bytes
    CHECK_FALSE(isValidTag(0x5A01));    // 5A does not announce more bytes
    CHECK_FALSE(isValidTag(0x5F80));    // leading zero
    CHECK(isValidTag(0x5F8101));        // 81 announces one more byte
    CHECK_FALSE(isValidTag(0x5F8181));  // the last byte must have b8 clear
    CHECK(isValidTag(0xDF818101u));
}

TEST_CASE("BER lengths: short, 81, 82, 83, 84 and minimal encoding", "[tlv]") {
    auto enc = [](std::size_t n) {
        Bytes b;
        appendLength(b, n);
        return toHex(b);
    };
    CHECK(enc(0) == "00");
    CHECK(enc(0x7F) == "7F");
    CHECK(enc(0x80) == "81 80");
    CHECK(enc(0xFF) == "81 FF");
    CHECK(enc(0x100) == "82 01 00");
    CHECK(enc(0xFFFF) == "82 FF FF");
    CHECK(enc(0x10000) == "83 01 00 00");
    CHECK(enc(0x1000000) == "84 01 00 00 00");
    CHECK(enc(0xFFFFFFFF) == "84 FF FF FF FF");

    auto dec = [](const char* hex) {
        const Bytes b = fromHex(hex);
        std::size_t off = 0;
        const std::size_t n = readLength(b, off);
        CHECK(off == b.size());
        return n;
    };
    CHECK(dec("00") == 0);
    CHECK(dec("7F") == 0x7F);
    CHECK(dec("81 05") == 5);  // non-minimal but allowed by ISO 7816-4 §5.2.2.2
    CHECK(dec("81 80") == 0x80);
    CHECK(dec("82 01 00") == 0x100);
    CHECK(dec("83 01 02 03") == 0x010203);
    CHECK(dec("84 01 02 03 04") == 0x01020304);

    auto bad = [](const char* hex, const char* why) {
        const Bytes b = fromHex(hex);
        std::size_t off = 0;
        CHECK_THROWS_WITH(readLength(b, off), why);
        CHECK(off == 0);
    };
    bad("", "TLV at offset 0: missing length");
    bad("80", "TLV at offset 0: indefinite length (80) not allowed");
    bad("85 00 00 00 00 01", "TLV at offset 0: length field 85 longer than 4 bytes");
    bad("FF", "TLV at offset 0: length field FF longer than 4 bytes");
    bad("82 01", "TLV at offset 0: length field truncated");
    bad("84 00 00 00", "TLV at offset 0: length field truncated");
}

TEST_CASE("BER reader: nested SGP.22 object, find by tag and path", "[tlv]") {
    const Bytes buf = fromHex(kProfileInfoList);
    const Tlv top = parseOne(buf);
    CHECK(top.tag == 0xBF2D);
    CHECK(top.constructed());
    CHECK(top.value.size() == 0x14);
    CHECK(top.raw.size() == buf.size());

    auto iccid = findPath(buf, {0xBF2D, 0xA0, 0xE3, 0x5A});
    REQUIRE(iccid);
    CHECK(toHex(iccid->value) == "98 10 14 32 54 76 98 10 32 F4");
    CHECK(toHex(iccid->raw) == "5A 0A 98 10 14 32 54 76 98 10 32 F4");
    auto state = findRecursive(buf, 0x9F70);
    REQUIRE(state);
    CHECK(state->valueBytes() == Bytes{0x01});
    CHECK_FALSE(findPath(buf, {0xBF2D, 0xA1}));
    CHECK_FALSE(findRecursive(buf, 0x4F));

    auto a0 = top.find(0xA0);
    REQUIRE(a0);
    int n = 0;
    for (const Tlv& t : a0->children()) {
        CHECK(t.tag == 0xE3);
        ++n;
    }
    CHECK(n == 1);
    CHECK_NOTHROW(validate(buf));
}

TEST_CASE("BER reader: FCP template and SM data objects", "[tlv]") {
    const Bytes fcp = fromHex(kFcp);
    const auto objs = parseAll(parseOne(fcp).value);
    REQUIRE(objs.size() == 5);
    CHECK(objs[0].tag == 0x82);
    CHECK(toHex(objs[0].value) == "41 21");
    CHECK(objs[1].tag == 0x83);
    CHECK(toHex(objs[1].value) == "2F E2");
    CHECK(objs[2].tag == 0x80);
    CHECK(toHex(objs[2].value) == "00 0A");
    CHECK(objs[3].tag == 0x8A);
    CHECK(objs[4].tag == 0x88);
    CHECK(objs[4].value.empty());

    // ISO 7816-4 §10: cryptogram, Le and MAC data objects of a secured command.
    const Bytes sm = fromHex("87 09 01 11 22 33 44 55 66 77 88 97 01 00 8E 08 01 02 03 04 05 06 07 08");
    auto mac = find(sm, 0x8E);
    REQUIRE(mac);
    CHECK(toHex(mac->value) == "01 02 03 04 05 06 07 08");
    auto le = find(sm, 0x97);
    REQUIRE(le);
    CHECK(toHex(le->value) == "00");
    auto cg = find(sm, 0x87);
    REQUIRE(cg);
    CHECK(cg->value[0] == 0x01);  // padding-content indicator
    CHECK(cg->value.size() == 9);
}

TEST_CASE("BER builder: minimal lengths and nesting", "[tlv]") {
    const Bytes built = Builder()
                            .add(0xA0, Builder().add(0xE3, Builder()
                                                               .add(0x5A, fromHex("98 10 14 32 54 76 98 10 32 F4"))
                                                               .addByte(0x9F70, 0x01)))
                            .wrap(0xBF2D);
    CHECK(toHex(built) == kProfileInfoList);

    CHECK(toHex(encode(0x88, {})) == "88 00");
    CHECK(toHex(encode(0xBF2D, {})) == "BF 2D 00");
    const Bytes v128(128, 0xEE);
    const Bytes e128 = encode(0x53, v128);
    CHECK(toHex(ByteView(e128).first(3)) == "53 81 80");
    CHECK(e128.size() == 3 + 128);
    const Bytes v256(256, 0x01);
    const Bytes e256 = encode(0xDF8101, v256);
    CHECK(toHex(ByteView(e256).first(6)) == "DF 81 01 82 01 00");
    const Bytes v65536(65536, 0x02);
    const Bytes e65536 = encode(0x04, v65536);
    CHECK(toHex(ByteView(e65536).first(5)) == "04 83 01 00 00");
    auto back = parseOne(e65536);
    CHECK(back.value.size() == 65536);
    CHECK(back.tag == 0x04);

    CHECK(toHex(Builder().add(0x80, {0x01, 0x02}).addRaw(fromHex("81 00")).bytes()) == "80 02 01 02 81 00");
    CHECK_THROWS_AS(encode(0x00, {}), std::invalid_argument);
    CHECK_THROWS_AS(encode(0x5F80, {}), std::invalid_argument);
    CHECK_THROWS_AS(Builder().add(0x1F, ByteView{}), std::invalid_argument);
}

TEST_CASE("BER reader: truncation at every position is rejected", "[tlv]") {
    for (const char* hex : {kProfileInfoList, kFcp, "DF 81 01 82 01 00"}) {
        Bytes full = fromHex(hex);
        if (full.size() < 10) full.resize(full.size() + 256, 0x33);  // give DF8101 its 256 bytes
        INFO(hex);
        CHECK_NOTHROW(validate(full));
        CHECK(test::prefixesAccepted<TlvError>(full, [](ByteView b) { parseAll(b); }, 1) == "");
        CHECK(test::prefixesAccepted<TlvError>(full, [](ByteView b) { validate(b); }, 1) == "");
        CHECK(parseAll(ByteView(full).first(0)).empty());
    }
    const Bytes t = fromHex("5A 0A 98 10");
    CHECK_THROWS_WITH(parseAll(t), "TLV at offset 0: value of 10 bytes truncated to 2");
    const Bytes huge = fromHex("5A 84 FF FF FF FF 00");
    CHECK_THROWS_WITH(parseAll(huge), "TLV at offset 0: value of 4294967295 bytes truncated to 1");
}

TEST_CASE("BER reader: inner truncation is found by validate, not by the outer reader", "[tlv]") {
    const Bytes b = fromHex("A0 04 5A 05 01 02");  // outer fine, inner claims 5 of 2 bytes
    CHECK(parseAll(b).size() == 1);
    CHECK_THROWS_WITH(validate(b), "TLV at offset 0: value of 5 bytes truncated to 2");
    CHECK_THROWS_AS(findRecursive(b, 0x99), TlvError);
}

TEST_CASE("BER reader: padding 00/FF", "[tlv]") {
    const Bytes padded = fromHex("00 FF 80 01 AA 00 00 81 00 FF FF");
    CHECK_THROWS_WITH(parseAll(padded), "TLV at offset 0: invalid first tag byte 00");
    const auto objs = parseAll(padded, Padding::Skip);
    REQUIRE(objs.size() == 2);
    CHECK(objs[0].tag == 0x80);
    CHECK(toHex(objs[0].raw) == "80 01 AA");
    CHECK(objs[1].tag == 0x81);
    CHECK(parseAll(fromHex("FF FF FF"), Padding::Skip).empty());
}

TEST_CASE("BER reader: parseOne and reader state", "[tlv]") {
    CHECK_THROWS_WITH(parseOne(fromHex("80 00 81 00")), "TLV at offset 2: trailing bytes after the data object");
    CHECK_THROWS_WITH(parseOne(Bytes{}), "TLV at offset 0: no data object");
    const Bytes b = fromHex("80 01 AA 81 03 01");
    Reader r(b);
    auto first = r.next();
    REQUIRE(first);
    CHECK(r.offset() == 3);
    CHECK_THROWS_WITH(r.next(), "TLV at offset 3: value of 3 bytes truncated to 1");
    CHECK(r.offset() == 3);  // a failed read does not advance
}

TEST_CASE("BER: nesting deeper than the limit is refused, not a stack overflow", "[tlv]") {
    Bytes deep = encode(0x80, {});
    for (int i = 0; i < 40; ++i) deep = encode(0xA0, deep);
    CHECK_THROWS_WITH(validate(deep), "TLV nested deeper than 32 levels");
    CHECK_THROWS_AS(findRecursive(deep, 0x80), TlvError);
    CHECK_NOTHROW(validate(deep, 64));
    CHECK(findPath(deep, {0xA0, 0xA0}).has_value());
}

TEST_CASE("SIMPLE-TLV: 1- and 3-byte lengths", "[tlv][simple]") {
    CHECK(toHex(encodeSimple(0x01, fromHex("AA BB"))) == "01 02 AA BB");
    CHECK(toHex(encodeSimple(0xFE, {})) == "FE 00");
    const Bytes v254(254, 0x00), v255(255, 0x00), v65535(65535, 0x00);
    CHECK(toHex(ByteView(encodeSimple(0x10, v254)).first(2)) == "10 FE");
    CHECK(toHex(ByteView(encodeSimple(0x10, v255)).first(4)) == "10 FF 00 FF");
    CHECK(toHex(ByteView(encodeSimple(0x10, v65535)).first(4)) == "10 FF FF FF");
    CHECK_THROWS_AS(encodeSimple(0x00, {}), std::invalid_argument);
    CHECK_THROWS_AS(encodeSimple(0xFF, {}), std::invalid_argument);
    CHECK_THROWS_AS(encodeSimple(0x01, Bytes(65536, 0)), std::invalid_argument);

    Bytes two = encodeSimple(0x01, fromHex("AA"));
    appendSimple(two, 0x02, v255);
    const auto objs = parseAllSimple(two);
    REQUIRE(objs.size() == 2);
    CHECK(objs[0].tag == 0x01);
    CHECK(toHex(objs[0].value) == "AA");
    CHECK(objs[1].tag == 0x02);
    CHECK(objs[1].value.size() == 255);
    CHECK(objs[1].raw.size() == 4 + 255);
    // The 3-byte form may also carry short values.
    const Bytes threeByteLength = fromHex("05 FF 00 01 77");
    const auto s = parseAllSimple(threeByteLength);
    REQUIRE(s.size() == 1);
    CHECK(toHex(s[0].value) == "77");
}

TEST_CASE("SIMPLE-TLV: rejections and truncation at every position", "[tlv][simple]") {
    CHECK_THROWS_WITH(parseAllSimple(fromHex("00 01 AA")), "TLV at offset 0: invalid SIMPLE-TLV tag 00");
    CHECK_THROWS_WITH(parseAllSimple(fromHex("01 01 AA FF 00")), "TLV at offset 3: invalid SIMPLE-TLV tag FF");
    CHECK_THROWS_WITH(parseAllSimple(fromHex("01")), "TLV at offset 0: SIMPLE-TLV length missing");
    CHECK_THROWS_WITH(parseAllSimple(fromHex("01 FF 00")), "TLV at offset 0: SIMPLE-TLV 3-byte length truncated");
    CHECK_THROWS_WITH(parseAllSimple(fromHex("01 03 AA")), "TLV at offset 0: SIMPLE-TLV value of 3 bytes truncated to 1");
    const Bytes full = encodeSimple(0x42, Bytes(300, 0x99));
    CHECK(test::prefixesAccepted<TlvError>(full, [](ByteView b) { parseAllSimple(b); }, 1) == "");
    CHECK(parseAllSimple(full).size() == 1);
}
