// The ISO 7816-4 card engine: the base of every ISO-style card type. process() parses the C-APDU,
// routes it by CLA to a logical channel, collects command chains, looks the INS up in the card
// type's CommandTable, and shapes the handler's Response into the R-APDU. Handlers throw SwError
// from any depth; it is caught once here and nothing else escapes (6F00 + log line).
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>

#include "common/apdu.hpp"
#include "vicc/card.hpp"
#include "vicc/fs/access.hpp"
#include "vicc/fs/file_system.hpp"
#include "vicc/iso7816/card_key.hpp"
#include "vicc/iso7816/command_table.hpp"
#include "vicc/iso7816/logical_channel.hpp"
#include "vicc/iso7816/response.hpp"
#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc {

class Iso7816Card : public Card {
public:
    static constexpr std::size_t kChannels = 20;  // ISO 7816-4 §5.4.1: 0-3 first, 4-19 further interindustry

    Iso7816Card(Bytes atr, fs::FileSystem fileSystem = {});

    // ---- Card ----
    Bytes atr() const override;
    void powerOn() override;
    void powerOff() override;
    void reset() override;
    Bytes process(ByteView commandApdu) override;
    nlohmann::json saveState() const override;
    void loadState(const nlohmann::json& image) override;

    // --atr: wins over the card image's and the type's ATR.
    void setAtrOverride(std::optional<Bytes> atr) { m_atrOverride = std::move(atr); }

    // ---- the state derived card types and the security engineer work on ----
    fs::FileSystem& fileSystem() { return m_fs; }
    const fs::FileSystem& fileSystem() const { return m_fs; }
    std::map<std::uint8_t, Pin>& pins() { return m_pins; }  // by reference (VERIFY P2)
    const std::map<std::uint8_t, Pin>& pins() const { return m_pins; }
    std::map<std::uint8_t, CardKey>& keys() { return m_keys; }  // by key reference
    const std::map<std::uint8_t, CardKey>& keys() const { return m_keys; }
    LogicalChannel* channel(std::uint8_t number);  // nullptr when not open
    // Persistent state changed (file content, tree, life cycle, PIN retry counters): the runtime
    // saves the card image.
    void changed() { markDirty(); }

    // ---- ISO 7816-4/-9 handlers (vicc/iso7816/*.cpp), public for derived tables ----
    Response select(const CommandApdu& c, LogicalChannel& ch);          // A4  select.cpp
    Response readBinary(const CommandApdu& c, LogicalChannel& ch);      // B0 B1  binary.cpp
    Response updateBinary(const CommandApdu& c, LogicalChannel& ch);    // D6 D7
    Response writeBinary(const CommandApdu& c, LogicalChannel& ch);     // D0 D1
    Response eraseBinary(const CommandApdu& c, LogicalChannel& ch);     // 0E 0F
    Response readRecord(const CommandApdu& c, LogicalChannel& ch);      // B2  record.cpp
    Response updateRecord(const CommandApdu& c, LogicalChannel& ch);    // DC
    Response writeRecord(const CommandApdu& c, LogicalChannel& ch);     // D2
    Response appendRecord(const CommandApdu& c, LogicalChannel& ch);    // E2
    Response eraseRecord(const CommandApdu& c, LogicalChannel& ch);     // 0C
    Response searchRecord(const CommandApdu& c, LogicalChannel& ch);    // A2
    Response getData(const CommandApdu& c, LogicalChannel& ch);         // CA CB  data_objects.cpp
    Response putData(const CommandApdu& c, LogicalChannel& ch);         // DA DB
    Response createFile(const CommandApdu& c, LogicalChannel& ch);      // E0  file_management.cpp
    Response deleteFile(const CommandApdu& c, LogicalChannel& ch);      // E4
    Response activateFile(const CommandApdu& c, LogicalChannel& ch);    // 44  life_cycle.cpp
    Response deactivateFile(const CommandApdu& c, LogicalChannel& ch);  // 04
    Response terminateDf(const CommandApdu& c, LogicalChannel& ch);     // E6
    Response terminateEf(const CommandApdu& c, LogicalChannel& ch);     // E8
    Response manageChannel(const CommandApdu& c, LogicalChannel& ch);   // 70  channels.cpp
    Response getResponse(const CommandApdu& c, LogicalChannel& ch);     // C0  response.cpp
    Response verify(const CommandApdu& c, LogicalChannel& ch);               // 20  verification.cpp
    Response changeReferenceData(const CommandApdu& c, LogicalChannel& ch);  // 24
    Response resetRetryCounter(const CommandApdu& c, LogicalChannel& ch);    // 2C
    Response getChallenge(const CommandApdu& c, LogicalChannel& ch);         // 84  authentication.cpp
    Response internalAuthenticate(const CommandApdu& c, LogicalChannel& ch); // 88
    Response externalAuthenticate(const CommandApdu& c, LogicalChannel& ch); // 82 without Le
    Response mutualAuthenticate(const CommandApdu& c, LogicalChannel& ch);   // 82 with Le
    Response manageSecurityEnvironment(const CommandApdu& c, LogicalChannel& ch);  // 22  security_operations.cpp
    Response performSecurityOperation(const CommandApdu& c, LogicalChannel& ch);   // 2A
    Response generateAsymmetricKeyPair(const CommandApdu& c, LogicalChannel& ch);  // 46 47

protected:
    // The dispatch table of this card type; derived types return their modified copy.
    virtual const CommandTable& commands() const { return iso7816Commands(); }
    // Security status of a channel being opened (origin: the channel MANAGE CHANNEL came on,
    // nullptr at power-on). Default: an empty BasicSecurityState.
    virtual std::unique_ptr<SecurityState> newSecurityState(const LogicalChannel* origin);
    // Secure messaging (ISO 7816-4 §10), for the security engineer. Called for every command
    // whose CLA indicates SM, before chaining and dispatch; returns the unprotected command
    // (its CLA with SM bits cleared). Default (secure_messaging.cpp): the channel's session from
    // MUTUAL AUTHENTICATE or the image's static SM key; 6882 without either.
    virtual CommandApdu unprotectCommand(LogicalChannel& ch, const CommandApdu& protectedApdu);
    // Called with the handler's response to an SM command, before response shaping.
    virtual void protectResponse(LogicalChannel& ch, const CommandApdu& command, Response& response);
    // The logical channel a CLA addresses (ISO 7816-4 §5.4.1). Proprietary classes (8x-Fx)
    // address channels like the interindustry class with b8 cleared (GlobalPlatform's use);
    // they reach the proprietary table only if the card type registered something there.
    // Throws 6E00 for classes the card does not support.
    virtual std::uint8_t channelOfClass(std::uint8_t cla) const;
    // Card-type hooks for the image: extra members in saveState(), and reading them back.
    virtual void saveExtraState(nlohmann::json& /*image*/) const {}
    virtual void loadExtraState(const nlohmann::json& /*image*/) {}
    virtual const char* typeName() const { return "iso7816"; }

