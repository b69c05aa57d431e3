// The "keys" member of the card image (doc/card-image.md).
#include "vicc/iso7816/card_key.hpp"

#include <string_view>

#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc {

using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& what) { throw ParseError("card image: key: " + what); }

struct UsageName {
    const char* name;
    unsigned bit;
};
constexpr UsageName kUsages[] = {{"sign", kUsageSign},
                                 {"decipher", kUsageDecipher},
                                 {"authenticate", kUsageAuthenticate},
                                 {"secureMessaging", kUsageSecureMessaging},
                                 {"verify", kUsageVerify}};

std::string algorithmName(const CardKey& k) {
    switch (k.algorithm) {
    case KeyAlgorithm::Aes: return "AES";
    case KeyAlgorithm::TripleDes: return "3DES";
    case KeyAlgorithm::Rsa: return "RSA-" + std::to_string(k.rsaBits);
    case KeyAlgorithm::Ec: return k.curve == crypto::EcCurve::P256 ? "EC-P256" : "EC-P384";
    }
    return "?";
}

// "AES", "3DES", "RSA" / "RSA-2048" / -3072 / -4096 (-1024 legacy), "EC" / "EC-P256" / "EC-P384".
void parseAlgorithm(CardKey& k, const std::string& name) {
    if (name == "AES") k.algorithm = KeyAlgorithm::Aes;
    else if (name == "3DES") k.algorithm = KeyAlgorithm::TripleDes;
    else if (name == "RSA") k.algorithm = KeyAlgorithm::Rsa;
    else if (name == "RSA-1024" || name == "RSA-2048" || name == "RSA-3072" || name == "RSA-4096") {
        k.algorithm = KeyAlgorithm::Rsa;
        k.rsaBits = std::stoi(name.substr(4));
    } else if (name == "EC" || name == "EC-P256") {
        k.algorithm = KeyAlgorithm::Ec;
        k.curve = crypto::EcCurve::P256;
    } else if (name == "EC-P384") {
        k.algorithm = KeyAlgorithm::Ec;
        k.curve = crypto::EcCurve::P384;
    } else
        bad("unknown \"algorithm\" " + json(name).dump() + " (AES, 3DES, RSA-2048, RSA-3072, RSA-4096, EC-P256, EC-P384)");
}

crypto::SymmetricKey secretOf(const CardKey& k, const std::string& hex, const char* member) {
    try {
        return crypto::SymmetricKey(k.algorithm == KeyAlgorithm::Aes ? crypto::BlockCipher::Aes : crypto::BlockCipher::TripleDes,
                                    fromHex(hex));
    } catch (const std::invalid_argument&) {
        bad(std::string("\"") + member + "\" has the wrong length for " + algorithmName(k));
    }
}

// The algorithm member must agree with key material from a PEM.
template <class Key>
void adopt(CardKey& k, const Key& key, bool sized) {
    const bool rsa = key.type() == crypto::KeyType::Rsa;
    if (rsa != (k.algorithm == KeyAlgorithm::Rsa)) bad("\"pem\" does not hold a key of \"algorithm\"");
    if (rsa) {
        if (sized && key.bits() != k.rsaBits) bad("\"pem\" holds an RSA key of another size than \"algorithm\"");
        k.rsaBits = key.bits();
    } else {
        if (sized && key.curve() != k.curve) bad("\"pem\" holds an EC key on another curve than \"algorithm\"");
        k.curve = *key.curve();
    }
}

}  // namespace

std::optional<crypto::PublicKey> CardKey::verificationKey() const {
    if (privateKey) return privateKey->publicKey();
    return publicKey;
}

CardKey keyFromJson(const json& j) {
    if (!j.is_object()) bad("each of \"keys\" must be an object");
    CardKey k;
    try {
        const Bytes ref = fromHex(j.at("reference").get<std::string>());
        if (ref.size() != 1) bad("\"reference\" is one byte of hex, e.g. \"01\"");
        k.reference = ref[0];
        const std::string alg = j.at("algorithm").get<std::string>();
        parseAlgorithm(k, alg);
        const bool sized = alg.find('-') != std::string::npos;
        if (j.contains("usage")) {
            if (!j["usage"].is_array()) bad("\"usage\" is an array of strings");
            for (const auto& u : j["usage"]) {
                const std::string name = u.get<std::string>();
                unsigned bit = 0;
                for (const auto& [n, b] : kUsages)
                    if (name == n) bit = b;
                if (!bit) bad("unknown \"usage\" " + json(name).dump());
                k.usage |= bit;
            }
        } else {
            k.usage = k.symmetric() ? kUsageAuthenticate : kUsageSign | kUsageDecipher;
        }
        if (j.contains("access")) {
            const Bytes sc = fromHex(j["access"].get<std::string>());
            if (sc.size() != 1) bad("\"access\" is one security condition byte, e.g. \"11\"");
            k.access.sc = sc[0];
        }
        if (k.symmetric()) {
            if (j.contains("pem")) bad("AES / 3DES keys are given as hex \"value\"");
            k.secret = secretOf(k, j.at("value").get<std::string>(), "value");
            if (j.contains("macValue")) k.macSecret = secretOf(k, j["macValue"].get<std::string>(), "macValue");
        } else {
            if (j.contains("value") || j.contains("macValue")) bad("RSA / EC keys are given as \"pem\"");
            if (j.contains("pem")) {
                const std::string pem = j["pem"].get<std::string>();
                try {
                    if (pem.find("PUBLIC KEY-----") != std::string::npos) {
                        k.publicKey = crypto::PublicKey::fromPem(pem);
                        adopt(k, *k.publicKey, sized);
                    } else {
                        k.privateKey = crypto::PrivateKey::fromPem(pem);
                        adopt(k, *k.privateKey, sized);
                    }
                } catch (const crypto::CryptoError&) {
                    bad("\"pem\" is not an unencrypted PEM private or public key");
                }
            } else if (!sized && k.algorithm == KeyAlgorithm::Rsa) {
                k.rsaBits = 2048;
            }
        }
    } catch (const json::exception& e) {
        bad(e.what());
    }
    return k;
}

json keyToJson(const CardKey& k) {
    std::uint8_t ref = k.reference;
    json j = {{"reference", toHex(ByteView(&ref, 1), 0)}, {"algorithm", algorithmName(k)}};
    json usage = json::array();
    for (const auto& [n, b] : kUsages)
        if (k.usage & b) usage.push_back(n);
    j["usage"] = std::move(usage);
    std::uint8_t sc = k.access.sc;
    j["access"] = toHex(ByteView(&sc, 1), 0);
    if (k.secret) j["value"] = toHex(k.secret->bytes(), 0);
    if (k.macSecret) j["macValue"] = toHex(k.macSecret->bytes(), 0);
    if (k.privateKey) j["pem"] = k.privateKey->toPem();
    else if (k.publicKey) j["pem"] = k.publicKey->toPem();
    return j;
}

}  // namespace vpcsc::vicc
