// MANAGE SECURITY ENVIRONMENT, PERFORM SECURITY OPERATION and GENERATE ASYMMETRIC KEY PAIR
// (ISO 7816-4 §11.5, ISO 7816-8 §5) on vicc/cards/examples/iso7816-keys.json:
//   10 RSA-2048 sign/decipher/verify, 11 EC-P256 sign/verify, 12 empty RSA-2048 slot,
//   13 empty EC-P384 slot (all PIN 81), 20 the public half of 10 (verify).
#include <catch2/catch.hpp>

#include "tests/iso7816/security_helpers.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/ecdsa.hpp"
#include "vicc/crypto/rsa.hpp"
#include "vicc/crypto/x509.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::responseData;
using vicc::test::tx;
using vicc::test::txApdu;

namespace {

const Bytes kAbc = {'a', 'b', 'c'};
const std::string kAbcSha256 = "BA 78 16 BF 8F 01 CF EA 41 41 40 DE 5D AE 22 23 B0 03 61 A3 96 17 7A 9C B4 10 FF 61 F2 00 15 AD";

std::unique_ptr<Iso7816Card> keysCard(bool verified = true) {
    auto card = test::exampleCard("iso7816-keys.json");
    if (verified && tx(*card, "00 20 00 81 04 31 32 33 34") != "90 00") throw std::runtime_error("VERIFY");
    return card;
}

std::string statusOf(const std::string& response) { return response.size() >= 5 ? response.substr(response.size() - 5) : response; }

}  // namespace

TEST_CASE("MANAGE SECURITY ENVIRONMENT: SET, RESTORE, errors", "[security][mse]") {
    auto card = keysCard(false);
    auto& se = card->channel(0)->se;
    CHECK(tx(*card, "00 22 41 B6 06 80 01 01 84 01 10") == "90 00");
    CHECK(se.dst.algorithm == 0x01);
    CHECK(se.dst.key == 0x10);
    CHECK(tx(*card, "00 22 41 B8 03 84 01 10") == "90 00");
    CHECK(tx(*card, "00 22 81 A4 06 83 01 01 95 01 80") == "90 00");
    CHECK(se.at.key == 0x01);
    CHECK(tx(*card, "00 22 41 AA 03 80 01 01") == "90 00");
    CHECK(tx(*card, "00 22 41 B6") == "90 00");  // empty: the template is cleared
    CHECK_FALSE(se.dst.key);
    CHECK(se.ct.key == 0x10);
    CHECK(tx(*card, "00 22 F3 00") == "90 00");  // RESTORE SE 0: the empty environment
    CHECK_FALSE(se.ct.key);
    CHECK_FALSE(se.at.key);
    // errors
    CHECK(tx(*card, "00 22 41 B6 03 84 01 99") == "6A 88");
    CHECK(tx(*card, "00 22 41 B6 03 80 01 77") == "6A 80");
    CHECK(tx(*card, "00 22 41 B8 03 80 01 04") == "6A 80");  // PSS is not a decipher algorithm
    CHECK(tx(*card, "00 22 41 AA 03 80 01 06") == "6A 80");
    CHECK(tx(*card, "00 22 41 B6 04 84 02 10 10") == "6A 80");
    CHECK(tx(*card, "00 22 41 B6 03 99 01 00") == "6A 80");
    CHECK(tx(*card, "00 22 41 B6 02 84 05") == "6A 80");   // malformed TLV
    CHECK(tx(*card, "00 22 41 B4 03 84 01 10") == "6A 86");  // CCT: not supported
    CHECK(tx(*card, "00 22 40 B6") == "6A 86");
    CHECK(tx(*card, "00 22 F3 01") == "6A 88");
    CHECK(tx(*card, "00 22 F3 00 01 00") == "67 00");
    CHECK(tx(*card, "00 22 F2 01") == "6A 81");
    CHECK(tx(*card, "00 22 F4 01") == "6A 81");
    // the SE is per channel
    CHECK(tx(*card, "00 22 41 B6 03 84 01 10") == "90 00");
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    CHECK_FALSE(card->channel(1)->se.dst.key);
}