    // ---- helpers for handlers ----
    fs::File& currentDf(LogicalChannel& ch);
    // The PIN with this reference; 6A88 when there is none.
    Pin& pinOf(std::uint8_t reference);
    // The key with this reference for a use (a KeyUsage bit): 6A88 when there is none, 6985 when
    // the key is not for that use, 6982 when its access condition is not met on the channel.
    CardKey& keyFor(std::uint8_t reference, unsigned usage, const LogicalChannel& ch);
    // The EF a command addresses: by SFI (1-30) in the current DF, which becomes the current EF
    // (6A82 if absent), or the current EF (6986 if none).
    fs::File& targetEf(LogicalChannel& ch, std::optional<std::uint8_t> sfi);
    // The file reference in P1-P2 of an odd INS (ISO 7816-4 §7.2.2): 0000 the current EF,
    // 0001-001E an SFI, anything else the FID of an EF in the current DF. It becomes current.
    fs::File& targetEfByReference(LogicalChannel& ch, std::uint16_t reference);
    void checkAccess(const fs::File& f, fs::AccessMode mode, const LogicalChannel& ch) const {
        fs::checkAccess(f, mode, *ch.security);
    }
    // After a file left the tree: channels whose current file was in it fall back to its parent.
    void forgetFile(const fs::File& removed, fs::File& parent);
    LogicalChannel& openChannel(std::uint8_t number, const LogicalChannel* origin);
    // PERFORM SECURITY OPERATION by P1-P2 (security_operations.cpp).
    Response computeDigitalSignature(const CommandApdu& c, LogicalChannel& ch);  // 9E9A
    Response decipher(const CommandApdu& c, LogicalChannel& ch);                 // 8086
    Response hash(const CommandApdu& c, LogicalChannel& ch);                     // 9080
    Response verifyDigitalSignature(const CommandApdu& c, LogicalChannel& ch);   // 00A8
    Response verifyCertificate(const CommandApdu& c, LogicalChannel& ch);        // 00AE
    // Closing the channel the command came on takes effect once its response is built.
    void closeChannel(std::uint8_t number, LogicalChannel& current);

private:
    Bytes execute(const CommandApdu& apdu);
    Response dispatch(CommandApdu apdu, LogicalChannel& ch);  // secure messaging around run()
    Response run(CommandApdu apdu, LogicalChannel& ch);       // chaining, then the handler
    Bytes shape(const CommandApdu& apdu, LogicalChannel& ch, Response r);  // response.cpp
    void resetChannels();

    Bytes m_atr;
    std::optional<Bytes> m_imageAtr;
    std::optional<Bytes> m_atrOverride;
    fs::FileSystem m_fs;
    std::map<std::uint8_t, Pin> m_pins;
    std::map<std::uint8_t, CardKey> m_keys;
    std::array<std::unique_ptr<LogicalChannel>, kChannels> m_channels;
};

}  // namespace vpcsc::vicc
