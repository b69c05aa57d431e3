// Entity authentication with keys (ISO 7816-4 §11.5): GET CHALLENGE (84), INTERNAL AUTHENTICATE
// (88), EXTERNAL AUTHENTICATE (82 without Le) and MUTUAL AUTHENTICATE (82 with Le, the BAC
// protocol of ICAO Doc 9303 Part 11 §4.3). The challenge belongs to the channel it was asked on
// and is used up by the next EXTERNAL / MUTUAL AUTHENTICATE on that channel. Cryptograms:
// vicc/crypto/authenticate.hpp.
#include "common/log.hpp"
#include "vicc/crypto/authenticate.hpp"
#include "vicc/crypto/ecdsa.hpp"
#include "vicc/crypto/kdf.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/crypto/rsa.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

constexpr std::size_t kBacRandomSize = 8;   // RND.ICC, RND.IFD (ICAO 9303-11 §4.3.3.1)
constexpr std::size_t kBacKeySize = 16;     // K.IFD, K.ICC
constexpr std::size_t kBacCryptogramSize = 40;  // E(32) || MAC(8)

// P2 = key reference; 00: the key reference of the SE's authentication template (MSE SET A4).
std::uint8_t authenticationKeyReference(const CommandApdu& c, const LogicalChannel& ch) {
    if (c.p2 != 0x00) return c.p2;
    if (ch.se.at.key) return *ch.se.at.key;
    throw SwError(sw::kReferencedDataNotFound);
}

}  // namespace

CardKey& Iso7816Card::keyFor(std::uint8_t reference, unsigned usage, const LogicalChannel& ch) {
    auto it = m_keys.find(reference);
    if (it == m_keys.end()) throw SwError(sw::kReferencedDataNotFound);
    CardKey& key = it->second;
    if (!key.allows(usage)) throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (!key.access.always() && (key.access.never() || !ch.security->satisfied(key.access)))
        throw SwError(sw::kSecurityStatusNotSatisfied);
    return key;
}

// ISO 7816-4 §11.5 GET CHALLENGE: P1-P2 00 00, no data, Le = length of the challenge (1-65536).
Response Iso7816Card::getChallenge(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty() || !c.ne) throw SwError(sw::kWrongLength);
    ch.challenge = crypto::randomBytes(*c.ne);
    Response r(ch.challenge);
    r.exactLength = true;
    return r;
}

// ISO 7816-4 §11.5 INTERNAL AUTHENTICATE: data = the terminal's challenge; the card answers with
// it enciphered (secret key), signed with PKCS#1 v1.5 (RSA, the challenge as T) or ECDSA (plain
// r || s over the challenge as hash). P1 = algorithm reference (ignored), P2 = key reference.
Response Iso7816Card::internalAuthenticate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    const CardKey& key = keyFor(authenticationKeyReference(c, ch), kUsageAuthenticate, ch);
    if (key.secret) return Response(crypto::authenticationCryptogram(*key.secret, c.data));
    if (!key.privateKey) throw SwError(sw::kReferenceDataNotUsable);
    if (key.algorithm == KeyAlgorithm::Ec) return Response(crypto::ecdsaSign(*key.privateKey, c.data));
    if (c.data.size() + 11 > key.privateKey->signatureSize()) throw SwError(sw::kWrongLength);
    return Response(crypto::rsaSignPkcs1(*key.privateKey, c.data));
}

// ISO 7816-4 §11.5 EXTERNAL AUTHENTICATE: data = the card's last challenge enciphered with the
// secret key (or signed with the private key of the terminal whose public key the card holds).
// 9000 sets the key authenticated in the channel's security status; 6300 clears it.
Response Iso7816Card::externalAuthenticate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    const std::uint8_t reference = authenticationKeyReference(c, ch);
    const CardKey& key = keyFor(reference, kUsageAuthenticate, ch);
    if (ch.challenge.empty()) throw SwError(sw::kConditionsOfUseNotSatisfied);  // no GET CHALLENGE before
    const Bytes challenge = std::move(ch.challenge);
    ch.challenge.clear();
    bool ok = false;
    if (key.secret) {
        ok = crypto::verifyAuthenticationCryptogram(*key.secret, challenge, c.data);
    } else if (auto pub = key.verificationKey()) {
        ok = key.algorithm == KeyAlgorithm::Ec ? crypto::ecdsaVerify(*pub, challenge, c.data)
                                               : crypto::rsaVerifyPkcs1(*pub, challenge, c.data);
    } else {
        throw SwError(sw::kReferenceDataNotUsable);
    }
    ch.security->setKeyAuthenticated(reference, ok);
    if (!ok) {
        LOG_DEBUG("iso7816: EXTERNAL AUTHENTICATE with key %02X failed", reference);
        throw SwError(sw::kVerifyFailedNoInfo);
    }
    return {};
}

