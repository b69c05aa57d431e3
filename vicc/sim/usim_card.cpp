#include "vicc/sim/usim_card.hpp"

#include <algorithm>

#include "vicc/crypto/random.hpp"
#include "vicc/sim/default_fs.hpp"

namespace vpcsc::vicc::sim {

using fs::File;

const CommandTable& UsimCard::uiccCommands() const {
    using C = UsimCard;
    constexpr auto P = CommandTable::ClassSet::Proprietary;  // CLA 8x/Cx (TS 102 221 §10.1.1)
    // remove() before add(): the ISO engine may or may not have its own handler for these INS.
    static const CommandTable t = CommandTable(iso7816Commands())
        .replace(0xA4, &C::uiccSelect)                       // SELECT, TS 102 221 §11.1.1
        .remove(0x20).add(0x20, &C::verifyPin)               // VERIFY PIN, §11.1.9
        .remove(0x24).add(0x24, &C::changePin)               // CHANGE PIN, §11.1.10
        .remove(0x26).add(0x26, &C::disablePin)              // DISABLE PIN, §11.1.11
        .remove(0x28).add(0x28, &C::enablePin)               // ENABLE PIN, §11.1.12
        .remove(0x2C).add(0x2C, &C::unblockPin)              // UNBLOCK PIN, §11.1.13
        .remove(0x84).add(0x84, &C::getChallenge)            // GET CHALLENGE, §11.1.15
        .remove(0x88).add(0x88, &C::authenticate)            // AUTHENTICATE, §11.1.16 / TS 31.102 §7.1
        .add(0xF2, &C::uiccStatus, P)                        // STATUS, §11.1.2
        .add(0x10, &C::terminalProfile, P)                   // TERMINAL PROFILE, §11.2.1
        .add(0x12, &C::fetch, P)                             // FETCH, §11.2.3
        .add(0x14, &C::terminalResponse, P)                  // TERMINAL RESPONSE, §11.2.4
        .add(0xC2, &C::envelope, P)                          // ENVELOPE, §11.2.2
        .add(0xAA, &C::terminalCapability, P);               // TERMINAL CAPABILITY, §11.1.19
    return t;
}

// The ADF the current DF lies in (nullptr outside any application).
const File* UsimCard::currentApplication(LogicalChannel& ch) {
    for (const File* f = &currentDf(ch); f; f = f->parent())
        if (!f->dfName.empty()) return f;
    return nullptr;
}

// §11.1.1: P2 04 returns the FCP, 0C nothing (00 is answered like 04); P1 04 with P2 b7 set
// terminates the application (the MF becomes current).
Response UsimCard::uiccSelect(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 == 0x04 && (c.p2 & 0x40)) {
        if ((c.p2 & 0xB0) != 0 || c.data.empty()) throw SwError(sw::kIncorrectP1P2);
        ch.selectDf(fileSystem().mf());
        return {};
    }
    if (c.p2 & 0xF0) throw SwError(sw::kIncorrectP1P2);
    CommandApdu plain = c;
    plain.p2 = static_cast<std::uint8_t>(0x0C | (c.p2 & 0x03));
    Response r = Iso7816Card::select(plain, ch);
    const File& f = ch.currentEf ? *ch.currentEf : currentDf(ch);
    if ((c.p2 & 0x0C) != 0x0C) r.data = uiccFcp(f, pinView());
    return r;
}

// §11.1.2: P1 00/01/02 (no indication, application initialised, terminating); P2 00 FCP of the
// current DF/ADF, 01 its application's DF name (84 L AID), 0C no data.
Response UsimCard::uiccStatus(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 > 0x02) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    switch (c.p2) {
    case 0x00: return Response(uiccFcp(currentDf(ch), pinView()));
    case 0x01: {
        const File* app = currentApplication(ch);
        if (!app) return {};
        Bytes out = {0x84, static_cast<std::uint8_t>(app->dfName.size())};
        append(out, app->dfName);
        return Response(std::move(out));
    }
    case 0x0C: return {};
    default: throw SwError(sw::kIncorrectP1P2);
    }
}

