// TS 51.011 §8.9-§8.13 / §9.2.10-14: CHV commands under CLA A0. CHVs are 8 bytes (digits, FF
// padded); CHV1 is PIN reference 01, CHV2 81, their UNBLOCK CHVs kept with the same references.
// Status words (§9.4.5): 9804 wrong with attempts left, 9840 blocked, 9808 contradiction with
// the CHV status (e.g. VERIFY CHV1 while it is disabled), 9802 no such CHV.
#include "vicc/sim/gsm_sw.hpp"
#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

std::uint8_t SimCard::chvReference(std::uint8_t p2) const {
    if (p2 == 0x01) return kPin1;
    if (p2 == 0x02) return kPin2;
    throw SwError(gsm_sw::kWrongP1P2);
}

void SimCard::gsmPinFailure(PinResult r, std::uint8_t reference) {
    switch (r) {
    case PinResult::Missing: throw SwError(gsm_sw::kNoChvInitialised);
    case PinResult::Blocked: throw SwError(gsm_sw::kChvBlocked);
    default: break;
    }
    throw SwError(triesLeft(reference) ? gsm_sw::kAccessNotFulfilled : gsm_sw::kChvBlocked);
}

Response SimCard::gsmVerifyChv(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    const std::uint8_t ref = chvReference(c.p2);
    if (c.data.size() != kChvSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (ref == kPin1 && m_disabled.count(kPin1)) throw SwError(gsm_sw::kChvContradiction);
    const PinResult r = checkPin(ref, c.data);
    if (r != PinResult::Ok) {
        security(ch).setPinVerified(ref, false);
        gsmPinFailure(r, ref);
    }
    security(ch).setPinVerified(ref);
    return {};
}

Response SimCard::gsmChangeChv(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    const std::uint8_t ref = chvReference(c.p2);
    if (c.data.size() != 2 * kChvSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (ref == kPin1 && m_disabled.count(kPin1)) throw SwError(gsm_sw::kChvContradiction);
    const ByteView data(c.data);
    const PinResult r = checkPin(ref, data.first(kChvSize));
    if (r != PinResult::Ok) gsmPinFailure(r, ref);
    pins()[ref].value.assign(data.begin() + kChvSize, data.end());
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

// §8.11 / §8.12: only CHV1 can be disabled and enabled (P2 = 01).
Response SimCard::gsmDisableChv(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x01) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.size() != kChvSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (m_disabled.count(kPin1)) throw SwError(gsm_sw::kChvContradiction);
    const PinResult r = checkPin(kPin1, c.data);
    if (r != PinResult::Ok) gsmPinFailure(r, kPin1);
    m_disabled.insert(kPin1);
    security(ch).setPinVerified(kPin1);
    changed();
    return {};
}

Response SimCard::gsmEnableChv(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x01) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.size() != kChvSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (!m_disabled.count(kPin1)) throw SwError(gsm_sw::kChvContradiction);
    const PinResult r = checkPin(kPin1, c.data);
    if (r != PinResult::Ok) gsmPinFailure(r, kPin1);
    m_disabled.erase(kPin1);
    security(ch).setPinVerified(kPin1);
    changed();
    return {};
}

// §8.13: P2 = 00 for CHV1 (GSM), 02 for CHV2; 01 is accepted for CHV1 as pySim sends it.
Response SimCard::gsmUnblockChv(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 > 0x02) throw SwError(gsm_sw::kWrongP1P2);
    const std::uint8_t ref = c.p2 == 0x02 ? kPin2 : kPin1;
    if (c.data.size() != 2 * kChvSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    const ByteView data(c.data);
    const PinResult r = checkUnblock(ref, data.first(kChvSize));
    if (r == PinResult::Missing) throw SwError(gsm_sw::kNoChvInitialised);
    if (r == PinResult::Blocked) throw SwError(gsm_sw::kChvBlocked);
    if (r == PinResult::Wrong) throw SwError(unblockTriesLeft(ref) ? gsm_sw::kAccessNotFulfilled : gsm_sw::kChvBlocked);
    Pin& pin = pins()[ref];
    pin.value.assign(data.begin() + kChvSize, data.end());
    pin.triesLeft = pin.maxTries;
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

}  // namespace vpcsc::vicc::sim
