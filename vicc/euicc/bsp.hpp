// The crypto of a profile download (SGP.22 v2.5 §2.6.4 / §5.5.x, GlobalPlatform SCP03t):
//   ECKA-EG:  ephemeral ECDH on the curve of CERT.DPpb, shared secret Z = x-coordinate (BSI TR-03111)
//   KDF:      ANSI X9.63 with SHA-256 over Z and sharedInfo = keyType || keyLength || len || hostId
//             || len || EID, output initial MCV || S-ENC || S-MAC (SGP.22 §2.6.4.1 / Annex G)
//   BSP:      per segment (§2.6.4.2-4) ICV = AES-ECB(S-ENC, counter), AES-CBC with padding 80 00..;
//             C-MAC = first 8 bytes of AES-CMAC(S-MAC, MCV || tag || length || data), MCV := CMAC.
// OpenSSL does every primitive (EVP_PKEY_derive, EVP_KDF X963KDF, EVP_CIPHER, EVP_MAC CMAC).
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::euicc {

using vicc::crypto::SymmetricKey;

// The two curves SGP.22 requires (§2.6.5): NIST P-256 and brainpoolP256r1.
enum class RspCurve { NistP256, BrainpoolP256r1 };
const char* curveGroupName(RspCurve curve);  // "prime256v1", "brainpoolP256r1"

// An ephemeral key pair for ECKA (otSK/otPK, SGP.22 §3.1.3 / §3.1.3.3). The private key never
// leaves the object and is freed (OpenSSL clears it) with it.
class EckaKeyPair {
public:
    static EckaKeyPair generate(RspCurve curve);
    // From a known private scalar (known-answer tests only): 32 bytes big-endian.
    static EckaKeyPair fromPrivate(RspCurve curve, ByteView scalar);
    RspCurve curve() const { return m_curve; }
    // 04 || X || Y, 65 bytes: the value of 5F49 (euiccOtpk / smdpOtpk).
    Bytes publicPoint() const;
    // Z = x-coordinate of d * peerPoint (32 bytes). Throws CryptoError if peerPoint is not an
    // uncompressed point on this curve.
    Bytes sharedSecret(ByteView peerPoint) const;

private:
    EckaKeyPair(RspCurve curve, vicc::crypto::PkeyPtr key) : m_curve(curve), m_key(std::move(key)) {}
    RspCurve m_curve;
    vicc::crypto::PkeyPtr m_key;
};

// Key derivation parameters of InitialiseSecureChannel (BF23 A6 controlRefTemplate, §5.5.2).
constexpr std::uint8_t kKeyTypeAes = 0x88;    // keyType
constexpr std::uint8_t kKeyLength128 = 0x10;  // keyLen

struct SessionKeys {
    Bytes initialMcv;  // 16 bytes
    SymmetricKey sEnc;
    SymmetricKey sMac;
};

// X9.63 KDF (SHA-256) -> 48 bytes split MCV || S-ENC || S-MAC. hostId: 1-16 bytes; eid: 16 bytes
// (the BCD EID as in GetEID). Throws std::invalid_argument on bad lengths.
SessionKeys deriveSessionKeys(ByteView sharedSecret, ByteView hostId, ByteView eid,
                              std::uint8_t keyType = kKeyTypeAes, std::uint8_t keyLength = kKeyLength128);
// The raw 48 KDF output bytes (known-answer tests).
Bytes x963KdfSha256(ByteView sharedSecret, ByteView sharedInfo, std::size_t length);

// One direction of BSP (SCP03t). The SM-DP+ wraps, the eUICC unwraps; both walk the same state:
// every segment (MAC-only ones too) consumes one counter value and replaces the MCV.
class Bsp {
public:
    explicit Bsp(const SessionKeys& keys);
    // Bsp after ReplaceSessionKeys (BF26): PPK-ENC, PPK-MAC, initial MCV; counter back to 1.
    Bsp(ByteView ppkEnc, ByteView ppkMac, ByteView initialMcv);

    // Largest plaintext one encrypted segment of at most kMaxSegment bytes can carry.
    static constexpr std::size_t kMaxSegment = 1020;                      // incl. tag, length, C-MAC
    static constexpr std::size_t kMaxPayload = kMaxSegment - 1 - 3 - 8;   // 1008 bytes of cryptogram
    static constexpr std::size_t kMaxPlaintext = kMaxPayload - 1;         // 1007: padding adds >= 1
    static constexpr std::size_t kMaxMacOnlyData = kMaxPayload;

    // tag || len || AES-CBC(pad(plaintext)) || C-MAC (tags 86, 87). plaintext <= kMaxPlaintext.
    Bytes wrapEncrypted(std::uint8_t tag, ByteView plaintext);
    // tag || len || data || C-MAC (tag 88). data <= kMaxMacOnlyData.
    Bytes wrapMacOnly(std::uint8_t tag, ByteView data);
    // Checks the C-MAC of one segment (its whole TLV) and returns the plaintext (encrypted) or
    // data (MAC-only). Throws BspError on a bad MAC or padding; the state does not change then.
    Bytes unwrapEncrypted(ByteView segment);
    Bytes unwrapMacOnly(ByteView segment);

    std::uint32_t counter() const { return m_counter; }
    const Bytes& macChainingValue() const { return m_mcv; }

private:
    Bytes icv() const;
    Bytes cmac(std::uint8_t tag, std::size_t lengthField, ByteView data) const;
    SymmetricKey m_enc, m_mac;
    Bytes m_mcv;
    std::uint32_t m_counter = 1;
};

// A segment failed verification (SGP.22: errorReason incorrectInputValues / macVerificationFailed).
struct BspError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace vpcsc::euicc
