// Notification processing on the LPA side (SGP.22 §3.5, §5.6.4, §5.7.10-11): fetch one pending
// notification from the eUICC (RetrieveNotificationsList by sequence number), deliver it to its
// notificationAddress with ES9+ handleNotification, and optionally remove it (NotificationSent).
#pragma once

#include <cstdint>
#include <string>

#include "lpa/es10_client.hpp"
#include "lpa/es9_transport.hpp"

namespace vpcsc::lpa {

struct ProcessedNotification {
    std::uint32_t seqNumber = 0;
    std::string notificationAddress;
    std::uint8_t events = 0;
    bool removed = false;
};

// The address a pending notification goes to: from the BF2F metadata inside a BF37
// ProfileInstallationResult or a 30 OtherSignedNotification. Throws es10::Es10Error.
std::string notificationAddressOf(ByteView pendingNotification, std::uint8_t* events = nullptr);

// Throws std::runtime_error (ES10 result error, no such sequence number) and the transports' errors.
ProcessedNotification processNotification(Es10Client& es10, Es9Transport& http, std::uint32_t seqNumber, bool remove);

}  // namespace vpcsc::lpa
