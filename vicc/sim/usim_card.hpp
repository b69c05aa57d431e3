// The `usim` card type: a UICC (TS 102 221) with the USIM application (TS 31.102) that also
// answers CLA A0 like a SIM (SimCard). CLA 00/4x-7x and 80-83/C0-CF: SELECT with FCP templates
// (by FID, path, AID or partial AID), STATUS, READ/UPDATE/SEARCH RECORD and SFI access from the
// ISO engine, VERIFY/CHANGE/DISABLE/ENABLE/UNBLOCK PIN with the UICC references (01 PIN1,
// 81 PIN2, 0A ADM1), AUTHENTICATE (3G and GSM contexts), GET CHALLENGE, logical channels.
#pragma once

#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

class UsimCard : public SimCard {
public:
    using SimCard::SimCard;

    // ---- TS 102 221 §11.1 ----
    Response uiccSelect(const CommandApdu& c, LogicalChannel& ch);        // A4
    Response uiccStatus(const CommandApdu& c, LogicalChannel& ch);        // 80 F2
    Response verifyPin(const CommandApdu& c, LogicalChannel& ch);         // 20
    Response changePin(const CommandApdu& c, LogicalChannel& ch);         // 24
    Response disablePin(const CommandApdu& c, LogicalChannel& ch);        // 26
    Response enablePin(const CommandApdu& c, LogicalChannel& ch);         // 28
    Response unblockPin(const CommandApdu& c, LogicalChannel& ch);        // 2C
    Response authenticate(const CommandApdu& c, LogicalChannel& ch);      // 88 (TS 31.102 §7.1)
    Response getChallenge(const CommandApdu& c, LogicalChannel& ch);      // 84
    Response terminalCapability(const CommandApdu& c, LogicalChannel& ch);  // 80 AA

protected:
    const char* typeName() const override { return "usim"; }
    const CommandTable& uiccCommands() const override;
    bool acceptsUiccClasses() const override { return true; }

private:
    const fs::File* currentApplication(LogicalChannel& ch);
    std::uint8_t uiccPinReference(std::uint8_t p2) const;
    [[noreturn]] void uiccPinFailure(PinResult r, std::uint8_t reference, bool unblock);
};

}  // namespace vpcsc::vicc::sim