TEST_CASE("PSO COMPUTE DIGITAL SIGNATURE with RSA: PKCS#1 v1.5, raw, PSS", "[security][pso][sign]") {
    auto card = keysCard(false);
    const crypto::PrivateKey& key = *card->keys().at(0x10).privateKey;
    const Bytes digestInfo = crypto::encodeDigestInfo(crypto::DigestAlgorithm::Sha256, crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc));
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256) == "69 85");  // no key in the SE
    CHECK(tx(*card, "00 22 41 B6 06 80 01 01 84 01 10") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256) == "69 82");  // PIN 81
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256) == toHex(crypto::rsaSignPkcs1(key, digestInfo)) + " 90 00");
    // default algorithm: PKCS#1 v1.5 for T, raw for a block of the modulus size
    CHECK(tx(*card, "00 22 41 B6 03 84 01 10") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256) == toHex(crypto::rsaSignPkcs1(key, digestInfo)) + " 90 00");
    Bytes block(256, 0xFF);
    block[0] = 0x00;
    block[1] = 0x01;
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, block, 256, true) == toHex(crypto::rsaSignRaw(key, block)) + " 90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, Bytes(246, 0x01), 256) == "67 00");  // T longer than k - 11
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, {}, 256) == "67 00");
    // raw
    CHECK(tx(*card, "00 22 41 B6 06 80 01 02 84 01 10") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, block, 256, true) == toHex(crypto::rsaSignRaw(key, block)) + " 90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256) == "67 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, Bytes(256, 0xFF), 256, true) == "6A 80");  // not below the modulus
    // PSS over a SHA-256 hash
    CHECK(tx(*card, "00 22 41 B6 06 80 01 04 84 01 10") == "90 00");
    const Bytes hash = crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc);
    const std::string pss = txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256);
    REQUIRE(statusOf(pss) == "90 00");
    CHECK(crypto::rsaVerifyPss(key.publicKey(), crypto::DigestAlgorithm::Sha256, hash, responseData(pss)));
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, Bytes(33, 1), 256) == "6A 80");
    // ECDSA algorithm with an RSA key
    CHECK(tx(*card, "00 22 41 B6 06 80 01 10 84 01 10") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256) == "69 85");
}

TEST_CASE("PSO COMPUTE DIGITAL SIGNATURE with ECDSA; keys that cannot sign", "[security][pso][sign]") {
    auto card = keysCard();
    const crypto::PublicKey pub = card->keys().at(0x11).privateKey->publicKey();
    const Bytes hash = crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc);
    CHECK(tx(*card, "00 22 41 B6 03 84 01 11") == "90 00");
    const std::string plain = txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256);
    REQUIRE(plain.size() == 66 * 3 - 1);
    CHECK(statusOf(plain) == "90 00");
    CHECK(crypto::ecdsaVerify(pub, hash, responseData(plain)));
    CHECK(tx(*card, "00 22 41 B6 06 80 01 11 84 01 11") == "90 00");
    const std::string der = txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256);
    CHECK(der.substr(0, 2) == "30");
    CHECK(crypto::ecdsaVerify(pub, hash, responseData(der), crypto::EcdsaFormat::Der));
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, Bytes(65, 1), 256) == "67 00");
    CHECK(tx(*card, "00 22 41 B6 06 80 01 01 84 01 11") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256) == "69 85");
    // the public key 20 may only verify; the empty slot 12 has nothing to sign with
    CHECK(tx(*card, "00 22 41 B6 03 84 01 20") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256) == "69 85");
    CHECK(tx(*card, "00 22 41 B6 03 84 01 12") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256) == "69 84");
    CHECK(tx(*card, "00 2A 9E 9B 01 00 00") == "6A 86");
}

