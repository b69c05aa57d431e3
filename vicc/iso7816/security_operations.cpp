// ISO 7816-4 §11.5 MANAGE SECURITY ENVIRONMENT (22), ISO 7816-8 §5 PERFORM SECURITY OPERATION
// (2A: compute digital signature, decipher, hash, verify digital signature, verify certificate)
// and GENERATE ASYMMETRIC KEY PAIR (46/47). Algorithm references (DO 80) are this card's
// (doc/card-image.md "Security operations"); every primitive comes from vicc/crypto.
#include "common/log.hpp"
#include "common/tlv.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/ecdsa.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/crypto/rsa.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

// DO 80 algorithm references of DST / CT / AT templates.
constexpr std::uint8_t kAlgDefault = 0x00;      // by key type: PKCS#1 v1.5 (RSA), ECDSA r || s (EC)
constexpr std::uint8_t kAlgRsaPkcs1 = 0x01;     // sign: T (a DigestInfo) padded; decipher: PKCS#1 v1.5
constexpr std::uint8_t kAlgRsaRaw = 0x02;       // no padding: k-byte blocks
constexpr std::uint8_t kAlgRsaOaep = 0x03;      // decipher: OAEP SHA-1
constexpr std::uint8_t kAlgRsaPss = 0x04;       // sign: a hash, PSS with MGF1 of that hash, salt = hash length
constexpr std::uint8_t kAlgEcdsaPlain = 0x10;   // r || s
constexpr std::uint8_t kAlgEcdsaDer = 0x11;     // Ecdsa-Sig-Value
// DO 80 of the HT template (AA): 01 SHA-1 ... 05 SHA-512; 00 SHA-256.
constexpr crypto::DigestAlgorithm kHashAlgorithms[] = {crypto::DigestAlgorithm::Sha256, crypto::DigestAlgorithm::Sha1,
                                                       crypto::DigestAlgorithm::Sha224, crypto::DigestAlgorithm::Sha256,
                                                       crypto::DigestAlgorithm::Sha384, crypto::DigestAlgorithm::Sha512};

constexpr std::uint8_t kTagAt = 0xA4, kTagDst = 0xB6, kTagCt = 0xB8, kTagHt = 0xAA;

bool knownAlgorithm(std::uint8_t crt, std::uint8_t alg) {
    switch (crt) {
    case kTagDst: return alg <= kAlgRsaRaw || alg == kAlgRsaPss || alg == kAlgEcdsaPlain || alg == kAlgEcdsaDer;
    case kTagCt: return alg <= kAlgRsaOaep;
    case kTagHt: return alg < std::size(kHashAlgorithms);
    default: return true;  // AT: the key decides
    }
}

// The digest whose output has this length (PSS, DigestInfo for a bare hash).
std::optional<crypto::DigestAlgorithm> digestOfLength(std::size_t n) {
    for (auto a : {crypto::DigestAlgorithm::Sha1, crypto::DigestAlgorithm::Sha224, crypto::DigestAlgorithm::Sha256,
                   crypto::DigestAlgorithm::Sha384, crypto::DigestAlgorithm::Sha512})
        if (crypto::digestSize(a) == n) return a;
    return std::nullopt;
}

std::vector<tlv::Tlv> dataObjects(ByteView data) {
    try {
        return tlv::parseAll(data);
    } catch (const tlv::TlvError&) {
        throw SwError(sw::kIncorrectDataField);
    }
}

std::uint8_t crtKey(const LogicalChannel::Crt& crt) {
    if (!crt.key) throw SwError(sw::kConditionsOfUseNotSatisfied);  // no key in the SE
    return *crt.key;
}

}  // namespace

