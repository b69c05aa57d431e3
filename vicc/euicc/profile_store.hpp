// What an eUICC keeps across sessions (SGP.22 §2.4, §3.2, §3.5): the installed profiles (their ISD-P
// AID, StoreMetadata, nickname, state, and the USIM card each presents when enabled), the pending
// notifications with their sequence numbers, and the eUICC's own counters and addresses.
// The download (vicc/euicc/download) adds profiles and install notifications; the ES10c functions
// (EuiccCard) list, enable, disable, delete and rename them. save()/load() give the card image.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "vicc/card.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::euicc {

// NotificationEvent bits as the first content byte of the BIT STRING (SGP.22 §5.7.9 / §2.4a).
enum class NotificationEvent : std::uint8_t { Install = 0x80, Enable = 0x40, Disable = 0x20, Delete = 0x10 };

struct Notification {
    std::uint32_t seqNumber = 0;
    NotificationEvent event = NotificationEvent::Install;
    std::string address;  // notificationAddress (FQDN[:port])
    Bytes iccid;          // 10 bytes
    // What RetrieveNotificationsList returns for it: BF37 ProfileInstallationResult or
    // 30 OtherSignedNotification, signed when it was queued.
    Bytes pending;
};

struct InstalledProfile {
    Bytes isdpAid;                  // 16 bytes, A0000005591010FFFFFFFF89 00 00 10 00 + n
    es10::StoreMetadata metadata;   // ICCID, SPN, name, class, notification config, PPRs
    std::optional<std::string> nickname;
    bool enabled = false;
    std::string smdpAddress;        // the SM-DP+ it came from (serverAddress of the session)
    Bytes smdpOid;                  // that SM-DP+'s OID (DPauth SAN registeredID), DER content
    std::shared_ptr<vicc::Card> usim;  // what the card presents while the profile is enabled
};

class ProfileStore {
public:
    std::vector<InstalledProfile>& profiles() { return m_profiles; }
    const std::vector<InstalledProfile>& profiles() const { return m_profiles; }
    InstalledProfile* findByIccid(ByteView iccid);
    InstalledProfile* findByAid(ByteView isdpAid);
    InstalledProfile* enabled();

    // The next unused ISD-P AID (ConfigureISDP, SGP.22 §5.5.1).
    Bytes allocateIsdpAid() const;
    // Adds a completed download (disabled, as SGP.22 §3.1.3 installs it).
    void install(InstalledProfile profile);
    void remove(ByteView isdpAid);

    // Notification sequence numbers are unique for the eUICC's life (§5.7.9): never reused.
    std::uint32_t nextSequenceNumber() { return ++m_lastSeqNumber; }
    std::vector<Notification>& notifications() { return m_notifications; }
    void addNotification(Notification n) { m_notifications.push_back(std::move(n)); }

    // ES10a addresses (§5.7.3/5.7.4).
    std::string defaultDpAddress;
    std::string rootDsAddress = "lpa.ds.gsma.com";

    // The persistent image (profiles with their USIM state, notifications, counters, addresses).
    nlohmann::json save() const;
    // Throws std::runtime_error naming what is wrong; leaves the store unchanged then.
    void load(const nlohmann::json& image);

private:
    std::vector<InstalledProfile> m_profiles;
    std::vector<Notification> m_notifications;
    std::uint32_t m_lastSeqNumber = 0;
};

}  // namespace vpcsc::euicc