TEST_CASE("PSO DECIPHER with RSA: PKCS#1 v1.5, OAEP, raw", "[security][pso][decipher]") {
    auto card = keysCard();
    const crypto::PublicKey pub = card->keys().at(0x10).privateKey->publicKey();
    const Bytes hello = {'h', 'e', 'l', 'l', 'o'};
    Bytes field = {0x00};
    append(field, crypto::rsaEncrypt(pub, hello, crypto::RsaPadding::Pkcs1));
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, field, 256) == "69 85");  // no CT key
    CHECK(tx(*card, "00 22 41 B8 03 84 01 10") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, field, 256) == "68 65 6C 6C 6F 90 00");
    Bytes wrongIndicator = field;
    wrongIndicator[0] = 0x01;
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, wrongIndicator, 256) == "6A 80");
    Bytes garbage = field;
    garbage[100] ^= 0x55;
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, garbage, 256) == "6A 80");
    CHECK(tx(*card, "00 2A 80 86 01 00 00") == "67 00");
    CHECK(tx(*card, "00 22 41 B8 06 80 01 03 84 01 10") == "90 00");
    Bytes oaep = {0x00};
    append(oaep, crypto::rsaEncrypt(pub, hello, crypto::RsaPadding::Oaep));
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, oaep, 256) == "68 65 6C 6C 6F 90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, field, 256) == "6A 80");
    CHECK(tx(*card, "00 22 41 B8 06 80 01 02 84 01 10") == "90 00");
    Bytes block(256, 0x00);
    block[255] = 0x2A;
    Bytes raw = {0x00};
    append(raw, crypto::rsaEncrypt(pub, block, crypto::RsaPadding::None));
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, raw, 256, true) == toHex(block) + " 90 00");
    // EC key 11 has no decipher usage
    CHECK(tx(*card, "00 22 41 B8 03 84 01 11") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, field, 256) == "69 85");
    // PIN needed
    CHECK(tx(*card, "00 22 41 B8 03 84 01 10") == "90 00");
    CHECK(tx(*card, "00 20 FF 81") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x80, 0x86, field, 256) == "69 82");
}

TEST_CASE("PSO HASH with the HT template's algorithm", "[security][pso][hash]") {
    auto card = keysCard(false);
    CHECK(tx(*card, "00 2A 90 80 03 61 62 63 00") == kAbcSha256 + " 90 00");
    CHECK(tx(*card, "00 22 41 AA 03 80 01 01") == "90 00");
    CHECK(tx(*card, "00 2A 90 80 03 61 62 63 00") == "A9 99 3E 36 47 06 81 6A BA 3E 25 71 78 50 C2 6C 9C D0 D8 9D 90 00");
    CHECK(tx(*card, "00 22 41 AA 03 80 01 03") == "90 00");
    CHECK(tx(*card, "00 2A 90 80 03 61 62 63 00") == kAbcSha256 + " 90 00");
    CHECK(tx(*card, "00 2A 90 80 00") ==
          "E3 B0 C4 42 98 FC 1C 14 9A FB F4 C8 99 6F B9 24 27 AE 41 E4 64 9B 93 4C A4 95 99 1B 78 52 B8 55 90 00");
}