// ISO 7816-4 §11.5 MANAGE SECURITY ENVIRONMENT. P1 b4-b1 = 1 SET (P2 = CRT tag A4/B6/B8/AA; data:
// 80 algorithm, 83/84 key reference, 81/95 accepted and ignored; an empty data field clears the
// template), 3 RESTORE (P2 = SEID; only SE 00, the empty environment). STORE and ERASE: 6A81.
Response Iso7816Card::manageSecurityEnvironment(const CommandApdu& c, LogicalChannel& ch) {
    switch (c.p1 & 0x0F) {
    case 0x01: break;
    case 0x03:
        if (!c.data.empty()) throw SwError(sw::kWrongLength);
        if (c.p2 != 0x00) throw SwError(sw::kReferencedDataNotFound);
        ch.se = {};
        return {};
    case 0x02:
    case 0x04: throw SwError(sw::kFunctionNotSupported);
    default: throw SwError(sw::kIncorrectP1P2);
    }
    LogicalChannel::Crt* crt = nullptr;
    switch (c.p2) {
    case kTagAt: crt = &ch.se.at; break;
    case kTagDst: crt = &ch.se.dst; break;
    case kTagCt: crt = &ch.se.ct; break;
    case kTagHt: crt = &ch.se.ht; break;
    default: throw SwError(sw::kIncorrectP1P2);
    }
    LogicalChannel::Crt set;
    for (const auto& d : dataObjects(c.data)) {
        switch (d.tag) {
        case 0x80:
            if (d.value.size() != 1 || !knownAlgorithm(c.p2, d.value[0])) throw SwError(sw::kIncorrectDataField);
            set.algorithm = d.value[0];
            break;
        case 0x83:
        case 0x84:
            if (d.value.size() != 1) throw SwError(sw::kIncorrectDataField);
            if (!m_keys.count(d.value[0])) throw SwError(sw::kReferencedDataNotFound);
            set.key = d.value[0];
            break;
        case 0x81:  // file reference
        case 0x95:  // usage qualifier
            break;
        default: throw SwError(sw::kIncorrectDataField);
        }
    }
    *crt = set;
    return {};
}

// ISO 7816-8 §5 PERFORM SECURITY OPERATION, by P1-P2.
Response Iso7816Card::performSecurityOperation(const CommandApdu& c, LogicalChannel& ch) {
    switch (c.p1 << 8 | c.p2) {
    case 0x9E9A: return computeDigitalSignature(c, ch);
    case 0x8086: return decipher(c, ch);
    case 0x9080: return hash(c, ch);
    case 0x00A8: return verifyDigitalSignature(c, ch);
    case 0x00AE: return verifyCertificate(c, ch);
    default: throw SwError(sw::kIncorrectP1P2);
    }
}

// ISO 7816-8 §5.4 COMPUTE DIGITAL SIGNATURE with the DST's key.
Response Iso7816Card::computeDigitalSignature(const CommandApdu& c, LogicalChannel& ch) {
    const CardKey& key = keyFor(crtKey(ch.se.dst), kUsageSign, ch);
    if (!key.privateKey) throw SwError(sw::kReferenceDataNotUsable);
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    const crypto::PrivateKey& pk = *key.privateKey;
    const std::uint8_t alg = ch.se.dst.algorithm.value_or(kAlgDefault);
    try {
        if (key.algorithm == KeyAlgorithm::Ec) {
            if (alg != kAlgDefault && alg != kAlgEcdsaPlain && alg != kAlgEcdsaDer) throw SwError(sw::kConditionsOfUseNotSatisfied);
            if (c.data.size() > 64) throw SwError(sw::kWrongLength);
            return Response(crypto::ecdsaSign(pk, c.data, alg == kAlgEcdsaDer ? crypto::EcdsaFormat::Der : crypto::EcdsaFormat::Plain));
        }
        const std::size_t k = pk.signatureSize();
        switch (alg) {
        case kAlgDefault:
            if (c.data.size() == k) return Response(crypto::rsaSignRaw(pk, c.data));
            [[fallthrough]];
        case kAlgRsaPkcs1:
            if (c.data.size() + 11 > k) throw SwError(sw::kWrongLength);
            return Response(crypto::rsaSignPkcs1(pk, c.data));
        case kAlgRsaRaw:
            if (c.data.size() != k) throw SwError(sw::kWrongLength);
            return Response(crypto::rsaSignRaw(pk, c.data));
        case kAlgRsaPss: {
            auto digest = digestOfLength(c.data.size());
            if (!digest) throw SwError(sw::kIncorrectDataField);
            return Response(crypto::rsaSignPss(pk, *digest, c.data));
        }
        default: throw SwError(sw::kConditionsOfUseNotSatisfied);
        }
    } catch (const crypto::CryptoError&) {
        throw SwError(sw::kIncorrectDataField);  // e.g. a raw block not below the modulus
    }
}

// ISO 7816-8 §5.7 DECIPHER with the CT's RSA key: data = padding indicator 00 || cryptogram.
Response Iso7816Card::decipher(const CommandApdu& c, LogicalChannel& ch) {
    const CardKey& key = keyFor(crtKey(ch.se.ct), kUsageDecipher, ch);
    if (!key.privateKey) throw SwError(sw::kReferenceDataNotUsable);
    if (key.algorithm != KeyAlgorithm::Rsa) throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (c.data.size() < 2) throw SwError(sw::kWrongLength);
    crypto::RsaPadding padding = crypto::RsaPadding::Pkcs1;
    switch (ch.se.ct.algorithm.value_or(kAlgDefault)) {
    case kAlgRsaRaw: padding = crypto::RsaPadding::None; break;
    case kAlgRsaOaep: padding = crypto::RsaPadding::Oaep; break;
    default: break;
    }
    return Response(crypto::psoDecipher(*key.privateKey, c.data, padding));  // 6A80 on a bad cryptogram
}

