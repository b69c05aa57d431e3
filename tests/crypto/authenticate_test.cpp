// Authentication cryptograms; MUTUAL AUTHENTICATE against ICAO Doc 9303 Part 11 Appendix D.3
// (BAC: K_enc, K_mac, S → E_IFD || M_IFD; the card's R → E_ICC || M_ICC).
#include <catch2/catch.hpp>

#include "tests/crypto/helpers.hpp"
#include "vicc/crypto/authenticate.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

namespace {
const SymmetricKey kEnc(BlockCipher::TripleDes, h("AB94FDECF2674FDFB9B391F85D7F76F2"));
const SymmetricKey kMac(BlockCipher::TripleDes, h("7962D9ECE03D1ACD4C76089DCE131543"));
}  // namespace

TEST_CASE("MUTUAL AUTHENTICATE cryptograms, ICAO 9303 Part 11 Appendix D.3", "[crypto][authenticate]") {
    const Bytes s = h("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
    const Bytes cmd = mutualAuthenticationCryptogram(kEnc, kMac, s);
    CHECK(hx(cmd) == "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
    CHECK(openMutualAuthenticationCryptogram(kEnc, kMac, cmd) == s);

    const Bytes resp = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
    CHECK(hx(*openMutualAuthenticationCryptogram(kEnc, kMac, resp)) ==
          "4608F91988702212781723860C06C2260B4F80323EB3191CB04970CB4052790B");

    Bytes tampered = cmd;
    tampered[3] ^= 0x01;
    CHECK_FALSE(openMutualAuthenticationCryptogram(kEnc, kMac, tampered));
    CHECK_FALSE(openMutualAuthenticationCryptogram(kEnc, kMac, ByteView(cmd).first(20)));
    CHECK_FALSE(openMutualAuthenticationCryptogram(kEnc, kMac, ByteView(cmd).first(8)));
}

TEST_CASE("INTERNAL/EXTERNAL AUTHENTICATE cryptogram: ECB, CBC zero IV, padded", "[crypto][authenticate]") {
    const Bytes challenge = h("0102030405060708");
    CHECK(authenticationCryptogram(kEnc, challenge) == encryptEcb(kEnc, challenge));
    const Bytes two = h("01020304050607080910111213141516");
    CHECK(authenticationCryptogram(kEnc, two) == encryptCbcZeroIv(kEnc, two));
    const Bytes odd = h("0102030405");
    CHECK(authenticationCryptogram(kEnc, odd) == encryptEcb(kEnc, h("0102030405800000")));
    CHECK(verifyAuthenticationCryptogram(kEnc, challenge, encryptEcb(kEnc, challenge)));
    CHECK_FALSE(verifyAuthenticationCryptogram(kEnc, challenge, encryptEcb(kMac, challenge)));
    CHECK_FALSE(verifyAuthenticationCryptogram(kEnc, challenge, Bytes(7)));

    const SymmetricKey aes(BlockCipher::Aes, h("2B7E151628AED2A6ABF7158809CF4F3C"));
    // SP 800-38A F.1.1 block 1: a 16-byte challenge is one AES block.
    CHECK(hx(authenticationCryptogram(aes, h("6BC1BEE22E409F96E93D7E117393172A"))) == "3AD77BB40D7A3660A89ECAF32466EF97");
    CHECK(authenticationCryptogram(aes, challenge).size() == 16);
}

TEST_CASE("SM MAC: retail MAC for 3DES, CMAC truncated to 8 bytes for AES", "[crypto][authenticate]") {
    const SymmetricKey aes(BlockCipher::Aes, h("2B7E151628AED2A6ABF7158809CF4F3C"));
    CHECK(hx(smMac(aes, h("6BC1BEE22E409F96E93D7E117393172A"))) == "070A16B46B4D4144");
    CHECK(smMac(kMac, Bytes(16)).size() == 8);
}