TEST_CASE("PSO VERIFY DIGITAL SIGNATURE and VERIFY CERTIFICATE", "[security][pso][verify]") {
    auto card = keysCard(false);
    const crypto::PrivateKey& key = *card->keys().at(0x10).privateKey;
    const Bytes hash = crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc);
    const Bytes signature = crypto::rsaSignPkcs1(key, crypto::DigestAlgorithm::Sha256, hash);
    auto tlvOf = [](std::uint8_t tag, ByteView v) {
        Bytes out = {tag};
        if (v.size() > 255) out.insert(out.end(), {0x82, static_cast<std::uint8_t>(v.size() >> 8), static_cast<std::uint8_t>(v.size())});
        else if (v.size() > 127) out.insert(out.end(), {0x81, static_cast<std::uint8_t>(v.size())});
        else out.push_back(static_cast<std::uint8_t>(v.size()));
        append(out, v);
        return out;
    };
    Bytes withHash = tlvOf(0x9E, signature);
    append(withHash, tlvOf(0x90, hash));
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, withHash) == "69 85");
    CHECK(tx(*card, "00 22 81 B6 03 83 01 20") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, withHash) == "90 00");
    Bytes withInput = tlvOf(0x9E, signature);
    append(withInput, tlvOf(0x9A, crypto::encodeDigestInfo(crypto::DigestAlgorithm::Sha256, hash)));
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, withInput) == "90 00");
    Bytes bad = withHash;
    bad[10] ^= 1;
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, bad) == "63 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, tlvOf(0x9E, signature)) == "6A 80");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, tlvOf(0x90, hash)) == "6A 80");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, fromHex("9E 05 01")) == "6A 80");
    // ECDSA with the public half of key 11 (its own key pair; usage verify, PIN 81)
    const crypto::PrivateKey& ec = *card->keys().at(0x11).privateKey;
    Bytes ecdsa = tlvOf(0x9E, crypto::ecdsaSign(ec, hash));
    append(ecdsa, tlvOf(0x90, hash));
    CHECK(tx(*card, "00 22 81 B6 03 83 01 11") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, ecdsa) == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xA8, ecdsa) == "90 00");

    // VERIFY CERTIFICATE: issued by key 10, checked with its public half 20
    crypto::CertificateTemplate t;
    t.subjectCommonName = "card";
    t.issuerCommonName = "issuer";
    const crypto::Certificate good = crypto::issueCertificate(t, ec.publicKey(), key);
    const crypto::Certificate other = crypto::issueCertificate(t, ec.publicKey(), ec);
    CHECK(tx(*card, "00 22 81 B6 03 83 01 20") == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xAE, good.toDer()) == "90 00");
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xAE, other.toDer()) == "63 00");
    CHECK(tx(*card, "00 2A 00 AE 03 30 01 00") == "6A 80");
    CHECK(tx(*card, "00 22 81 B6 03 83 01 01") == "90 00");  // a secret key cannot verify
    CHECK(txApdu(*card, 0, 0x2A, 0x00, 0xAE, good.toDer()) == "69 85");
}

TEST_CASE("GENERATE ASYMMETRIC KEY PAIR: RSA-2048 and EC P-384 slots, persisted", "[security][generate]") {
    auto card = keysCard(false);
    card->consumeDirty();
    CHECK(tx(*card, "00 47 80 00 05 B6 03 84 01 12 00") == "69 82");
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    card->consumeDirty();
    const std::string rsa = tx(*card, "00 47 80 00 00 00 05 B6 03 84 01 12 00 00");
    REQUIRE(rsa.size() == 272 * 3 - 1);
    CHECK(rsa.substr(0, 26) == "7F 49 82 01 09 81 82 01 00");
    CHECK(rsa.substr(rsa.size() - 20) == "82 03 01 00 01 90 00");
    CHECK(card->consumeDirty());
    REQUIRE(card->keys().at(0x12).privateKey);
    const crypto::PublicKey pub = crypto::PublicKey::fromIsoTemplate(responseData(rsa));
    CHECK(pub == card->keys().at(0x12).privateKey->publicKey());
    // read it back (INS 47 P1 81), and sign with it
    CHECK(tx(*card, "00 47 81 00 00 00 05 B6 03 84 01 12 00 00") == rsa);
    CHECK(tx(*card, "00 22 41 B6 03 84 01 12") == "90 00");
    const Bytes digestInfo = crypto::encodeDigestInfo(crypto::DigestAlgorithm::Sha256, crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc));
    CHECK(crypto::rsaVerifyPkcs1(pub, digestInfo, responseData(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256))));
    // the image keeps the private key
    auto copy = test::blankCard();
    copy->loadState(card->saveState());
    CHECK(copy->keys().at(0x12).privateKey->publicKey() == pub);

    // EC P-384 with INS 46, P2 = key reference
    const std::string ec = tx(*card, "00 46 00 13 00");
    REQUIRE(ec.size() == 104 * 3 - 1);
    CHECK(ec.substr(0, 17) == "7F 49 63 86 61 04");
    CHECK(statusOf(ec) == "90 00");
    CHECK(crypto::PublicKey::fromIsoTemplate(responseData(ec), crypto::EcCurve::P384) ==
          card->keys().at(0x13).privateKey->publicKey());
    // the key of the SE when nothing names one
    CHECK(tx(*card, "00 22 41 B6 03 84 01 13") == "90 00");
    CHECK(statusOf(tx(*card, "00 47 80 00 00")) == "90 00");
}

