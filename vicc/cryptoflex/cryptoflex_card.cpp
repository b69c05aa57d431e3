#include "vicc/cryptoflex/cryptoflex_card.hpp"

#include "vicc/cryptoflex/classes.hpp"

namespace vpcsc::vicc {

using namespace cryptoflex;

CryptoflexCard::CryptoflexCard(const Model& model, fs::FileSystem fileSystem)
    : Iso7816Card(model.atr, std::move(fileSystem)), m_model(&model) {}

const Bytes& CryptoflexCard::defaultTransportKey() {
    // OpenSC card-flex.c flex_get_default_key (reference notes §1.3).
    static const Bytes key = {0x2C, 0x15, 0xE5, 0x26, 0xE9, 0x3E, 0x8A, 0x19};
    return key;
}

Bytes CryptoflexCard::atr() const { return m_commandLineAtr ? *m_commandLineAtr : m_model->atr; }

void CryptoflexCard::setCommandLineAtr(std::optional<Bytes> atr) {
    m_commandLineAtr = atr;
    setAtrOverride(std::move(atr));
}

void CryptoflexCard::clearVolatile() {
    m_status.clear();
    m_directoryIndex = 0;
}

// Reference notes §1.6: the security state is cleared by reset (and power off).
void CryptoflexCard::powerOn() {
    Iso7816Card::powerOn();
    clearVolatile();
}
void CryptoflexCard::powerOff() {
    Iso7816Card::powerOff();
    clearVolatile();
}
void CryptoflexCard::reset() {
    Iso7816Card::reset();
    clearVolatile();
}

// One logical channel; C0/F0 plus 00/10 for the chained RSA operation (reference notes §1.3).
std::uint8_t CryptoflexCard::channelOfClass(std::uint8_t cla) const {
    switch (cla) {
    case kClaEveryday:
    case kClaAdministrative:
    case kClaIso:
    case kClaIsoChaining:
        return 0;
    default:
        throw SwError(sw::kClaNotSupported);
    }
}

const CommandTable& CryptoflexCard::commands() const {
    using Set = CommandTable::ClassSet;
    static const CommandTable t = [] {
        CommandTable c;
        c.add(0xA4, &CryptoflexCard::select, Set::Proprietary)
            .add(0xA8, &CryptoflexCard::directory, Set::Proprietary)
            .add(0xE0, &CryptoflexCard::createFile, Set::Proprietary)
            .add(0xE4, &CryptoflexCard::deleteFile, Set::Proprietary)
            .add(0xB0, &CryptoflexCard::readBinary, Set::Proprietary)
            .add(0xD6, &CryptoflexCard::updateBinary, Set::Proprietary)
            .add(0xB2, &CryptoflexCard::readRecord, Set::Proprietary)
            .add(0xDC, &CryptoflexCard::updateRecord, Set::Proprietary)
            .add(0x04, &CryptoflexCard::invalidate, Set::Proprietary)
            .add(0x44, &CryptoflexCard::rehabilitate, Set::Proprietary)
            .add(0xC0, &CryptoflexCard::getResponse, Set::Proprietary)
            .add(0x20, &CryptoflexCard::verifyChv, Set::Proprietary)
            .add(0x24, &CryptoflexCard::changeChv, Set::Proprietary)
            .add(0x2C, &CryptoflexCard::unblockChv, Set::Proprietary)
            .add(0x2A, &CryptoflexCard::verifyKey, Set::Proprietary)
            .add(0x22, &CryptoflexCard::logout, Set::Proprietary)
            .add(0x84, &CryptoflexCard::getChallenge, Set::Proprietary)
            .add(0x46, &CryptoflexCard::generateRsaKey, Set::Proprietary)
            .add(0x88, &CryptoflexCard::internalAuthenticate, Set::Proprietary)
            // CLA 00 (after a CLA 10 chain, which the engine collects): the RSA operation only.
            .add(0x88, &CryptoflexCard::internalAuthenticate, Set::Interindustry);
        return c;
    }();
    return t;
}

// ISO 7816-4 §11.6.1 GET RESPONSE with the Cryptoflex class (OpenSC sends C0 C0 00 00 xx).
Response CryptoflexCard::getResponse(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    return Iso7816Card::getResponse(c, ch);
}

void CryptoflexCard::saveExtraState(nlohmann::json& image) const {
    image["model"] = std::string(m_model->name);
    image.erase("pins");  // PINs live in the CHV files
}

void CryptoflexCard::loadExtraState(const nlohmann::json& image) {
    if (!image.contains("model")) return;
    if (!image["model"].is_string()) throw ParseError("card image: \"model\" must be a string");
    const Model* m = findModel(image["model"].get<std::string>());
    if (!m) throw ParseError("card image: unknown Cryptoflex \"model\" (see doc/cryptoflex.md)");
    m_model = m;
}

fs::File* CryptoflexCard::findUpwards(LogicalChannel& ch, std::uint16_t fid) {
    for (fs::File* df = &currentDf(ch); df; df = df->parent()) {
        fs::File* f = df->child(fid);
        if (f && !f->isDf()) return f;
    }
    return nullptr;
}

fs::File& CryptoflexCard::currentEfChecked(LogicalChannel& ch) {
    if (!ch.currentEf) throw SwError(sw::kNoCurrentEf);
    return *ch.currentEf;
}

void CryptoflexCard::requireActive(const fs::File& f) const {
    if (f.lifeCycle != fs::LifeCycle::Activated) throw SwError(sw::kReferenceDataNotUsable);
}

}  // namespace vpcsc::vicc
