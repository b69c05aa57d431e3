#include "vicc/iso7816/iso7816_card.hpp"

#include "common/log.hpp"
#include "common/sw.hpp"

namespace vpcsc::vicc {

namespace {
constexpr std::uint8_t kInsGetResponse = 0xC0;
}

Iso7816Card::Iso7816Card(Bytes atr, fs::FileSystem fileSystem) : m_atr(std::move(atr)), m_fs(std::move(fileSystem)) {
    resetChannels();
}

Bytes Iso7816Card::atr() const {
    if (m_atrOverride) return *m_atrOverride;
    if (m_imageAtr) return *m_imageAtr;
    return m_atr;
}

// Card.hpp: volatile state (current files, security status, channels, chains) goes on each.
void Iso7816Card::powerOn() { resetChannels(); }
void Iso7816Card::powerOff() { resetChannels(); }
void Iso7816Card::reset() { resetChannels(); }

void Iso7816Card::resetChannels() {
    for (auto& c : m_channels) c.reset();
    openChannel(0, nullptr);
}

LogicalChannel& Iso7816Card::openChannel(std::uint8_t number, const LogicalChannel* origin) {
    auto ch = std::make_unique<LogicalChannel>();
    ch->number = number;
    // ISO 7816-4 §11.1.2 (MANAGE CHANNEL): opened from the basic channel, the MF is current;
    // opened from another channel, that channel's current DF is.
    if (origin && origin->number != 0 && origin->currentDf)
        ch->selectDf(*origin->currentDf);
    else
        ch->selectDf(m_fs.mf());
    ch->security = newSecurityState(origin);
    m_channels[number] = std::move(ch);
    return *m_channels[number];
}

LogicalChannel* Iso7816Card::channel(std::uint8_t number) {
    return number < kChannels ? m_channels[number].get() : nullptr;
}

std::unique_ptr<SecurityState> Iso7816Card::newSecurityState(const LogicalChannel*) {
    return std::make_unique<BasicSecurityState>();
}

// ISO 7816-4 §5.4.1
std::uint8_t Iso7816Card::channelOfClass(std::uint8_t cla) const {
    switch (classKind(cla)) {
    case ClassKind::FirstInterindustry:
    case ClassKind::FurtherInterindustry:
        return *logicalChannel(cla);
    case ClassKind::Proprietary:
        if (!commands().hasAny(CommandTable::ClassSet::Proprietary)) throw SwError(sw::kClaNotSupported);
        return *logicalChannel(cla & 0x7F);
    case ClassKind::Reserved:
    case ClassKind::Invalid:
        break;
    }
    throw SwError(sw::kClaNotSupported);
}

Bytes Iso7816Card::process(ByteView raw) {
    try {
        CommandApdu apdu;
        try {
            apdu = CommandApdu::parse(raw);
        } catch (const ApduError& e) {
            LOG_DEBUG("iso7816: malformed command APDU: %s", e.what());
            return {0x67, 0x00};
        }
        return execute(apdu);
    } catch (const std::exception& e) {
        LOG_ERROR("iso7816: internal error on %s: %s", log::maskCommandApdu(raw).c_str(), e.what());
    } catch (...) {
        LOG_ERROR("iso7816: internal error (unknown exception) on %s", log::maskCommandApdu(raw).c_str());
    }
    return {0x6F, 0x00};
}

Bytes Iso7816Card::execute(const CommandApdu& apdu) {
    LogicalChannel* ch = nullptr;
    try {
        const std::uint8_t number = channelOfClass(apdu.cla);
        ch = channel(number);
        if (!ch) throw SwError(sw::kLogicalChannelNotSupported);  // ISO 7816-4 §5.4.1: channel not open
        // ISO 7816-4 §5.3.4: response bytes not fetched by the next command are lost.
        if (apdu.ins != kInsGetResponse) ch->pendingResponse.clear();
        Response r = dispatch(apdu, *ch);
        Bytes out = shape(apdu, *ch, std::move(r));
        if (ch->closing) m_channels[number].reset();
        return out;
    } catch (const SwError& e) {
        if (ch) ch->pendingResponse.clear();
        return {e.sw1(), e.sw2()};
    }
}

Response Iso7816Card::dispatch(CommandApdu apdu, LogicalChannel& ch) {
    const bool proprietary = classKind(apdu.cla) == ClassKind::Proprietary;
    const bool sm = !proprietary && secureMessaging(apdu.cla) != SecureMessaging::None;
    if (!sm) {
        // ISO 7816-4 §10 / ICAO 9303-11 §9.8.4: a plain command ends secure messaging (GET
        // RESPONSE fetches the rest of a protected response).
        if (ch.sm && apdu.ins != kInsGetResponse) ch.sm.reset();
        return run(std::move(apdu), ch);
    }
    const CommandApdu plain = unprotectCommand(ch, apdu);  // 6882 / 6987 / 6988 answered in plain
    // The security status "secure messaging" (SC b7) holds while this command runs.
    struct SmStatus {
        SecurityState& state;
        ~SmStatus() { state.setSecureMessaging(false); }
    } status{*ch.security};
    ch.security->setSecureMessaging(true);
    Response r;
    try {
        r = run(plain, ch);
    } catch (const SwError& e) {
        r = Response::status(e.sw);  // errors of the command itself are protected too
    }
    protectResponse(ch, plain, r);
    return r;
}

Response Iso7816Card::run(CommandApdu apdu, LogicalChannel& ch) {
    const bool proprietary = classKind(apdu.cla) == ClassKind::Proprietary;
    // ISO 7816-4 §5.3.3: command chaining. Each command of the chain but the last is answered
    // 9000; the last one carries the concatenated data field.
    if (!proprietary) {
        auto& chain = ch.chain;
        const bool sameCommand = chain.active && chain.ins == apdu.ins && chain.p1 == apdu.p1 && chain.p2 == apdu.p2;
        if (chain.active && !sameCommand) {
            chain = {};  // a different command abandons the chain
        }
        if (isChained(apdu.cla)) {
            if (!chain.active) chain = {true, apdu.ins, apdu.p1, apdu.p2, {}};
            if (chain.data.size() + apdu.data.size() > kMaxExtendedNc) {
                chain = {};
                throw SwError(sw::kWrongLength);
            }
            append(chain.data, apdu.data);
            return {};
        }
        if (chain.active) {
            Bytes whole = std::move(chain.data);
            append(whole, apdu.data);
            chain = {};
            if (whole.size() > kMaxExtendedNc) throw SwError(sw::kWrongLength);
            apdu.data = std::move(whole);
        }
    }

    const auto set = proprietary ? CommandTable::ClassSet::Proprietary : CommandTable::ClassSet::Interindustry;
    const CommandTable::Handler* handler = commands().find(set, apdu.ins);
    if (!handler) throw SwError(sw::kInsNotSupported);
    return (*handler)(*this, apdu, ch);
}

fs::File& Iso7816Card::currentDf(LogicalChannel& ch) {
    if (!ch.currentDf) ch.selectDf(m_fs.mf());
    return *ch.currentDf;
}

fs::File& Iso7816Card::targetEf(LogicalChannel& ch, std::optional<std::uint8_t> sfi) {
    if (sfi) {
        fs::File* ef = currentDf(ch).childBySfi(*sfi);
        if (!ef) throw SwError(sw::kFileNotFound);
        if (ef != ch.currentEf) ch.selectEf(*ef);  // ISO 7816-4 §7.2.2: the EF becomes current
        return *ef;
    }
    if (!ch.currentEf) throw SwError(sw::kNoCurrentEf);
    return *ch.currentEf;
}

fs::File& Iso7816Card::targetEfByReference(LogicalChannel& ch, std::uint16_t reference) {
    if (reference == 0x0000) return targetEf(ch, std::nullopt);
    if (reference <= 0x001E) return targetEf(ch, static_cast<std::uint8_t>(reference));
    fs::File* ef = currentDf(ch).child(reference);
    if (!ef || ef->isDf()) throw SwError(sw::kFileNotFound);
    if (ef != ch.currentEf) ch.selectEf(*ef);
    return *ef;
}

void Iso7816Card::forgetFile(const fs::File& removed, fs::File& parent) {
    for (auto& c : m_channels) {
        if (!c) continue;
        if (c->currentEf && c->currentEf->isWithin(removed)) {
            c->currentEf = nullptr;
            c->currentRecord.reset();
        }
        if (c->currentDf && c->currentDf->isWithin(removed)) c->selectDf(parent);
    }
}

}  // namespace vpcsc::vicc
