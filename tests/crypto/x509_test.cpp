// Certificates issued in the test by a CA key, parsed back and verified as PSO VERIFY
// CERTIFICATE would (signature with the issuer's public key).
#include <catch2/catch.hpp>

#include <ctime>

#include "tests/crypto/helpers.hpp"
#include "tests/crypto/keys.hpp"
#include "vicc/crypto/x509.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::hx;

TEST_CASE("certificate chain CA (RSA) → card (EC): parse and verify", "[crypto][x509]") {
    const PrivateKey& caKey = test::rsa2048();
    const Certificate ca = issueCertificate({"vpcsc test CA", "vpcsc test CA", 1, 30, true, DigestAlgorithm::Sha256},
                                            caKey.publicKey(), caKey);
    const Certificate card = issueCertificate({"Card 1", "vpcsc test CA", 0x1234, 30, false, DigestAlgorithm::Sha384},
                                              test::p256().publicKey(), caKey);
    CHECK(ca.subject() == "CN=vpcsc test CA");
    CHECK(card.subject() == "CN=Card 1");
    CHECK(card.issuer() == "CN=vpcsc test CA");
    CHECK(hx(card.serialNumber()) == "1234");
    CHECK(card.publicKey() == test::p256().publicKey());
    CHECK(card.signatureValid(caKey.publicKey()));
    CHECK(card.issuedBy(ca));
    CHECK(ca.issuedBy(ca));  // self-signed
    CHECK_FALSE(card.signatureValid(test::p256().publicKey()));
    CHECK_FALSE(ca.issuedBy(card));
    CHECK(card.validAt(std::time(nullptr)));
    CHECK_FALSE(card.validAt(std::time(nullptr) + 31L * 86400));

    const Bytes der = card.toDer();
    const Certificate back = Certificate::fromDer(der);
    CHECK(back.toDer() == der);
    CHECK(Certificate::fromPem(card.toPem()).toDer() == der);
    const Certificate copy = back;
    CHECK(copy.issuedBy(ca));

    // A flipped bit in the signature value (the last byte of the DER) breaks verification.
    Bytes tampered = der;
    tampered.back() ^= 0x01;
    CHECK_FALSE(Certificate::fromDer(tampered).issuedBy(ca));
    Bytes trailing = der;
    trailing.push_back(0);
    CHECK_THROWS_AS(Certificate::fromDer(trailing), CryptoError);
    CHECK_THROWS_AS(Certificate::fromDer(ByteView(der).first(100)), CryptoError);
    CHECK_THROWS_AS(Certificate::fromPem("not a certificate"), CryptoError);
}

TEST_CASE("EC CA signs with ECDSA", "[crypto][x509]") {
    const Certificate root = issueCertificate({"EC root", "EC root", 7, 1, true, DigestAlgorithm::Sha384},
                                              test::p384().publicKey(), test::p384());
    CHECK(root.issuedBy(root));
    CHECK(root.publicKey().curve() == EcCurve::P384);
}
