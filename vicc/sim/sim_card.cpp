#include "vicc/sim/sim_card.hpp"

#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::sim {

using nlohmann::json;

SimCard::SimCard(Bytes atr, fs::FileSystem fileSystem) : Iso7816Card(std::move(atr), std::move(fileSystem)) {
    powerOn();  // the channels' security states are SimSecurityStates from here on
}

Bytes SimCard::padChv(std::string_view digits) {
    Bytes b(digits.begin(), digits.end());
    b.resize(kChvSize, 0xFF);
    return b;
}

Bytes SimCard::process(ByteView raw) {
    m_gsm = !raw.empty() && raw[0] == kGsmClass;
    Bytes out = Iso7816Card::process(raw);
    // TS 51.011 §9.4.1: under CLA A0 the response length is announced with 9Fxx, not 61xx.
    if (m_gsm && out.size() == 2 && out[0] == 0x61) out[0] = 0x9F;
    return out;
}

void SimCard::loadState(const json& image) {
    Iso7816Card::loadState(image);
    personalise(*this, m_personalisation);
}

const CommandTable& SimCard::commands() const {
    using C = SimCard;
    constexpr auto P = CommandTable::ClassSet::Proprietary;  // A0 is a proprietary class (ISO 7816-4 §5.4.1)
    static const CommandTable gsm = CommandTable()
        .add(0x04, &C::gsmInvalidate, P)       // INVALIDATE, TS 51.011 §9.2.9
        .add(0x10, &C::terminalProfile, P)     // TERMINAL PROFILE, §9.2.17
        .add(0x12, &C::fetch, P)               // FETCH, §9.2.19
        .add(0x14, &C::terminalResponse, P)    // TERMINAL RESPONSE, §9.2.20
        .add(0x20, &C::gsmVerifyChv, P)        // VERIFY CHV, §9.2.10
        .add(0x24, &C::gsmChangeChv, P)        // CHANGE CHV, §9.2.11
        .add(0x26, &C::gsmDisableChv, P)       // DISABLE CHV, §9.2.12
        .add(0x28, &C::gsmEnableChv, P)        // ENABLE CHV, §9.2.13
        .add(0x2C, &C::gsmUnblockChv, P)       // UNBLOCK CHV, §9.2.14
        .add(0x32, &C::gsmIncrease, P)         // INCREASE, §9.2.8
        .add(0x44, &C::gsmRehabilitate, P)     // REHABILITATE, §9.2.15
        .add(0x88, &C::gsmRunGsmAlgorithm, P)  // RUN GSM ALGORITHM, §9.2.16
        .add(0xA2, &C::gsmSeek, P)             // SEEK, §9.2.7
        .add(0xA4, &C::gsmSelect, P)           // SELECT, §9.2.1
        .add(0xB0, &C::gsmReadBinary, P)       // READ BINARY, §9.2.3
        .add(0xB2, &C::gsmReadRecord, P)       // READ RECORD, §9.2.5
        .add(0xC0, &C::gsmGetResponse, P)      // GET RESPONSE, §9.2.18
        .add(0xC2, &C::envelope, P)            // ENVELOPE, §9.2.18a
        .add(0xD6, &C::gsmUpdateBinary, P)     // UPDATE BINARY, §9.2.4
        .add(0xDC, &C::gsmUpdateRecord, P)     // UPDATE RECORD, §9.2.6
        .add(0xF2, &C::gsmStatus, P)           // STATUS, §9.2.2
        .add(0xFA, &C::gsmSleep, P);           // SLEEP, §9.2.? (phase 1)
    return m_gsm ? gsm : uiccCommands();
}

const CommandTable& SimCard::uiccCommands() const {
    static const CommandTable none;
    return none;
}

std::uint8_t SimCard::channelOfClass(std::uint8_t cla) const {
    if (cla == kGsmClass) return 0;  // TS 51.011 has the basic channel only
    if (!acceptsUiccClasses() || (cla & 0xF0) == 0xA0) throw SwError(sw::kClaNotSupported);
    return Iso7816Card::channelOfClass(cla);
}

std::unique_ptr<SecurityState> SimCard::newSecurityState(const LogicalChannel*) {
    return std::make_unique<SimSecurityState>(m_disabled);
}

