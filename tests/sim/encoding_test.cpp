// vicc/sim/encoding: BCD, Luhn, IMSI, dialling numbers, alpha identifiers (GSM and UCS2 forms).
#include <catch2/catch.hpp>

#include "vicc/sim/encoding.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::sim;

TEST_CASE("IMSI: length byte, parity nibble, swapped BCD (TS 31.102 §4.2.2)", "[encoding]") {
    CHECK(toHex(encodeImsi("001010123456789")) == "08 09 10 10 10 32 54 76 98");
    CHECK(toHex(encodeImsi("26201123456789")) == "08 21 26 10 21 43 65 87 F9");  // 14 digits: even
    CHECK(toHex(encodeImsi("123456")) == "04 11 32 54 F6 FF FF FF FF");
    CHECK(decodeImsi(encodeImsi("001010123456789")) == "001010123456789");
    CHECK(decodeImsi(encodeImsi("26201123456789")) == "26201123456789");
    CHECK_THROWS_AS(encodeImsi("12345"), EncodingError);
    CHECK_THROWS_AS(encodeImsi("1234567890123456"), EncodingError);
    CHECK_THROWS_AS(encodeImsi("00101012345678x"), EncodingError);
    CHECK_THROWS_AS(decodeImsi(fromHex("09 09 10")), EncodingError);
}

TEST_CASE("ICCID: Luhn check digit and swapped BCD", "[encoding]") {
    CHECK(luhnCheckDigit("7992739871") == '3');  // the classic Luhn example
    CHECK(luhnCheckDigit("898821100000000001") == '1');
    CHECK(toHex(encodeIccid("8988211000000000011")) == "98 88 12 01 00 00 00 00 10 F1");
    CHECK(decodeIccid(encodeIccid("8988211000000000011")) == "8988211000000000011");
    CHECK(toHex(encodeIccid("89490200001234567892")).size() == 29);
    try {
        encodeIccid("8988211000000000012");
        FAIL("accepted a wrong check digit");
    } catch (const EncodingError& e) {
        CHECK(std::string(e.what()).find("should be 1") != std::string::npos);
    }
    CHECK_THROWS_AS(encodeIccid("898821100000000001"), EncodingError);  // 18 digits
    CHECK_THROWS_AS(encodeIccid("89882110000000000A1"), EncodingError);
}

TEST_CASE("dialling numbers: TON/NPI and BCD with * #", "[encoding]") {
    CHECK(toHex(encodeDiallingNumber("+4930123456")) == "06 91 94 03 21 43 65 FF FF FF FF FF");
    CHECK(toHex(encodeDiallingNumber("0301234567")) == "06 81 30 10 32 54 76 FF FF FF FF FF");
    CHECK(toHex(encodeDiallingNumber("*100#")) == "04 81 1A 00 FB FF FF FF FF FF FF FF");
    CHECK(decodeDiallingNumber(encodeDiallingNumber("+4930123456")) == "+4930123456");
    CHECK(decodeDiallingNumber(encodeDiallingNumber("*100#")) == "*100#");
    CHECK(decodeDiallingNumber(fromHex("FF FF FF FF FF FF FF FF FF FF FF FF")).empty());
    CHECK_THROWS_AS(encodeDiallingNumber("123456789012345678901"), EncodingError);
    CHECK_THROWS_AS(encodeDiallingNumber("12-34"), EncodingError);
    CHECK_THROWS_AS(encodeDiallingNumber("+"), EncodingError);
}

TEST_CASE("alpha identifiers: GSM default alphabet and the UCS2 forms 81, 82, 80", "[encoding]") {
    // pySim's example record: "B HA 1 Sic", 6082658001
    const Bytes rec = fromHex("42204841203120536963FFFFFFFFFFFF 06 81 0628560810FFFFFFFFFF FF FF");
    CHECK(decodeAdnRecord(rec).name == "B HA 1 Sic");
    CHECK(decodeAdnRecord(rec).number == "6082658001");
    CHECK(toHex(encodeAlpha("Alice", 8)) == "41 6C 69 63 65 FF FF FF");
    CHECK(toHex(encodeAlpha("@£$", 4)) == "00 01 02 FF");
    // Ł = U+0141: form 81, base 0x0100 given as 0x0100 >> 7 = 02
    CHECK(toHex(encodeAlpha("Łukasz", 14)) == "81 06 02 C1 75 6B 61 73 7A FF FF FF FF FF");
    CHECK(decodeAlpha(encodeAlpha("Łukasz", 14)) == "Łukasz");
    CHECK(decodeAlpha(encodeAlpha("Δημήτρης", 14)) == "Δημήτρης");
    // U+8000 and above cannot use form 81 (its base has 15 bits): form 82 with a 2-byte base
    CHECK(toHex(encodeAlpha("中丰", 8)) == "81 02 9C AD B0 FF FF FF");  // base 4E00 fits form 81
    CHECK(decodeAlpha(fromHex("81 02 9C AD B0 FF FF FF")) == "中丰");
    CHECK(toHex(encodeAlpha("가각", 8)) == "82 02 AC 00 80 81 FF FF");
    CHECK(decodeAlpha(fromHex("82 02 AC 00 80 81 FF FF")) == "가각");
    CHECK(toHex(encodeAlpha("中文", 8)) == "80 4E 2D 65 87 FF FF FF");
    // characters more than 127 apart: form 80
    CHECK(toHex(encodeAlpha("A中ж", 8)) == "80 00 41 4E 2D 04 36 FF");
    CHECK(decodeAlpha(fromHex("80 00 41 4E 2D 04 36 FF")) == "A中ж");
    CHECK_THROWS_AS(encodeAlpha("A name that is far too long", 14), EncodingError);
    CHECK_THROWS_AS(encodeAlpha("\xC3", 14), EncodingError);  // truncated UTF-8
}

TEST_CASE("ADN records round-trip", "[encoding]") {
    const Bytes r = encodeAdnRecord("Bob", "+491701234567", 14);
    CHECK(r.size() == 28);
    CHECK(decodeAdnRecord(r).name == "Bob");
    CHECK(decodeAdnRecord(r).number == "+491701234567");
    CHECK(decodeAdnRecord(Bytes(28, 0xFF)).number.empty());
    CHECK(toHex(encodePlmn("001", "01")) == "00 F1 10");
    CHECK(toHex(encodePlmn("310", "260")) == "13 00 62");
}