// §9.5.1: 01 PIN1 (CHV1), 81 PIN2 (CHV2), 0A ADM1.
std::uint8_t UsimCard::uiccPinReference(std::uint8_t p2) const {
    if (p2 == kPin1 || p2 == kPin2 || p2 == kAdm1) return p2;
    throw SwError(sw::kReferencedDataNotFound);
}

void UsimCard::uiccPinFailure(PinResult r, std::uint8_t ref, bool unblock) {
    if (r == PinResult::Missing) throw SwError(sw::kReferencedDataNotFound);
    if (r == PinResult::Blocked) throw SwError(sw::kAuthenticationMethodBlocked);
    throw SwError(sw::retriesLeft(unblock ? unblockTriesLeft(ref) : triesLeft(ref)));
}

// §11.1.9: without data, 9000 when verified (or disabled), 63Cx otherwise.
Response UsimCard::verifyPin(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(sw::kIncorrectP1P2);
    const std::uint8_t ref = uiccPinReference(c.p2);
    if (pins().find(ref) == pins().end()) throw SwError(sw::kReferencedDataNotFound);
    if (c.data.empty()) {
        if (security(ch).pinVerified(ref) || disabledPins().count(ref)) return {};
        if (triesLeft(ref) == 0) throw SwError(sw::kAuthenticationMethodBlocked);
        throw SwError(sw::retriesLeft(triesLeft(ref)));
    }
    if (c.data.size() != kChvSize) throw SwError(sw::kWrongLength);
    const PinResult r = checkPin(ref, c.data);
    if (r != PinResult::Ok) {
        security(ch).setPinVerified(ref, false);
        uiccPinFailure(r, ref, false);
    }
    security(ch).setPinVerified(ref);
    return {};
}