// ---- reference data ----

std::uint8_t SimCard::triesLeft(std::uint8_t reference) const {
    const auto it = pins().find(reference);
    return it == pins().end() ? 0 : it->second.triesLeft;
}

std::uint8_t SimCard::unblockTriesLeft(std::uint8_t reference) const {
    const auto it = m_unblock.find(reference);
    return it == m_unblock.end() ? 0 : it->second.triesLeft;
}

SimCard::PinResult SimCard::checkPin(std::uint8_t reference, ByteView presented) {
    auto it = pins().find(reference);
    if (it == pins().end()) return PinResult::Missing;
    Pin& pin = it->second;
    if (pin.triesLeft == 0) return PinResult::Blocked;
    if (crypto::constantTimeEqual(presented, pin.value)) {
        if (pin.triesLeft != pin.maxTries) changed();
        pin.triesLeft = pin.maxTries;
        return PinResult::Ok;
    }
    --pin.triesLeft;
    changed();
    return PinResult::Wrong;
}

SimCard::PinResult SimCard::checkUnblock(std::uint8_t reference, ByteView presented) {
    auto it = m_unblock.find(reference);
    if (it == m_unblock.end() || pins().find(reference) == pins().end()) return PinResult::Missing;
    UnblockCode& u = it->second;
    if (u.triesLeft == 0) return PinResult::Blocked;
    if (crypto::constantTimeEqual(presented, u.value)) {
        if (u.triesLeft != u.maxTries) changed();
        u.triesLeft = u.maxTries;
        return PinResult::Ok;
    }
    --u.triesLeft;
    changed();
    return PinResult::Wrong;
}

// ---- card image: {"sim": {"authentication": {...}, "unblock": [...], "disabledPins": [...]}} ----

void SimCard::saveExtraState(json& image) const {
    json unblock = json::array();
    for (const auto& [ref, u] : m_unblock)
        unblock.push_back({{"reference", toHex(ByteView(&ref, 1), 0)}, {"value", toHex(u.value, 0)},
                           {"maxTries", u.maxTries}, {"triesLeft", u.triesLeft}});
    json disabled = json::array();
    for (std::uint8_t ref : m_disabled) disabled.push_back(toHex(ByteView(&ref, 1), 0));
    image["sim"] = {{"authentication", m_auth.toJson()}, {"unblock", unblock}, {"disabledPins", disabled}};
}

void SimCard::loadExtraState(const json& image) {
    if (!image.contains("sim")) return;  // an image without it keeps the type's defaults
    const json& s = image["sim"];
    auto bad = [](const std::string& what) { throw ParseError("card image: \"sim\": " + what); };
    if (!s.is_object()) bad("must be an object");
    Authentication auth = s.contains("authentication") ? Authentication::fromJson(s["authentication"]) : m_auth;
    std::map<std::uint8_t, UnblockCode> unblock;
    std::set<std::uint8_t> disabled;
    try {
        for (const json& u : s.value("unblock", json::array())) {
            const Bytes ref = fromHex(u.at("reference").get<std::string>());
            UnblockCode code;
            code.value = fromHex(u.at("value").get<std::string>());
            code.maxTries = static_cast<std::uint8_t>(std::min(15u, u.value("maxTries", 10u)));
            code.triesLeft = static_cast<std::uint8_t>(std::min(15u, u.value("triesLeft", 10u)));
            if (ref.size() != 1 || code.value.size() != kChvSize || code.triesLeft > code.maxTries || code.maxTries == 0)
                bad("an unblock code has a 1-byte reference, an 8-byte value and 0 <= triesLeft <= maxTries <= 15");
            unblock[ref[0]] = code;
        }
        for (const json& d : s.value("disabledPins", json::array())) {
            const Bytes ref = fromHex(d.get<std::string>());
            if (ref.size() != 1) bad("\"disabledPins\" holds 1-byte references");
            disabled.insert(ref[0]);
        }
    } catch (const json::exception& e) {
        bad(e.what());
    }
    m_auth = std::move(auth);
    m_unblock = std::move(unblock);
    m_disabled = std::move(disabled);
}

}  // namespace vpcsc::vicc::sim
