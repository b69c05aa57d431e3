// Asymmetric key pairs for card keys: RSA (RFC 8017) and EC on NIST P-256 / P-384 (FIPS 186-4),
// their PEM/DER encodings, and the public key data objects of GENERATE ASYMMETRIC KEY PAIR
// (ISO 7816-8 §5.1, data objects of ISO 7816-8 Table 3 as OpenSC and OpenPGP cards use them):
//   RSA: 7F49 { 81 modulus, 82 public exponent }      EC: 7F49 { 86 uncompressed point 04||X||Y }
// Keys are value types sharing one immutable EVP_PKEY (EVP_PKEY_up_ref on copy).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {

enum class KeyType { Rsa, Ec };
enum class EcCurve { P256, P384 };

const char* curveName(EcCurve curve);  // OpenSSL group name: "prime256v1", "secp384r1"
std::size_t curveFieldBytes(EcCurve curve);  // 32, 48

// ISO 7816-8 public key template tags.
constexpr std::uint32_t kTagPublicKeyTemplate = 0x7F49;
constexpr std::uint32_t kTagRsaModulus = 0x81;
constexpr std::uint32_t kTagRsaExponent = 0x82;
constexpr std::uint32_t kTagEcPoint = 0x86;

class PublicKey {
public:
    static PublicKey fromDer(ByteView subjectPublicKeyInfo);  // throws CryptoError
    static PublicKey fromPem(std::string_view pem);           // "BEGIN PUBLIC KEY"
    static PublicKey fromRsa(ByteView modulus, ByteView exponent);
    static PublicKey fromEcPoint(EcCurve curve, ByteView uncompressedPoint);
    // The 7F49 template (or its content); EC needs the curve, which the template does not carry.
    // Throws ParseError on a malformed template, CryptoError on an invalid key.
    static PublicKey fromIsoTemplate(ByteView tlv, std::optional<EcCurve> curve = std::nullopt);

    Bytes toDer() const;         // SubjectPublicKeyInfo (RFC 5280 §4.1.2.7)
    std::string toPem() const;
    Bytes isoTemplate() const;   // 7F49 ...

    KeyType type() const;
    int bits() const;                     // modulus or group order size
    std::optional<EcCurve> curve() const; // nullopt for RSA
    Bytes rsaModulus() const;             // big-endian, no leading zeros; RSA only
    Bytes rsaExponent() const;
    Bytes ecPoint() const;                // 04 || X || Y; EC only

    EVP_PKEY* get() const { return m_pkey.get(); }
    explicit PublicKey(PkeyPtr pkey);
    PublicKey(const PublicKey& other);
    PublicKey& operator=(const PublicKey& other);
    PublicKey(PublicKey&&) noexcept = default;
    PublicKey& operator=(PublicKey&&) noexcept = default;
    bool operator==(const PublicKey& other) const;  // same key material (EVP_PKEY_eq)

private:
    PkeyPtr m_pkey;
};

class PrivateKey {
public:
    // RSA with public exponent 65537; bits 1024 (legacy cards such as Cryptoflex), 2048, 3072
    // or 4096, std::invalid_argument otherwise.
    static PrivateKey generateRsa(int bits);
    static PrivateKey generateEc(EcCurve curve);
    // PKCS#8 "BEGIN PRIVATE KEY" (also traditional RSA/EC PEM); encrypted PEM is refused, never
    // prompted for.
    static PrivateKey fromPem(std::string_view pem);
    std::string toPem() const;  // unencrypted PKCS#8 (RFC 5208): keep it out of logs

    PublicKey publicKey() const;
    KeyType type() const;
    int bits() const;
    std::optional<EcCurve> curve() const;
    std::size_t signatureSize() const;  // RSA modulus bytes; 2 * field bytes for plain ECDSA

    EVP_PKEY* get() const { return m_pkey.get(); }
    explicit PrivateKey(PkeyPtr pkey);
    PrivateKey(const PrivateKey& other);
    PrivateKey& operator=(const PrivateKey& other);
    PrivateKey(PrivateKey&&) noexcept = default;
    PrivateKey& operator=(PrivateKey&&) noexcept = default;

private:
    PkeyPtr m_pkey;
};

}  // namespace vpcsc::vicc::crypto
