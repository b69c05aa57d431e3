// Known answers for the download crypto (vicc/euicc/bsp): ECKA, the X9.63 KDF, BSP encryption and
// MAC chaining. Vectors: the ECKA/KDF/BSP values of pySim's unit tests as recorded in the research
// notes (reproduced there with the OpenSSL 3.0 CLI), and further segments / a brainpoolP256r1 ECDH
// computed independently with the openssl CLI (enc -aes-128-ecb/-cbc, mac CMAC, pkeyutl -derive).
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/bsp.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using test::h;
using test::hx;

namespace {
const char* const kZ = "c9a993dd4879a8f7161f2085410edd4f9652f1df37be097ba96ba2ca6be528fe";
const char* const kHostId = "8080808080808080";
const char* const kEid = "89049032123451234512345678901235";
const char* const kMcv = "406d507b448a699e7a36a38494debbde";
const char* const kSEnc = "472f5bfadd97f21d34f3ce9b51b92751";
const char* const kSMac = "9ec07f5b36a13e12a991d66e294e6242";
}  // namespace

TEST_CASE("ECKA on NIST P-256: the SM-DP+ side of pySim's mode-51 vector", "[euicc][bsp][ecka]") {
    const auto smdp = EckaKeyPair::fromPrivate(RspCurve::NistP256, h("fb68a38ccedb69e15cbe03c256228998ac398587e5dc7117f948145c839d61a4"));
    CHECK(hx(smdp.publicPoint()) ==
          "04A27E2BDBD94DCF67D4C9AE5CB149D9D0F093BE7A16DC41EC9DB0318E4DB72D09234A7D7631979A5D150EEC40AFE17CE41673DF9D2F2E4246D60051C74EBA7964");
    const Bytes euiccOtpk = h("0400f7b8d71403f21d84b00cd9e561178d737d3f4d065e62fee279271298dd4f074794ab791b9939d4461296efe388aa26731064263af988b7d2c4d77da44801b5");
    CHECK(hx(smdp.sharedSecret(euiccOtpk)) == hx(h(kZ)));
}

TEST_CASE("ECKA on brainpoolP256r1: both directions agree with openssl pkeyutl -derive", "[euicc][bsp][ecka]") {
    const auto a = EckaKeyPair::fromPrivate(RspCurve::BrainpoolP256r1, h("a2f8cc74822e08c3ff0edd8597c82cc453434c2ee773b7effe302381820f3bb2"));
    const auto b = EckaKeyPair::fromPrivate(RspCurve::BrainpoolP256r1, h("7f303f5e95e8d5625b24c245db287f1313f55644eb165069af40b0bbc8d750be"));
    const Bytes qa = h("0423e7ff9994bf3c081ed913dda3e65feb8d69dec2897a741a7a13696e06538ae391b85fcd6a31ab0b3fbf49bee6589e58c9566c75e2dded80801d2f58c6d713ec");
    const Bytes qb = h("0445c4bfb2180852c15809599e910ebd89233edef40955d813ee9b24a05ce35b8e4603cf09b51ea5aa16a148a00b3a48438954e216ed4611d6c46157fd546ce988");
    CHECK(a.publicPoint() == qa);
    CHECK(b.publicPoint() == qb);
    const char* const z = "55E201B29C87C7D6D3D4DD86302A07493AF4779F4476DD003AABF799C2BBD610";
    CHECK(hx(a.sharedSecret(qb)) == z);
    CHECK(hx(b.sharedSecret(qa)) == z);
}

TEST_CASE("ECKA: fresh key pairs on both curves agree; bad peer points are refused", "[euicc][bsp][ecka]") {
    for (RspCurve c : {RspCurve::NistP256, RspCurve::BrainpoolP256r1}) {
        const auto card = EckaKeyPair::generate(c), server = EckaKeyPair::generate(c);
        CHECK(card.publicPoint().size() == 65);
        CHECK(card.publicPoint()[0] == 0x04);
        CHECK(card.sharedSecret(server.publicPoint()) == server.sharedSecret(card.publicPoint()));
        CHECK(card.sharedSecret(server.publicPoint()).size() == 32);
        Bytes offCurve = server.publicPoint();
        offCurve[64] ^= 0x01;
        CHECK_THROWS_AS(card.sharedSecret(offCurve), vicc::crypto::CryptoError);
        CHECK_THROWS_AS(card.sharedSecret(ByteView(server.publicPoint()).first(33)), vicc::crypto::CryptoError);
        Bytes compressed = server.publicPoint();
        compressed[0] = 0x02;
        CHECK_THROWS_AS(card.sharedSecret(compressed), vicc::crypto::CryptoError);
    }
    // A P-256 point is not a brainpool point.
    const auto p = EckaKeyPair::generate(RspCurve::NistP256), b = EckaKeyPair::generate(RspCurve::BrainpoolP256r1);
    CHECK_THROWS_AS(b.sharedSecret(p.publicPoint()), vicc::crypto::CryptoError);
}