// ISO 7816-8 §5.5 HASH: data = the message, the hash algorithm of the HT template (SHA-256 by default).
Response Iso7816Card::hash(const CommandApdu& c, LogicalChannel& ch) {
    return Response(crypto::digest(kHashAlgorithms[ch.se.ht.algorithm.value_or(0)], c.data));
}

// ISO 7816-8 §5.8 VERIFY DIGITAL SIGNATURE with the DST's key: data = 9E signature and 90 hash
// (ECDSA, PSS, PKCS#1 v1.5 over its DigestInfo) or 9A the signed input T (PKCS#1 v1.5, ECDSA).
// 9000 when it verifies, 6300 when not.
Response Iso7816Card::verifyDigitalSignature(const CommandApdu& c, LogicalChannel& ch) {
    const CardKey& key = keyFor(crtKey(ch.se.dst), kUsageVerify, ch);
    const auto pub = key.verificationKey();
    if (!pub) throw SwError(sw::kReferenceDataNotUsable);
    std::optional<Bytes> signature, hashValue, input;
    for (const auto& d : dataObjects(c.data)) {
        if (d.tag == 0x9E) signature = d.valueBytes();
        else if (d.tag == 0x90) hashValue = d.valueBytes();
        else if (d.tag == 0x9A) input = d.valueBytes();
        else throw SwError(sw::kIncorrectDataField);
    }
    if (!signature || (!hashValue && !input)) throw SwError(sw::kIncorrectDataField);
    const std::uint8_t alg = ch.se.dst.algorithm.value_or(kAlgDefault);
    bool ok = false;
    if (key.algorithm == KeyAlgorithm::Ec) {
        ok = crypto::ecdsaVerify(*pub, hashValue ? *hashValue : *input, *signature,
                                 alg == kAlgEcdsaDer ? crypto::EcdsaFormat::Der : crypto::EcdsaFormat::Plain);
    } else if (alg == kAlgRsaPss) {
        const auto digest = hashValue ? digestOfLength(hashValue->size()) : std::nullopt;
        if (!digest) throw SwError(sw::kIncorrectDataField);
        ok = crypto::rsaVerifyPss(*pub, *digest, *hashValue, *signature);
    } else {
        Bytes t;
        if (input) {
            t = *input;
        } else {
            const auto digest = digestOfLength(hashValue->size());
            if (!digest) throw SwError(sw::kIncorrectDataField);
            t = crypto::encodeDigestInfo(*digest, *hashValue);
        }
        ok = crypto::rsaVerifyPkcs1(*pub, t, *signature);
    }
    if (!ok) throw SwError(sw::kVerifyFailedNoInfo);
    return {};
}

// ISO 7816-8 §5.6 VERIFY CERTIFICATE: data = an X.509 certificate (DER), whose signature must
// verify with the DST's key (the issuer's public key). 9000 / 6300; not a certificate: 6A80.
Response Iso7816Card::verifyCertificate(const CommandApdu& c, LogicalChannel& ch) {
    const CardKey& key = keyFor(crtKey(ch.se.dst), kUsageVerify, ch);
    const auto pub = key.verificationKey();
    if (!pub) throw SwError(sw::kReferenceDataNotUsable);
    std::optional<crypto::Certificate> cert;
    try {
        cert = crypto::Certificate::fromDer(c.data);
    } catch (const std::exception&) {
        throw SwError(sw::kIncorrectDataField);
    }
    if (!cert->signatureValid(*pub)) throw SwError(sw::kVerifyFailedNoInfo);
    return {};
}

namespace {

// The kind of key pair an algorithm reference of a template stands for, when GENERATE creates
// a new key (doc/card-image.md): RSA references give RSA-2048, ECDSA ones EC P-256. Unknown: 6A80.
CardKey newKeyFor(std::uint8_t crt, std::uint8_t alg) {
    CardKey k;
    const bool rsa = alg == kAlgDefault || alg == kAlgRsaPkcs1 || alg == kAlgRsaRaw || alg == kAlgRsaOaep ||
                     alg == kAlgRsaPss;
    const bool ec = alg == kAlgEcdsaPlain || alg == kAlgEcdsaDer;
    if ((!rsa && !ec) || (crt != kTagAt && !knownAlgorithm(crt, alg))) throw SwError(sw::kIncorrectDataField);
    k.algorithm = rsa ? KeyAlgorithm::Rsa : KeyAlgorithm::Ec;
    k.rsaBits = 2048;
    k.curve = crypto::EcCurve::P256;
    k.usage = kUsageSign | kUsageDecipher | kUsageAuthenticate | kUsageVerify;
    k.access = SecurityCondition{0x00};
    return k;
}

}  // namespace

