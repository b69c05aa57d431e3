// X.509 v3 certificates (RFC 5280) for PSO VERIFY CERTIFICATE (ISO 7816-8 §5.6) and for card
// images that carry certificates: parsing, names, public key, and verification of the
// signature with an issuer's key (RFC 5280 §4.1.1.3; no path building or revocation). Card-
// verifiable certificates (7F21, ISO 7816-8 Annex / BSI TR-03110) are not handled here.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "vicc/crypto/asymmetric.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {

class Certificate {
public:
    static Certificate fromDer(ByteView der);  // throws CryptoError, also on trailing bytes
    static Certificate fromPem(std::string_view pem);

    Bytes toDer() const;
    std::string toPem() const;
    std::string subject() const;  // RFC 2253 string, "CN=Card,O=vpcsc"
    std::string issuer() const;
    Bytes serialNumber() const;   // big-endian magnitude
    PublicKey publicKey() const;
    // Whether the signature verifies with issuerKey (X509_verify).
    bool signatureValid(const PublicKey& issuerKey) const;
    // Issuer name equals issuer's subject and the signature verifies with issuer's key.
    bool issuedBy(const Certificate& issuer) const;
    bool validAt(std::time_t when) const;  // notBefore <= when <= notAfter

    X509* get() const { return m_x509.get(); }
    explicit Certificate(X509Ptr x509);
    Certificate(const Certificate& other);
    Certificate& operator=(const Certificate& other);
    Certificate(Certificate&&) noexcept = default;
    Certificate& operator=(Certificate&&) noexcept = default;

private:
    X509Ptr m_x509;
};

// What issueCertificate puts into a new certificate (card images, tests).
struct CertificateTemplate {
    std::string subjectCommonName;
    std::string issuerCommonName;  // equal to the subject for a self-signed certificate
    std::uint64_t serial = 1;
    int validDays = 365;           // from now
    bool ca = false;               // basicConstraints cA (critical)
    DigestAlgorithm digest = DigestAlgorithm::Sha256;
};

// An X.509 v3 certificate for subjectKey signed by issuerKey (RSA PKCS#1 v1.5 or ECDSA).
Certificate issueCertificate(const CertificateTemplate& t, const PublicKey& subjectKey, const PrivateKey& issuerKey);

}  // namespace vpcsc::vicc::crypto
