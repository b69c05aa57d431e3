// Keys of a card (ISO 7816-4 §5.4.3 key references, ISO 7816-8): secret keys (AES, 3DES) for
// INTERNAL/EXTERNAL/MUTUAL AUTHENTICATE and secure messaging, and asymmetric keys (RSA, EC) for
// PERFORM SECURITY OPERATION and GENERATE ASYMMETRIC KEY PAIR. Part of the card image ("keys",
// doc/card-image.md), where they are stored in clear.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "vicc/crypto/asymmetric.hpp"
#include "vicc/crypto/symmetric.hpp"
#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc {

enum class KeyAlgorithm { Aes, TripleDes, Rsa, Ec };

// What a key may be used for (image member "usage").
enum KeyUsage : unsigned {
    kUsageSign = 1,             // PSO COMPUTE DIGITAL SIGNATURE
    kUsageDecipher = 2,         // PSO DECIPHER
    kUsageAuthenticate = 4,     // INTERNAL / EXTERNAL / MUTUAL AUTHENTICATE
    kUsageSecureMessaging = 8,  // static secure messaging keys
    kUsageVerify = 16,          // PSO VERIFY DIGITAL SIGNATURE / VERIFY CERTIFICATE
};

struct CardKey {
    std::uint8_t reference = 0;
    KeyAlgorithm algorithm = KeyAlgorithm::Aes;
    int rsaBits = 2048;                                  // RSA: size to generate / of the key
    crypto::EcCurve curve = crypto::EcCurve::P256;        // EC
    unsigned usage = 0;
    SecurityCondition access;                            // to use or generate the key (compact SC byte)
    std::optional<crypto::SymmetricKey> secret;          // AES / 3DES: K (K_enc)
    std::optional<crypto::SymmetricKey> macSecret;       // AES / 3DES: K_mac (optional)
    std::optional<crypto::PrivateKey> privateKey;        // RSA / EC, absent until generated
    std::optional<crypto::PublicKey> publicKey;          // RSA / EC public-only key

    bool symmetric() const { return algorithm == KeyAlgorithm::Aes || algorithm == KeyAlgorithm::TripleDes; }
    bool allows(unsigned u) const { return (usage & u) != 0; }
    // The MAC key of MUTUAL AUTHENTICATE and SM: macSecret, else secret.
    const crypto::SymmetricKey& macKey() const { return macSecret ? *macSecret : *secret; }
    // The public key of an asymmetric key (of the private key if there is one).
    std::optional<crypto::PublicKey> verificationKey() const;
};

// Throws ParseError naming the problem.
CardKey keyFromJson(const nlohmann::json& j);
nlohmann::json keyToJson(const CardKey& key);

}  // namespace vpcsc::vicc
