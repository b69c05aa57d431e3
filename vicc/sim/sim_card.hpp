// The `sim` card type (TS 51.011 / GSM 11.11): an Iso7816Card whose commands come with CLA A0
// and GSM semantics: SELECT answered 9Fxx with the GSM response parameters, P3 as exact length,
// 94xx/98xx status words, CHV1/CHV2 with UNBLOCK CHV, RUN GSM ALGORITHM. Any other class is
// 6E00, which is how tools tell a 2G SIM from a UICC. UsimCard (usim_card.hpp) derives from it
// and adds the UICC classes while keeping this A0 view.
#pragma once

#include <map>
#include <set>

#include "vicc/iso7816/iso7816_card.hpp"
#include "vicc/sim/access.hpp"
#include "vicc/sim/authentication.hpp"
#include "vicc/sim/personalisation.hpp"
#include "vicc/sim/responses.hpp"

namespace vpcsc::vicc::sim {

class SimCard : public Iso7816Card {
public:
    static constexpr std::uint8_t kGsmClass = 0xA0;
    static constexpr std::size_t kChvSize = 8;  // TS 51.011 §9.3: CHVs are 8 bytes, FF padded

    SimCard(Bytes atr, fs::FileSystem fileSystem);

    Bytes process(ByteView commandApdu) override;
    // The image, then the command-line personalisation on top of it.
    void loadState(const nlohmann::json& image) override;
    void setPersonalisation(Personalisation p) { m_personalisation = std::move(p); }

    Authentication& authentication() { return m_auth; }
    std::map<std::uint8_t, UnblockCode>& unblockCodes() { return m_unblock; }
    std::set<std::uint8_t>& disabledPins() { return m_disabled; }
    // A PIN/CHV as VERIFY sends it: ASCII digits padded with FF to 8 bytes.
    static Bytes padChv(std::string_view digits);

    // ---- TS 51.011 §9.2 (CLA A0) ----
    Response gsmSelect(const CommandApdu& c, LogicalChannel& ch);          // A4  gsm_files.cpp
    Response gsmStatus(const CommandApdu& c, LogicalChannel& ch);          // F2
    Response gsmGetResponse(const CommandApdu& c, LogicalChannel& ch);     // C0
    Response gsmReadBinary(const CommandApdu& c, LogicalChannel& ch);      // B0
    Response gsmUpdateBinary(const CommandApdu& c, LogicalChannel& ch);    // D6
    Response gsmReadRecord(const CommandApdu& c, LogicalChannel& ch);      // B2  gsm_records.cpp
    Response gsmUpdateRecord(const CommandApdu& c, LogicalChannel& ch);    // DC
    Response gsmSeek(const CommandApdu& c, LogicalChannel& ch);            // A2
    Response gsmIncrease(const CommandApdu& c, LogicalChannel& ch);        // 32
    Response gsmInvalidate(const CommandApdu& c, LogicalChannel& ch);      // 04  gsm_files.cpp
    Response gsmRehabilitate(const CommandApdu& c, LogicalChannel& ch);    // 44
    Response gsmVerifyChv(const CommandApdu& c, LogicalChannel& ch);       // 20  gsm_chv.cpp
    Response gsmChangeChv(const CommandApdu& c, LogicalChannel& ch);       // 24
    Response gsmDisableChv(const CommandApdu& c, LogicalChannel& ch);      // 26
    Response gsmEnableChv(const CommandApdu& c, LogicalChannel& ch);       // 28
    Response gsmUnblockChv(const CommandApdu& c, LogicalChannel& ch);      // 2C
    Response gsmRunGsmAlgorithm(const CommandApdu& c, LogicalChannel& ch); // 88  gsm_other.cpp
    Response gsmSleep(const CommandApdu& c, LogicalChannel& ch);           // FA
    // SIM toolkit (TS 51.014 / TS 102 223), for CLA A0 and (usim) 80
    Response terminalProfile(const CommandApdu& c, LogicalChannel& ch);    // 10
    Response fetch(const CommandApdu& c, LogicalChannel& ch);              // 12
    Response terminalResponse(const CommandApdu& c, LogicalChannel& ch);   // 14
    Response envelope(const CommandApdu& c, LogicalChannel& ch);           // C2

protected:
    const CommandTable& commands() const override;
    std::uint8_t channelOfClass(std::uint8_t cla) const override;
    std::unique_ptr<SecurityState> newSecurityState(const LogicalChannel* origin) override;
    void saveExtraState(nlohmann::json& image) const override;
    void loadExtraState(const nlohmann::json& image) override;
    const char* typeName() const override { return "sim"; }
    // The table for classes other than A0; the sim type has none (6E00).
    virtual const CommandTable& uiccCommands() const;
    virtual bool acceptsUiccClasses() const { return false; }

    SimSecurityState& security(LogicalChannel& ch) { return static_cast<SimSecurityState&>(*ch.security); }
    PinView pinView() const { return {pins(), m_disabled, m_unblock}; }
    bool gsmCommand() const { return m_gsm; }

    // Reference data checks shared by the GSM and UICC commands; counters persist.
    enum class PinResult { Ok, Wrong, Blocked, Missing };
    PinResult checkPin(std::uint8_t reference, ByteView presented);
    PinResult checkUnblock(std::uint8_t reference, ByteView presented);
    std::uint8_t triesLeft(std::uint8_t reference) const;
    std::uint8_t unblockTriesLeft(std::uint8_t reference) const;

private:
    // TS 51.011 §11.3: 9810 on an invalidated EF (unless allowed), 9804 when the level is not met.
    void gsmCheck(const fs::File& file, fs::AccessMode mode, LogicalChannel& ch, bool allowInvalidated = false);
    fs::File& gsmCurrentEf(LogicalChannel& ch);
    fs::File& gsmRecordEf(LogicalChannel& ch);
    std::uint8_t chvReference(std::uint8_t p2) const;
    [[noreturn]] void gsmPinFailure(PinResult r, std::uint8_t reference);

    Authentication m_auth;
    std::map<std::uint8_t, UnblockCode> m_unblock;
    std::set<std::uint8_t> m_disabled;
    Bytes m_terminalProfile;
    Personalisation m_personalisation;
    bool m_gsm = false;  // the command being processed has CLA A0
};

}  // namespace vpcsc::vicc::sim
