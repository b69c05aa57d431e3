// AES and 3DES in ECB/CBC against NIST SP 800-38A Appendix F, and ISO 9797-1 padding method 2.
#include <catch2/catch.hpp>

#include "tests/crypto/helpers.hpp"
#include "vicc/crypto/symmetric.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

namespace {
// SP 800-38A §F.1/F.2: the four plaintext blocks shared by every example.
const std::string kPlain =
    "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51"
    "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";
const std::string kIv = "000102030405060708090A0B0C0D0E0F";
}  // namespace

TEST_CASE("AES-128 ECB and CBC, SP 800-38A F.1.1 and F.2.1", "[crypto][symmetric]") {
    const SymmetricKey key(BlockCipher::Aes, h("2B7E151628AED2A6ABF7158809CF4F3C"));
    const Bytes ecb = encryptEcb(key, h(kPlain));
    CHECK(hx(ecb) ==
          "3AD77BB40D7A3660A89ECAF32466EF97F5D3D58503B9699DE785895A96FDBAAF"
          "43B1CD7F598ECE23881B00E3ED0306887B0C785E27E8AD3F8223207104725DD4");
    CHECK(hx(decryptEcb(key, ecb)) == kPlain);
    const Bytes cbc = encryptCbc(key, h(kIv), h(kPlain));
    CHECK(hx(cbc) ==
          "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2"
          "73BED6B8E3C1743B7116E69E222295163FF1CAA1681FAC09120ECA307586E1A7");
    CHECK(hx(decryptCbc(key, h(kIv), cbc)) == kPlain);
}

TEST_CASE("AES-256 ECB, SP 800-38A F.1.5", "[crypto][symmetric]") {
    const SymmetricKey key(BlockCipher::Aes, h("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"));
    CHECK(hx(encryptEcb(key, h(kPlain.substr(0, 32)))) == "F3EED1BDB5D2A03C064B5A7E3DB181F8");
}

TEST_CASE("3DES 2-key and 3-key round trips; 3-key with K1=K2=K3 is single DES", "[crypto][symmetric]") {
    // FIPS 81 / SP 800-67 DES example: key 0123456789ABCDEF, "Now is t" → 3FA40E8A984D4815.
    const SymmetricKey des(BlockCipher::TripleDes, h("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"));
    CHECK(hx(encryptEcb(des, h("4E6F772069732074"))) == "3FA40E8A984D4815");
    const SymmetricKey two(BlockCipher::TripleDes, h("0123456789ABCDEFFEDCBA9876543210"));
    const Bytes plain = h("00112233445566778899AABBCCDDEEFF");
    CHECK(decryptCbcZeroIv(two, encryptCbcZeroIv(two, plain)) == plain);
    const SymmetricKey three(BlockCipher::TripleDes, h("0123456789ABCDEFFEDCBA987654321089ABCDEF01234567"));
    CHECK(decryptEcb(three, encryptEcb(three, plain)) == plain);
    CHECK(encryptEcb(three, plain) != encryptEcb(two, plain));
}

TEST_CASE("symmetric key and input validation", "[crypto][symmetric]") {
    CHECK_THROWS_AS(SymmetricKey(BlockCipher::Aes, Bytes(15)), std::invalid_argument);
    CHECK_THROWS_AS(SymmetricKey(BlockCipher::TripleDes, Bytes(8)), std::invalid_argument);
    const SymmetricKey key(BlockCipher::Aes, Bytes(16));
    CHECK(key.blockSize() == 16);
    CHECK_THROWS_AS(encryptEcb(key, Bytes(15)), std::invalid_argument);
    CHECK_THROWS_AS(encryptCbc(key, Bytes(8), Bytes(16)), std::invalid_argument);
    CHECK(encryptEcb(key, {}).empty());
}

TEST_CASE("ISO 9797-1 padding method 2", "[crypto][symmetric]") {
    CHECK(hx(padIso9797M2(h("011E"), 8)) == "011E800000000000");
    CHECK(hx(padIso9797M2({}, 8)) == "8000000000000000");
    CHECK(hx(padIso9797M2(h("0102030405060708"), 8)) == "01020304050607088000000000000000");
    CHECK(hx(unpadIso9797M2(h("011E800000000000"), 8)) == "011E");
    CHECK(unpadIso9797M2(h("8000000000000000"), 8).empty());
    CHECK(hx(unpadIso9797M2(h("01020304050607088000000000000000"), 8)) == "0102030405060708");
    CHECK_THROWS_AS(unpadIso9797M2(h("011E000000000000"), 8), ParseError);
    CHECK_THROWS_AS(unpadIso9797M2(h("0000000000000000"), 8), ParseError);
    CHECK_THROWS_AS(unpadIso9797M2(h("011E8000"), 8), ParseError);
    CHECK_THROWS_AS(unpadIso9797M2({}, 8), ParseError);
    // 80 in an earlier block is data, not padding
    CHECK_THROWS_AS(unpadIso9797M2(h("01020304050680000000000000000000"), 8), ParseError);
}