TEST_CASE("X9.63 KDF: the session keys of the notes' vector", "[euicc][bsp][kdf]") {
    const Bytes raw = x963KdfSha256(h(kZ), h("88100880808080808080801089049032123451234512345678901235"), 48);
    CHECK(hx(raw) == hx(h(std::string(kMcv) + kSEnc + kSMac)));
    const SessionKeys k = deriveSessionKeys(h(kZ), h(kHostId), h(kEid));
    CHECK(hx(k.initialMcv) == hx(h(kMcv)));
    CHECK(hx(k.sEnc.bytes()) == hx(h(kSEnc)));
    CHECK(hx(k.sMac.bytes()) == hx(h(kSMac)));
    CHECK_THROWS_AS(deriveSessionKeys(h(kZ), h(kHostId), h("8904903212345123")), std::invalid_argument);
    CHECK_THROWS_AS(deriveSessionKeys(h(kZ), Bytes{}, h(kEid)), std::invalid_argument);
}

TEST_CASE("BSP: exact segments (87 encrypted, 88 MAC-only, 86 encrypted) and the eUICC side", "[euicc][bsp]") {
    const SessionKeys keys = deriveSessionKeys(h(kZ), h(kHostId), h(kEid));
    const Bytes seg1 = h("8718f6fe031e4b9cfe87c8e1e62f3fde85c49412d7722a6a2d89");  // ConfigureISDP BF24 00 (notes)
    const Bytes seg2 = h("8820bf2511800a980010325476981032149101009204746573747423882a510073ea");
    const Bytes seg3 = h("8618bb51b50047b53b6545c2fd5218780bd0333c79fb2d545516");
    SECTION("SM-DP+ wraps") {
        Bsp dp(keys);
        CHECK(hx(dp.wrapEncrypted(0x87, h("bf2400"))) == hx(seg1));
        CHECK(hx(dp.wrapMacOnly(0x88, h("bf2511800a98001032547698103214910100920474657374"))) == hx(seg2));
        CHECK(hx(dp.wrapEncrypted(0x86, h("a0058001018101ff"))) == hx(seg3));
        CHECK(dp.counter() == 4);
        CHECK(hx(dp.macChainingValue()) == "333C79FB2D545516E3BBC37E29656600");
    }
    SECTION("eUICC unwraps") {
        Bsp card(keys);
        CHECK(hx(card.unwrapEncrypted(seg1)) == "BF2400");
        CHECK(hx(card.unwrapMacOnly(seg2)) == "BF2511800A98001032547698103214910100920474657374");
        CHECK(hx(card.unwrapEncrypted(seg3)) == "A0058001018101FF");
    }
    SECTION("a flipped bit, a reordered or a replayed segment fails and leaves the state unchanged") {
        Bsp card(keys);
        Bytes bad = seg1;
        bad[5] ^= 0x80;
        CHECK_THROWS_AS(card.unwrapEncrypted(bad), BspError);
        CHECK(card.counter() == 1);
        CHECK_THROWS_AS(card.unwrapMacOnly(seg2), BspError);  // skipped seg1: wrong MCV
        CHECK(hx(card.unwrapEncrypted(seg1)) == "BF2400");
        CHECK_THROWS_AS(card.unwrapEncrypted(seg1), BspError);  // replay
        CHECK(card.counter() == 2);
        CHECK_THROWS_AS(card.unwrapMacOnly(h("8807112233445566778899")), BspError);  // shorter than a MAC... and wrong
        CHECK_THROWS_AS(card.unwrapEncrypted(h("8708")), BspError);                 // truncated TLV
        CHECK_THROWS_AS(card.unwrapEncrypted(h("8708aabbccddeeff0011")), BspError); // no cryptogram
    }
}

TEST_CASE("BSP: ReplaceSessionKeys starts a new chain; segment sizes stay within 1020 bytes", "[euicc][bsp]") {
    const Bytes ppkEnc(16, 0x00), ppkMac(16, 0x11), mcv(16, 0x22);
    Bsp dp(ppkEnc, ppkMac, mcv), card(ppkEnc, ppkMac, mcv);
    Bytes big(Bsp::kMaxPlaintext);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
    const Bytes seg = dp.wrapEncrypted(0x86, big);
    CHECK(seg.size() == Bsp::kMaxSegment);
    CHECK(card.unwrapEncrypted(seg) == big);
    CHECK_THROWS_AS(dp.wrapEncrypted(0x86, Bytes(Bsp::kMaxPlaintext + 1)), std::invalid_argument);
    const Bytes empty = dp.wrapEncrypted(0x86, {});
    CHECK(empty.size() == 2 + 16 + 8);
    CHECK(card.unwrapEncrypted(empty).empty());
    CHECK(dp.macChainingValue() == card.macChainingValue());
    CHECK_THROWS_AS(Bsp(Bytes(15), ppkMac, mcv), std::invalid_argument);
}
