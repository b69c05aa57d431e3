// AES-CMAC against NIST SP 800-38B Appendix D (D.1 AES-128, D.2 AES-192, D.3 AES-256), and
// ISO 9797-1 MAC algorithm 3 against ICAO Doc 9303 Part 11 Appendix D.3 (BAC mutual
// authentication: M_IFD and M_ICC over the padded cryptograms E_IFD and E_ICC).
#include <catch2/catch.hpp>

#include "tests/crypto/helpers.hpp"
#include "vicc/crypto/mac.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

namespace {
const std::string kMessage =
    "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51"
    "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";
Bytes message(std::size_t bits) { return h(kMessage.substr(0, bits / 4)); }
}  // namespace

TEST_CASE("AES-128 CMAC, SP 800-38B D.1", "[crypto][mac]") {
    const SymmetricKey key(BlockCipher::Aes, h("2B7E151628AED2A6ABF7158809CF4F3C"));
    CHECK(hx(aesCmac(key, message(0))) == "BB1D6929E95937287FA37D129B756746");
    CHECK(hx(aesCmac(key, message(128))) == "070A16B46B4D4144F79BDD9DD04A287C");
    CHECK(hx(aesCmac(key, message(320))) == "DFA66747DE9AE63030CA32611497C827");
    CHECK(hx(aesCmac(key, message(512))) == "51F0BEBF7E3B9D92FC49741779363CFE");
}

TEST_CASE("AES-192 and AES-256 CMAC, SP 800-38B D.2 and D.3", "[crypto][mac]") {
    const SymmetricKey k192(BlockCipher::Aes, h("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B"));
    CHECK(hx(aesCmac(k192, message(0))) == "D17DDF46ADAACDE531CAC483DE7A9367");
    CHECK(hx(aesCmac(k192, message(128))) == "9E99A7BF31E710900662F65E617C5184");
    const SymmetricKey k256(BlockCipher::Aes, h("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4"));
    CHECK(hx(aesCmac(k256, message(0))) == "028962F61B7BF89EFC6B551F4667D983");
    CHECK(hx(aesCmac(k256, message(128))) == "28A7023F452E8F82BD4BF28D8C37C35C");
    CHECK(hx(aesCmac(k256, message(512))) == "E1992190549F6ED5696A2C056C315410");
}

TEST_CASE("retail MAC, ICAO 9303 Part 11 Appendix D.3", "[crypto][mac]") {
    const SymmetricKey kMac(BlockCipher::TripleDes, h("7962D9ECE03D1ACD4C76089DCE131543"));
    const Bytes eIfd = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
    CHECK(hx(retailMac(kMac, padIso9797M2(eIfd, 8))) == "5F1448EEA8AD90A7");
    const Bytes eIcc = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F");
    CHECK(hx(retailMac(kMac, padIso9797M2(eIcc, 8))) == "2F2D235D074D7449");
}

TEST_CASE("MAC argument checks", "[crypto][mac]") {
    const SymmetricKey des(BlockCipher::TripleDes, Bytes(16, 1));
    const SymmetricKey des3(BlockCipher::TripleDes, Bytes(24, 1));
    const SymmetricKey aes(BlockCipher::Aes, Bytes(16, 1));
    CHECK_THROWS_AS(aesCmac(des, Bytes(8)), std::invalid_argument);
    CHECK_THROWS_AS(retailMac(aes, Bytes(8)), std::invalid_argument);
    CHECK_THROWS_AS(retailMac(des3, Bytes(8)), std::invalid_argument);
    CHECK_THROWS_AS(retailMac(des, Bytes(7)), std::invalid_argument);
    CHECK_THROWS_AS(retailMac(des, {}), std::invalid_argument);
    CHECK(retailMac(des, Bytes(8)).size() == 8);
}
