// The `euicc` card type (SGP.22 consumer eUICC): the ISD-R on logical channels and the ES10
// transport of SGP.22 §5.7 as lpac drives it (research notes §2.3): MANAGE CHANNEL, SELECT ISD-R,
// STORE DATA (CLA 80|ch, INS E2, P1 11/91, P2 block number) with the response over 61xx + GET
// RESPONSE, TERMINAL CAPABILITIES. ES10b download functions go to Download; ES10c profile
// management, ES10a addresses and the ES10b notification functions are the card's own
// (euicc_profiles.cpp). Every other APDU, on a channel not holding the ISD-R, goes to the USIM of
// the profile that was enabled at the last reset or power on (SGP.22 §3.2.1: a switch takes effect
// when the Device resets the eUICC); with none, the card shows no file system (6A82). doc/euicc.md.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/apdu.hpp"
#include "vicc/card.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/euicc/download/download.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/identity.hpp"
#include "vicc/euicc/profile_store.hpp"

namespace vpcsc::euicc {

// ISD-R AID (SGP.22 §2.2.3).
inline const Bytes kIsdRAid = fromHex("A0000005591010FFFFFFFF8900000100");

class EuiccCard : public vicc::Card {
public:
    explicit EuiccCard(EuiccIdentity identity);

    // T=0 (lpac connects with SCARD_PROTOCOL_T0 only) and T=15.
    Bytes atr() const override;
    void setAtr(std::optional<Bytes> atr) { m_atrOverride = std::move(atr); }
    void powerOn() override { clearVolatile(&vicc::Card::powerOn); }
    void powerOff() override { clearVolatile(&vicc::Card::powerOff); }
    void reset() override { clearVolatile(&vicc::Card::reset); }
    Bytes process(ByteView commandApdu) override;
    nlohmann::json saveState() const override;
    void loadState(const nlohmann::json& image) override;

    es10::EuiccInfo1 euiccInfo1() const;
    es10::EuiccInfo2 euiccInfo2() const;
    ProfileStore& store() { return m_store; }
    // The USIM presented on the basic channel now (nullptr: no profile was enabled at the last reset).
    const vicc::Card* presentedUsim() const { return m_presented.get(); }

    static constexpr std::size_t kChannels = 4;       // basic + 3 logical (CLA 0x-3x / 8x-Bx)
    static constexpr std::size_t kMaxCommand = 65536; // one reassembled ES10 command

private:
    struct Channel {
        bool open = false;
        bool isdRSelected = false;
        Bytes command;                  // STORE DATA blocks so far
        std::uint8_t nextBlock = 0;
        Bytes pending;                  // response bytes waiting for GET RESPONSE
    };
    void clearVolatile(void (vicc::Card::*usimPower)() = nullptr);
    bool forIsdR(const CommandApdu& c, const Channel& ch) const;
    Bytes toProfile(ByteView apdu, const CommandApdu& c);
    ResponseApdu dispatch(const CommandApdu& c, Channel& ch, std::uint8_t channel);
    ResponseApdu manageChannel(const CommandApdu& c, std::uint8_t channel);
    ResponseApdu select(const CommandApdu& c, Channel& ch);
    ResponseApdu storeData(const CommandApdu& c, Channel& ch);
    ResponseApdu getResponse(const CommandApdu& c, Channel& ch);
    ResponseApdu respond(Bytes data, const CommandApdu& c, Channel& ch);
    // One ES10 command (a whole TLV) in, its response TLV out; SwError for transport failures.
    Bytes es10(ByteView command);

    // ES10c / ES10a / ES10b notifications (euicc_profiles.cpp); each returns the response TLV.
    Bytes getProfilesInfo(ByteView command);
    Bytes enableProfile(ByteView command);
    Bytes disableProfile(ByteView command);
    Bytes deleteProfile(ByteView command);
    Bytes setNickname(ByteView command);
    Bytes euiccMemoryReset(ByteView command);
    Bytes configuredAddresses(ByteView command);
    Bytes setDefaultDpAddress(ByteView command);
    Bytes listNotification(ByteView command);
    Bytes retrieveNotificationsList(ByteView command);
    Bytes notificationSent(ByteView command);
    InstalledProfile* find(const es10::ProfileIdentifier& id);
    // Queues an OtherSignedNotification when the profile's notificationConfigurationInfo asks for
    // this event (SGP.22 §2.4a, §5.7.16-18).
    void notify(const InstalledProfile& p, NotificationEvent event);

    EuiccIdentity m_id;
    std::optional<Bytes> m_atrOverride;
    std::array<Channel, kChannels> m_channels{};
    ProfileStore m_store;
    Download m_download{m_id, m_store};
    std::shared_ptr<vicc::Card> m_presented;  // the enabled profile's USIM as of the last reset
    // REFRESH (eUICC Profile State Change) after Enable/Disable with refreshFlag TRUE (SGP.22
    // §5.7.16-17, ETSI TS 102 223 §6.4.7): announced as 91xx, fetched with FETCH, ended by
    // TERMINAL RESPONSE; the Device then resets the eUICC, which presents the new profile.
    // 91xx is sent once, on the last answer of the Enable/Disable itself, so that a PC/SC LPA
    // that never fetches (lpac) still gets 90 00 for its MANAGE CHANNEL afterwards.
    Bytes m_proactive;
    bool m_announce = false;  // 91 xx not yet sent (once, on the requesting command's last answer)
    bool m_awaitingTerminalResponse = false;
    void requestRefresh();
    // A proactive command is pending or fetched without its TERMINAL RESPONSE (TS 102 223 §6.2).
    bool proactiveSessionOngoing() const { return !m_proactive.empty() || m_awaitingTerminalResponse; }
    ResponseApdu proactive(const CommandApdu& c);
};

}  // namespace vpcsc::euicc