TEST_CASE("GENERATE ASYMMETRIC KEY PAIR errors", "[security][generate]") {
    auto card = keysCard();
    CHECK(tx(*card, "00 46 00 01 00") == "69 85");        // AES key
    CHECK(tx(*card, "00 46 00 99 00") == "6A 88");
    CHECK(tx(*card, "00 46 01 12 00") == "6A 86");
    CHECK(tx(*card, "00 46 80 12 00") == "6A 86");
    CHECK(tx(*card, "00 47 82 00 05 B6 03 84 01 12 00") == "6A 86");
    CHECK(tx(*card, "00 47 80 00 03 99 01 00 00") == "6A 80");
    CHECK(tx(*card, "00 47 80 00 05 B6 03 84 02 12 00") == "6A 80");
    CHECK(tx(*card, "00 47 80 00 02 B6 05 00") == "6A 80");
    CHECK(tx(*card, "00 47 80 00 00") == "6A 88");         // no reference anywhere
    CHECK(tx(*card, "00 47 81 00 05 B6 03 84 01 13 00") == "69 84");  // empty slot: no public key
    CHECK(tx(*card, "00 47 81 00 05 B6 03 84 01 20 00").substr(0, 11) == "7F 49 82 01");  // public key
}

TEST_CASE("GENERATE ASYMMETRIC KEY PAIR: RSA-3072 and RSA-4096", "[security][generate][.slow]") {
    auto card = test::blankCard();
    card->loadState(nlohmann::json::parse(R"({"version":1,"keys":[{"reference":"01","algorithm":"RSA-3072"},
        {"reference":"02","algorithm":"RSA-4096"}],"fileSystem":{"fid":"3F00","structure":"DF"}})"));
    CHECK(tx(*card, "00 46 00 01 00 00 00").substr(0, 26) == "7F 49 82 01 89 81 82 01 80");
    CHECK(tx(*card, "00 46 00 02 00 00 00").substr(0, 26) == "7F 49 82 02 09 81 82 02 00");
}

