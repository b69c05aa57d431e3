// User authentication with PINs (ISO 7816-4 §11.5): VERIFY (20), CHANGE REFERENCE DATA (24) and
// RESET RETRY COUNTER (2C). Retry counters are persistent (changed() saves the image); PIN and
// PUK values are compared in constant time and never logged (common/log masks these commands).
#include "common/log.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

// A comparison against reference data with a retry counter: resets the counter on success,
// decrements it on failure. Returns whether it matched; the caller answers.
bool compareReferenceData(Iso7816Card& card, ByteView presented, const Bytes& reference, std::uint8_t& triesLeft,
                          std::uint8_t maxTries) {
    if (crypto::constantTimeEqual(presented, reference)) {
        if (triesLeft != maxTries) {
            triesLeft = maxTries;
            card.changed();
        }
        return true;
    }
    if (triesLeft > 0) --triesLeft;
    card.changed();
    return false;
}

// ISO 7816-4 §5.6: 63Cx, x = tries left (0: just blocked; the next attempt answers 6983).
[[noreturn]] void failed(std::uint8_t triesLeft) { throw SwError(sw::retriesLeft(triesLeft)); }

void checkNewValue(ByteView value) {
    if (value.empty() || value.size() > Pin::kMaxLength) throw SwError(sw::kWrongLength);
}

}  // namespace

Pin& Iso7816Card::pinOf(std::uint8_t reference) {
    auto it = m_pins.find(reference);
    if (it == m_pins.end()) throw SwError(sw::kReferencedDataNotFound);
    return it->second;
}

// ISO 7816-4 §11.5 VERIFY. P1 00: data = the PIN, or empty to ask for the status (9000 when
// verified, 63Cx tries left, 6983 blocked). P1 FF: clear the verification status (no data).
// P2: PIN reference.
Response Iso7816Card::verify(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 && c.p1 != 0xFF) throw SwError(sw::kIncorrectP1P2);
    Pin& pin = pinOf(c.p2);
    if (c.p1 == 0xFF) {
        if (!c.data.empty()) throw SwError(sw::kWrongLength);
        ch.security->setPinVerified(pin.reference, false);
        return {};
    }
    if (pin.triesLeft == 0) throw SwError(sw::kAuthenticationMethodBlocked);
    if (c.data.empty()) {
        if (ch.security->pinVerified(pin.reference)) return {};
        failed(pin.triesLeft);
    }
    if (!compareReferenceData(*this, c.data, pin.value, pin.triesLeft, pin.maxTries)) {
        ch.security->setPinVerified(pin.reference, false);
        LOG_DEBUG("iso7816: VERIFY %02X failed, %u tries left", pin.reference, pin.triesLeft);
        failed(pin.triesLeft);
    }
    ch.security->setPinVerified(pin.reference);
    return {};
}

// ISO 7816-4 §11.5 CHANGE REFERENCE DATA. P1 00: data = current PIN || new PIN (split at the
// current PIN's length); P1 01: data = new PIN, the PIN must be verified on this channel.
Response Iso7816Card::changeReferenceData(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 && c.p1 != 0x01) throw SwError(sw::kIncorrectP1P2);
    Pin& pin = pinOf(c.p2);
    if (pin.triesLeft == 0) throw SwError(sw::kAuthenticationMethodBlocked);
    ByteView data(c.data);
    if (c.p1 == 0x00) {
        if (data.size() <= pin.value.size()) throw SwError(sw::kWrongLength);
        const ByteView newValue = data.subspan(pin.value.size());
        checkNewValue(newValue);
        if (!compareReferenceData(*this, data.first(pin.value.size()), pin.value, pin.triesLeft, pin.maxTries)) {
            ch.security->setPinVerified(pin.reference, false);
            failed(pin.triesLeft);
        }
        pin.value.assign(newValue.begin(), newValue.end());
    } else {
        if (!ch.security->pinVerified(pin.reference)) throw SwError(sw::kSecurityStatusNotSatisfied);
        checkNewValue(data);
        pin.value.assign(data.begin(), data.end());
    }
    ch.security->setPinVerified(pin.reference);
    changed();
    return {};
}

// ISO 7816-4 §11.5 RESET RETRY COUNTER. P1 00: PUK || new PIN; 01: PUK; 02: new PIN; 03: no
// data. 02 and 03 need the PUK presented before on this channel (P1 00 or 01). P2: PIN reference.
Response Iso7816Card::resetRetryCounter(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 > 0x03) throw SwError(sw::kIncorrectP1P2);
    Pin& pin = pinOf(c.p2);
    if (!pin.puk) throw SwError(sw::kReferenceDataNotUsable);
    Puk& puk = *pin.puk;
    ByteView data(c.data);
    ByteView newValue;
    switch (c.p1) {
    case 0x00:
    case 0x01: {
        if (puk.triesLeft == 0) throw SwError(sw::kAuthenticationMethodBlocked);
        const std::size_t n = puk.value.size();
        if (c.p1 == 0x00 ? data.size() <= n : data.empty()) throw SwError(sw::kWrongLength);
        if (c.p1 == 0x00) {
            newValue = data.subspan(n);
            checkNewValue(newValue);
            data = data.first(n);
        }
        if (!compareReferenceData(*this, data, puk.value, puk.triesLeft, puk.maxTries)) {
            ch.pukPresented.erase(pin.reference);
            failed(puk.triesLeft);
        }
        ch.pukPresented.insert(pin.reference);
        break;
    }
    case 0x02:
        checkNewValue(data);
        newValue = data;
        [[fallthrough]];
    case 0x03:
        if (c.p1 == 0x03 && !data.empty()) throw SwError(sw::kWrongLength);
        if (!ch.pukPresented.count(pin.reference)) throw SwError(sw::kSecurityStatusNotSatisfied);
        break;
    }
    if (!newValue.empty()) pin.value.assign(newValue.begin(), newValue.end());
    pin.triesLeft = pin.maxTries;
    changed();
    return {};
}

}  // namespace vpcsc::vicc