// MUTUAL AUTHENTICATE, ICAO Doc 9303 Part 11 §4.3.3 (BAC) with the key's K_enc ("value") and
// K_mac ("macValue"): data = E(K_enc, RND.IFD || RND.ICC || K.IFD) || MAC, RND.ICC the 8-byte
// challenge of GET CHALLENGE; the card answers E(K_enc, RND.ICC || RND.IFD || K.ICC) || MAC,
// sets the key authenticated, and starts secure messaging on the channel with session keys
// derived from K.IFD xor K.ICC (§9.7.1) and SSC = RND.ICC[4..7] || RND.IFD[4..7] (§9.8.6.3;
// for AES left-padded with zeros to 16 bytes).
Response Iso7816Card::mutualAuthenticate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.data.size() != kBacCryptogramSize) throw SwError(sw::kWrongLength);
    const std::uint8_t reference = authenticationKeyReference(c, ch);
    const CardKey& key = keyFor(reference, kUsageAuthenticate, ch);
    if (!key.secret) throw SwError(sw::kConditionsOfUseNotSatisfied);
    const crypto::SymmetricKey& kEnc = *key.secret;
    const crypto::SymmetricKey& kMac = key.macKey();
    if (kEnc.algorithm() == crypto::BlockCipher::TripleDes && kMac.size() != 16)
        throw SwError(sw::kConditionsOfUseNotSatisfied);  // retail MAC needs a 2-key K_mac
    if (ch.challenge.size() != kBacRandomSize) throw SwError(sw::kConditionsOfUseNotSatisfied);
    const Bytes rndIcc = std::move(ch.challenge);
    ch.challenge.clear();
    ch.security->setKeyAuthenticated(reference, false);

    const auto s = crypto::openMutualAuthenticationCryptogram(kEnc, kMac, c.data);
    if (!s || s->size() != 2 * kBacRandomSize + kBacKeySize ||
        !crypto::constantTimeEqual(ByteView(*s).subspan(kBacRandomSize, kBacRandomSize), rndIcc)) {
        LOG_DEBUG("iso7816: MUTUAL AUTHENTICATE with key %02X failed", reference);
        throw SwError(sw::kVerifyFailedNoInfo);
    }
    const ByteView rndIfd = ByteView(*s).first(kBacRandomSize);
    const ByteView kIfd = ByteView(*s).last(kBacKeySize);
    const Bytes kIcc = crypto::randomBytes(kBacKeySize);
    Bytes r = rndIcc;
    append(r, rndIfd);
    append(r, kIcc);
    Bytes answer = crypto::mutualAuthenticationCryptogram(kEnc, kMac, r);

    Bytes seed(kBacKeySize);
    for (std::size_t i = 0; i < kBacKeySize; ++i) seed[i] = kIfd[i] ^ kIcc[i];
    const crypto::BlockCipher alg = kEnc.algorithm();
    const std::size_t keySize = alg == crypto::BlockCipher::TripleDes ? 16 : kEnc.size();
    Bytes ssc(alg == crypto::BlockCipher::TripleDes ? 0 : 8, 0x00);
    append(ssc, ByteView(rndIcc).last(4));
    append(ssc, rndIfd.last(4));
    ch.sm.emplace(alg, crypto::icaoKdf(alg, keySize, seed, crypto::kKdfEnc), crypto::icaoKdf(alg, keySize, seed, crypto::kKdfMac),
                  ssc);
    ch.smFromAuthentication = true;
    ch.security->setKeyAuthenticated(reference);
    return Response(std::move(answer));
}

}  // namespace vpcsc::vicc