// ISO 7816-8 §5.1 GENERATE ASYMMETRIC KEY PAIR. INS 46: P1 00, P2 = key reference. INS 47: P1 80
// (or 00) generate, 81 read the existing public key; P2 = key reference or 00. The data field
// may carry a CRT (B6/B8/A4) with 83/84 naming the key and 80 its algorithm; otherwise the key
// of the SE (DST, CT, AT). An existing slot's algorithm gives the size or curve; a new reference
// is created when an algorithm is known (DO 80 of the data's CRT, else of the SE template), with
// the default usage and access of doc/card-image.md. Answers the public key template 7F49 (81
// modulus, 82 exponent / 86 point); the new private key is stored in the image.
Response Iso7816Card::generateAsymmetricKeyPair(const CommandApdu& c, LogicalChannel& ch) {
    bool readOnly = false;
    if (c.ins == 0x47 && c.p1 == 0x81)
        readOnly = true;
    else if (c.p1 != 0x00 && !(c.ins == 0x47 && c.p1 == 0x80))
        throw SwError(sw::kIncorrectP1P2);
    std::optional<std::uint8_t> reference;
    if (c.p2 != 0x00) reference = c.p2;
    std::optional<std::uint8_t> crtTag, algorithm;
    for (const auto& crt : dataObjects(c.data)) {
        if (crt.tag != kTagDst && crt.tag != kTagCt && crt.tag != kTagAt) throw SwError(sw::kIncorrectDataField);
        if (!crtTag) crtTag = static_cast<std::uint8_t>(crt.tag);
        for (const auto& d : dataObjects(crt.value)) {
            if (d.tag == 0x80) {
                if (d.value.size() != 1) throw SwError(sw::kIncorrectDataField);
                if (!algorithm) {
                    algorithm = d.value[0];
                    crtTag = static_cast<std::uint8_t>(crt.tag);
                }
                continue;
            }
            if (d.tag != 0x83 && d.tag != 0x84) continue;
            if (d.value.size() != 1) throw SwError(sw::kIncorrectDataField);
            if (!reference) reference = d.value[0];
        }
    }
    if (!reference) reference = ch.se.dst.key ? ch.se.dst.key : ch.se.ct.key ? ch.se.ct.key : ch.se.at.key;
    if (!reference) throw SwError(sw::kReferencedDataNotFound);
    auto it = m_keys.find(*reference);
    if (it == m_keys.end()) {
        if (readOnly) throw SwError(sw::kReferencedDataNotFound);
        // A new key: its algorithm from the command, else from the SE template the CRT names,
        // else from the first of DST, CT, AT that has one.
        if (!algorithm) {
            const std::pair<std::uint8_t, const LogicalChannel::Crt*> templates[] = {
                {kTagDst, &ch.se.dst}, {kTagCt, &ch.se.ct}, {kTagAt, &ch.se.at}};
            for (const auto& [tag, t] : templates) {
                if (crtTag && *crtTag != tag) continue;
                if (t->algorithm) {
                    algorithm = t->algorithm;
                    crtTag = tag;
                    break;
                }
            }
        }
        if (!algorithm) throw SwError(sw::kReferencedDataNotFound);
        CardKey created = newKeyFor(*crtTag, *algorithm);
        created.reference = *reference;
        it = m_keys.emplace(*reference, std::move(created)).first;
        LOG_DEBUG("iso7816: new key reference %02X for GENERATE ASYMMETRIC KEY PAIR", *reference);
    }
    CardKey& slot = it->second;
    if (slot.symmetric()) throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (readOnly) {
        const auto pub = slot.verificationKey();
        if (!pub) throw SwError(sw::kReferenceDataNotUsable);
        return Response(pub->isoTemplate());
    }
    CardKey& key = keyFor(*reference, ~0u, ch);  // the access condition guards generation too
    key.privateKey = key.algorithm == KeyAlgorithm::Rsa ? crypto::PrivateKey::generateRsa(key.rsaBits)
                                                        : crypto::PrivateKey::generateEc(key.curve);
    key.publicKey.reset();
    changed();
    LOG_DEBUG("iso7816: generated a key pair at reference %02X", key.reference);
    return Response(key.privateKey->publicKey().isoTemplate());
}

}  // namespace vpcsc::vicc
