// Key generation, PEM/DER round trips and the ISO 7816-8 7F49 public key template.
#include <catch2/catch.hpp>

#include "common/tlv.hpp"
#include "tests/crypto/helpers.hpp"
#include "tests/crypto/keys.hpp"
#include "vicc/crypto/asymmetric.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

TEST_CASE("RSA key generation: size and exponent 65537", "[crypto][asymmetric]") {
    const PrivateKey& key = test::rsa2048();
    CHECK(key.type() == KeyType::Rsa);
    CHECK(key.bits() == 2048);
    CHECK_FALSE(key.curve());
    CHECK(key.signatureSize() == 256);
    const PublicKey pub = key.publicKey();
    CHECK(hx(pub.rsaExponent()) == "010001");
    CHECK(pub.rsaModulus().size() == 256);
    CHECK((pub.rsaModulus()[0] & 0x80) != 0);
    CHECK_THROWS_AS(PrivateKey::generateRsa(2000), std::invalid_argument);
}

TEST_CASE("RSA 3072 key generation", "[crypto][asymmetric][slow]") {
    const PrivateKey key = PrivateKey::generateRsa(3072);
    CHECK(key.bits() == 3072);
    CHECK(key.publicKey().rsaModulus().size() == 384);
}

TEST_CASE("EC key generation on P-256 and P-384", "[crypto][asymmetric]") {
    CHECK(test::p256().type() == KeyType::Ec);
    CHECK(test::p256().curve() == EcCurve::P256);
    CHECK(test::p256().bits() == 256);
    CHECK(test::p256().signatureSize() == 64);
    CHECK(test::p384().curve() == EcCurve::P384);
    CHECK(test::p384().signatureSize() == 96);
    const Bytes point = test::p256().publicKey().ecPoint();
    CHECK(point.size() == 65);
    CHECK(point[0] == 0x04);
    CHECK(test::p384().publicKey().ecPoint().size() == 97);
}

TEST_CASE("private key PEM (PKCS#8) round trip", "[crypto][asymmetric]") {
    for (const PrivateKey* key : {&test::rsa2048(), &test::p256(), &test::p384()}) {
        const std::string pem = key->toPem();
        CHECK(pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
        const PrivateKey back = PrivateKey::fromPem(pem);
        CHECK(back.type() == key->type());
        CHECK(back.publicKey() == key->publicKey());
        CHECK(back.toPem() == pem);
    }
    CHECK_THROWS_AS(PrivateKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), CryptoError);
    CHECK_THROWS_AS(PrivateKey::fromPem(""), CryptoError);
}

TEST_CASE("public key SubjectPublicKeyInfo DER and PEM round trip", "[crypto][asymmetric]") {
    for (const PrivateKey* key : {&test::rsa2048(), &test::p256()}) {
        const PublicKey pub = key->publicKey();
        const Bytes der = pub.toDer();
        CHECK(der[0] == 0x30);
        CHECK(PublicKey::fromDer(der) == pub);
        const std::string pem = pub.toPem();
        CHECK(pem.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
        CHECK(PublicKey::fromPem(pem) == pub);
        Bytes trailing = der;
        trailing.push_back(0x00);
        CHECK_THROWS_AS(PublicKey::fromDer(trailing), CryptoError);
        CHECK_THROWS_AS(PublicKey::fromDer(ByteView(der).first(der.size() - 1)), CryptoError);
    }
    CHECK_FALSE(test::p256().publicKey() == test::rsa2048().publicKey());
}

TEST_CASE("7F49 RSA public key template parsed back with common/tlv", "[crypto][asymmetric]") {
    const PublicKey pub = test::rsa2048().publicKey();
    const Bytes t = pub.isoTemplate();
    const tlv::Tlv outer = tlv::parseOne(t);
    CHECK(outer.tag == 0x7F49);
    auto children = tlv::parseAll(outer.value);
    REQUIRE(children.size() == 2);
    CHECK(children[0].tag == 0x81);
    CHECK(children[0].valueBytes() == pub.rsaModulus());
    CHECK(children[1].tag == 0x82);
    CHECK(hx(children[1].value) == "010001");
    CHECK(hx(ByteView(t).first(9)) == "7F4982010981820100");  // 7F49, length 0109, 81 length 0100
    CHECK(PublicKey::fromIsoTemplate(t) == pub);
    CHECK(PublicKey::fromIsoTemplate(outer.value) == pub);  // content only
    CHECK(PublicKey::fromRsa(pub.rsaModulus(), pub.rsaExponent()) == pub);
}

TEST_CASE("7F49 EC public key template", "[crypto][asymmetric]") {
    const PublicKey pub = test::p256().publicKey();
    const Bytes t = pub.isoTemplate();
    const auto point = tlv::findPath(t, {0x7F49, 0x86});
    REQUIRE(point);
    CHECK(point->valueBytes() == pub.ecPoint());
    CHECK(hx(ByteView(t).first(5)) == "7F49438641");
    CHECK(PublicKey::fromIsoTemplate(t, EcCurve::P256) == pub);
    CHECK_THROWS_AS(PublicKey::fromIsoTemplate(t), ParseError);                  // curve needed
    CHECK_THROWS_AS(PublicKey::fromIsoTemplate(t, EcCurve::P384), CryptoError);  // wrong size
    Bytes offCurve = pub.ecPoint();
    offCurve.back() ^= 0x01;
    CHECK_THROWS_AS(PublicKey::fromEcPoint(EcCurve::P256, offCurve), CryptoError);
    CHECK_THROWS_AS(PublicKey::fromIsoTemplate(h("7F4903800100")), ParseError);
    CHECK_THROWS_AS(PublicKey::fromIsoTemplate(h("7F49058103")), ParseError);  // truncated
}