Response UsimCard::changePin(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(sw::kIncorrectP1P2);
    const std::uint8_t ref = uiccPinReference(c.p2);
    if (c.data.size() != 2 * kChvSize) throw SwError(sw::kWrongLength);
    if (disabledPins().count(ref)) throw SwError(sw::kConditionsOfUseNotSatisfied);
    const ByteView data(c.data);
    const PinResult r = checkPin(ref, data.first(kChvSize));
    if (r != PinResult::Ok) uiccPinFailure(r, ref, false);
    pins()[ref].value.assign(data.begin() + kChvSize, data.end());
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

// §11.1.11 / §11.1.12: PIN1 only here (PIN2 and ADM1 cannot be disabled: 6985).
Response UsimCard::disablePin(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(sw::kIncorrectP1P2);
    const std::uint8_t ref = uiccPinReference(c.p2);
    if (c.data.size() != kChvSize) throw SwError(sw::kWrongLength);
    if (ref != kPin1 || disabledPins().count(ref)) throw SwError(sw::kConditionsOfUseNotSatisfied);
    const PinResult r = checkPin(ref, c.data);
    if (r != PinResult::Ok) uiccPinFailure(r, ref, false);
    disabledPins().insert(ref);
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

Response UsimCard::enablePin(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(sw::kIncorrectP1P2);
    const std::uint8_t ref = uiccPinReference(c.p2);
    if (c.data.size() != kChvSize) throw SwError(sw::kWrongLength);
    if (!disabledPins().count(ref)) throw SwError(sw::kConditionsOfUseNotSatisfied);
    const PinResult r = checkPin(ref, c.data);
    if (r != PinResult::Ok) uiccPinFailure(r, ref, false);
    disabledPins().erase(ref);
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

// §11.1.13: data = UNBLOCK PIN || new PIN; without data, 63Cx = unblock tries left.
Response UsimCard::unblockPin(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00) throw SwError(sw::kIncorrectP1P2);
    const std::uint8_t ref = uiccPinReference(c.p2);
    if (c.data.empty()) {
        if (unblockCodes().find(ref) == unblockCodes().end()) throw SwError(sw::kReferencedDataNotFound);
        if (unblockTriesLeft(ref) == 0) throw SwError(sw::kAuthenticationMethodBlocked);
        throw SwError(sw::retriesLeft(unblockTriesLeft(ref)));
    }
    if (c.data.size() != 2 * kChvSize) throw SwError(sw::kWrongLength);
    const ByteView data(c.data);
    const PinResult r = checkUnblock(ref, data.first(kChvSize));
    if (r != PinResult::Ok) uiccPinFailure(r, ref, true);
    Pin& pin = pins()[ref];
    pin.value.assign(data.begin() + kChvSize, data.end());
    pin.triesLeft = pin.maxTries;
    security(ch).setPinVerified(ref);
    changed();
    return {};
}

// TS 31.102 §7.1.2: P2 81 = 3G context: data 10 RAND 10 AUTN; success DB 08 RES 10 CK 10 IK
// 08 Kc, synchronisation failure DC 0E AUTS (both 9000), MAC failure 9862. P2 80 = GSM context:
// data 10 RAND; answer 04 SRES 08 Kc. Only inside ADF.USIM, with PIN1 satisfied.
Response UsimCard::authenticate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || (c.p2 != 0x80 && c.p2 != 0x81)) throw SwError(sw::kIncorrectP1P2);
    const File* app = currentApplication(ch);
    // TS 101 220 Annex E: a USIM is RID A000000087 with application code 1002, whatever its PIX rest
    if (!app || app->dfName.size() < 7 || !std::equal(kUsimAid.begin(), kUsimAid.begin() + 7, app->dfName.begin()))
        throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (!security(ch).satisfied(SecurityCondition{static_cast<std::uint8_t>(0x10 | kChv1)}))
        throw SwError(sw::kSecurityStatusNotSatisfied);
    const Bytes& d = c.data;
    if (d.empty() || d[0] != 16 || d.size() < 17) throw SwError(sw::kIncorrectDataField);
    const ByteView rand = ByteView(d).subspan(1, 16);
    if (c.p2 == 0x80) {
        if (d.size() != 17) throw SwError(sw::kWrongLength);
        const auto g = authentication().runGsm(rand);
        Bytes out = {0x04};
        append(out, g.sres);
        out.push_back(0x08);
        append(out, g.kc);
        return Response(std::move(out));
    }
    if (d.size() != 34 || d[17] != 16) throw SwError(sw::kWrongLength);
    const auto u = authentication().runUmts(rand, ByteView(d).subspan(18, 16));
    using R = Authentication::Umts::Result;
    switch (u.result) {
    case R::NotSupported: throw SwError(sw::kConditionsOfUseNotSatisfied);
    case R::MacFailure: throw SwError(0x9862);  // TS 31.102 §7.3.1: authentication error, incorrect MAC
    case R::SyncFailure: {
        changed();
        Bytes out = {0xDC, static_cast<std::uint8_t>(u.auts.size())};
        append(out, u.auts);
        return Response(std::move(out));
    }
    case R::Ok: break;
    }
    changed();  // the accepted SQN is part of the image
    // TS 31.102 §4.2.4 EF.Keys: KSI (kept) || CK || IK
    if (File* keys = const_cast<File*>(app)->child(kEfKeys); keys && keys->data.size() >= 33) {
        std::copy(u.ck.begin(), u.ck.end(), keys->data.begin() + 1);
        std::copy(u.ik.begin(), u.ik.end(), keys->data.begin() + 17);
    }
    Bytes out = {0xDB, static_cast<std::uint8_t>(u.res.size())};
    append(out, u.res);
    out.push_back(0x10);
    append(out, u.ck);
    out.push_back(0x10);
    append(out, u.ik);
    out.push_back(0x08);
    append(out, u.kc);
    return Response(std::move(out));
}

Response UsimCard::getChallenge(const CommandApdu& c, LogicalChannel&) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    return Response(crypto::randomBytes(std::min<std::size_t>(c.ne.value_or(8), 256)));
}

Response UsimCard::terminalCapability(const CommandApdu& c, LogicalChannel&) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(sw::kIncorrectP1P2);
    return {};
}

}  // namespace vpcsc::vicc::sim
