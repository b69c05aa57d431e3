// The Schlumberger Cryptoflex as OpenSC's flex driver drives it (reference notes §1): T=0 with
// 61xx / GET RESPONSE (C0 C0), CLA C0 for everyday and F0 for administrative commands, CLA 10/00
// chaining for 2048-bit RSA, the Cryptoflex file header instead of an ISO FCI, access conditions
// from the header nibbles, CHV files, AUT keys and RSA key files. Built on the ISO engine
// (APDU parsing, chaining, response shaping) and its file tree; the Cryptoflex attributes of a
// file live in its FCP extras (vicc/cryptoflex/file_header.hpp). The whole persistent state is
// the file system (PINs in CHV files, keys in key files) plus the "model" of the image.
#pragma once

#include "vicc/cryptoflex/access.hpp"
#include "vicc/cryptoflex/model.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

class CryptoflexCard : public Iso7816Card {
public:
    // The default AAK (VERIFY KEY, key 1) of Schlumberger's transport configuration, as OpenSC
    // presents it (reference notes §1.3).
    static const Bytes& defaultTransportKey();

    CryptoflexCard(const cryptoflex::Model& model, fs::FileSystem fileSystem);
    // A blank card: MF (CREATE/DELETE need the AAK), EF 0002 with an 8-byte serial number and
    // EF 0011 with the default AAK (vicc/cryptoflex/blank_card.cpp).
    static std::unique_ptr<CryptoflexCard> blank(const cryptoflex::Model& model, ByteView serial);

    Bytes atr() const override;
    void powerOn() override;
    void powerOff() override;
    void reset() override;
    // --atr (or the image's "atr", which vicc passes the same way) wins over the model's ATR.
    void setCommandLineAtr(std::optional<Bytes> atr);

    const cryptoflex::Model& model() const { return *m_model; }
    const cryptoflex::SecurityStatus& securityStatus() const { return m_status; }

    // ---- handlers (commands_*.cpp) ----
    Response select(const CommandApdu& c, LogicalChannel& ch);            // C0 A4
    Response directory(const CommandApdu& c, LogicalChannel& ch);         // F0 A8
    Response createFile(const CommandApdu& c, LogicalChannel& ch);        // F0 E0
    Response deleteFile(const CommandApdu& c, LogicalChannel& ch);        // F0 E4
    Response readBinary(const CommandApdu& c, LogicalChannel& ch);        // C0 B0
    Response updateBinary(const CommandApdu& c, LogicalChannel& ch);      // C0 D6
    Response readRecord(const CommandApdu& c, LogicalChannel& ch);        // C0 B2
    Response updateRecord(const CommandApdu& c, LogicalChannel& ch);      // C0 DC
    Response invalidate(const CommandApdu& c, LogicalChannel& ch);        // C0 04
    Response rehabilitate(const CommandApdu& c, LogicalChannel& ch);      // C0 44
    Response getResponse(const CommandApdu& c, LogicalChannel& ch);       // C0 C0
    Response verifyChv(const CommandApdu& c, LogicalChannel& ch);         // C0 20
    Response changeChv(const CommandApdu& c, LogicalChannel& ch);         // F0 24
    Response unblockChv(const CommandApdu& c, LogicalChannel& ch);        // F0 2C
    Response verifyKey(const CommandApdu& c, LogicalChannel& ch);         // F0 2A
    Response logout(const CommandApdu& c, LogicalChannel& ch);            // F0 22
    Response getChallenge(const CommandApdu& c, LogicalChannel& ch);      // C0 84
    Response generateRsaKey(const CommandApdu& c, LogicalChannel& ch);    // F0 46
    Response internalAuthenticate(const CommandApdu& c, LogicalChannel& ch);  // C0 88, 00/10 88

protected:
    const CommandTable& commands() const override;
    std::uint8_t channelOfClass(std::uint8_t cla) const override;
    void saveExtraState(nlohmann::json& image) const override;
    void loadExtraState(const nlohmann::json& image) override;
    const char* typeName() const override { return "cryptoflex"; }

private:
    // The file a CHV / AUT key lookup finds: fid in the current DF, then in each ancestor.
    fs::File* findUpwards(LogicalChannel& ch, std::uint16_t fid);
    fs::File& currentEfChecked(LogicalChannel& ch);  // 6986 without a current EF
    void requireActive(const fs::File& f) const;     // 6984 for an invalidated file
    void clearVolatile();

    const cryptoflex::Model* m_model;
    std::optional<Bytes> m_commandLineAtr;
    cryptoflex::SecurityStatus m_status;
    std::size_t m_directoryIndex = 0;  // DIRECTORY: next child of the current DF
};

}  // namespace vpcsc::vicc