// The blank development card has no keys: GENERATE creates the key reference when the command
// or the security environment names an algorithm (doc/card-image.md).
TEST_CASE("GENERATE ASYMMETRIC KEY PAIR into a new key reference of the blank card", "[security][generate]") {
    auto card = test::blankCard();
    REQUIRE(card->keys().empty());
    CHECK(tx(*card, "00 46 00 21 00") == "6A 88");                        // no algorithm anywhere
    CHECK(tx(*card, "00 47 81 00 05 B6 03 84 01 21 00") == "6A 88");       // nothing to read
    CHECK(tx(*card, "00 47 80 21 05 B6 03 80 01 77 00") == "6A 80");       // unknown algorithm
    CHECK(tx(*card, "00 47 80 21 05 B8 03 80 01 10 00") == "6A 80");       // ECDSA cannot decipher
    CHECK(tx(*card, "00 47 80 21 06 B6 04 80 02 01 01 00") == "6A 80");    // malformed DO 80
    CHECK(tx(*card, "00 22 41 B6 03 84 01 21") == "6A 88");                // MSE needs an existing key
    CHECK(card->keys().empty());
    card->consumeDirty();

    // RSA-2048 from DO 80 = 01 (PKCS#1) of the command's DST, reference from DO 84
    const std::string rsa = tx(*card, "00 47 80 00 00 00 08 B6 06 80 01 01 84 01 21 00 00");
    REQUIRE(rsa.size() == 272 * 3 - 1);
    CHECK(rsa.substr(0, 26) == "7F 49 82 01 09 81 82 01 00");
    CHECK(rsa.substr(rsa.size() - 20) == "82 03 01 00 01 90 00");
    CHECK(card->consumeDirty());
    const CardKey& k21 = card->keys().at(0x21);
    CHECK(k21.algorithm == KeyAlgorithm::Rsa);
    CHECK(k21.rsaBits == 2048);
    CHECK(k21.usage == (kUsageSign | kUsageDecipher | kUsageAuthenticate | kUsageVerify));
    CHECK(k21.access.sc == 0x00);
    const crypto::PublicKey rsaPub = crypto::PublicKey::fromIsoTemplate(responseData(rsa));
    REQUIRE(k21.privateKey);
    CHECK(rsaPub == k21.privateKey->publicKey());
    CHECK(tx(*card, "00 47 81 21 00 00 00") == rsa);
    // it signs at once, without VERIFY (access 00)
    CHECK(tx(*card, "00 22 41 B6 06 80 01 01 84 01 21") == "90 00");
    const Bytes digestInfo = crypto::encodeDigestInfo(crypto::DigestAlgorithm::Sha256, crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc));
    CHECK(crypto::rsaVerifyPkcs1(rsaPub, digestInfo, responseData(txApdu(*card, 0, 0x2A, 0x9E, 0x9A, digestInfo, 256))));

    // EC P-256 from the algorithm of the current DST (80 = 10, ECDSA r||s), reference in P2
    CHECK(tx(*card, "00 22 41 B6 03 80 01 10") == "90 00");
    const std::string ec = tx(*card, "00 46 00 22 00");
    REQUIRE(ec.size() == 72 * 3 - 1);
    CHECK(ec.substr(0, 17) == "7F 49 43 86 41 04");
    CHECK(statusOf(ec) == "90 00");
    const crypto::PublicKey ecPub = crypto::PublicKey::fromIsoTemplate(responseData(ec), crypto::EcCurve::P256);
    CHECK(ecPub == card->keys().at(0x22).privateKey->publicKey());
    CHECK(card->keys().at(0x22).curve == crypto::EcCurve::P256);
    CHECK(tx(*card, "00 22 41 B6 06 80 01 10 84 01 22") == "90 00");
    const Bytes hash = crypto::digest(crypto::DigestAlgorithm::Sha256, kAbc);
    const std::string sig = txApdu(*card, 0, 0x2A, 0x9E, 0x9A, hash, 256);
    CHECK(statusOf(sig) == "90 00");
    CHECK(crypto::ecdsaVerify(ecPub, hash, responseData(sig)));

    // an existing key is regenerated with its own algorithm, whatever DO 80 says
    const std::string again = tx(*card, "00 47 80 00 05 B6 03 80 01 01 00");  // the SE's key 22
    CHECK(again.substr(0, 17) == "7F 49 43 86 41 04");
    CHECK(again != ec);

    // both are in the image
    const auto image = card->saveState();
    REQUIRE(image.at("keys").size() == 2);
    CHECK(image["keys"][0].at("reference") == "21");
    CHECK(image["keys"][0].at("algorithm") == "RSA-2048");
    CHECK(image["keys"][0].at("usage") == nlohmann::json({"sign", "decipher", "authenticate", "verify"}));
    CHECK(image["keys"][0].at("access") == "00");
    CHECK(image["keys"][1].at("algorithm") == "EC-P256");
    auto copy = test::blankCard();
    copy->loadState(image);
    CHECK(copy->keys().at(0x21).privateKey->publicKey() == rsaPub);
    CHECK(tx(*copy, "00 47 81 21 00 00 00") == rsa);
}
