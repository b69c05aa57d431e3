// Secure messaging of Iso7816Card (ISO 7816-4 §10), through the codec of
// vicc/crypto/secure_messaging.hpp. Each logical channel has its own session:
//  - established by MUTUAL AUTHENTICATE (session keys and SSC of ICAO 9303-11 BAC), or
//  - started from the image's static SM key (the key with usage "secureMessaging" and the lowest
//    reference: K_enc = value, K_mac = macValue or value) with SSC 0 by the first SM command.
// A failed unwrap (6987 missing, 6988 wrong SM data objects) ends the session; so does a plain
// command other than GET RESPONSE. doc/card-image.md "Secure messaging".
#include "common/log.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

CommandApdu Iso7816Card::unprotectCommand(LogicalChannel& ch, const CommandApdu& protectedApdu) {
    if (secureMessaging(protectedApdu.cla) == SecureMessaging::Proprietary) throw SwError(sw::kSecureMessagingNotSupported);
    if (!ch.sm) {
        const CardKey* key = nullptr;
        for (const auto& [ref, k] : m_keys)
            if (k.symmetric() && k.allows(kUsageSecureMessaging)) {
                key = &k;
                break;
            }
        if (!key) throw SwError(sw::kSecureMessagingNotSupported);
        try {
            const auto alg = key->secret->algorithm();
            ch.sm.emplace(alg, key->secret->bytes(), key->macKey().bytes(), Bytes(key->secret->blockSize(), 0x00));
        } catch (const std::invalid_argument&) {
            LOG_WARNING("iso7816: the static SM key %02X cannot be used (3DES needs a 16-byte K_mac)", key->reference);
            throw SwError(sw::kSecureMessagingNotSupported);
        }
        ch.smFromAuthentication = false;
    }
    try {
        return ch.sm->unwrapCommand(protectedApdu);
    } catch (const SwError&) {
        ch.sm.reset();  // ICAO 9303-11 §9.8.4: an SM error ends the session
        throw;
    }
}

void Iso7816Card::protectResponse(LogicalChannel& ch, const CommandApdu&, Response& response) {
    if (!ch.sm) return;
    ResponseApdu wrapped = ch.sm->wrapResponse(ResponseApdu{std::move(response.data), response.sw});
    response.data = std::move(wrapped.data);
    response.sw = wrapped.sw;
    response.exactLength = false;
}

}  // namespace vpcsc::vicc
