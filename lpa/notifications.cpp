#include "lpa/notifications.hpp"

#include "common/tlv.hpp"
#include "lpa/es9_client.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/es10c.hpp"

namespace vpcsc::lpa {

namespace es10 = euicc::es10;

std::string notificationAddressOf(ByteView pending, std::uint8_t* events) {
    const tlv::Tlv t = tlv::parseOne(pending);
    if (t.tag == es10::kTagProfileInstallationResult) {
        const es10::NotificationMetadata m = es10::ProfileInstallationResult::decode(pending).data.notificationMetadata;
        if (events) *events = es10::decodeEventBits(m.operation);
        return m.notificationAddress;
    }
    if (t.tag != 0x30) throw es10::Es10Error("pending notification: neither BF37 nor 30");
    const es10::NotificationInfo m = es10::OtherSignedNotification::decode(pending).tbs;
    if (events) *events = m.events;
    return m.notificationAddress;
}

ProcessedNotification processNotification(Es10Client& es10c, Es9Transport& http, std::uint32_t seqNumber, bool remove) {
    const es10::RetrieveNotificationsListResponse list = es10c.retrieveNotification(seqNumber);
    if (list.error)
        throw std::runtime_error("RetrieveNotificationsList " + std::to_string(seqNumber) + ": error " +
                                 std::to_string(*list.error) + (*list.error == 1 ? " (noResultAvailable)" : ""));
    if (list.notifications.size() != 1)
        throw std::runtime_error("RetrieveNotificationsList " + std::to_string(seqNumber) + " returned " +
                                 std::to_string(list.notifications.size()) + " notifications");
    ProcessedNotification out;
    out.seqNumber = seqNumber;
    out.notificationAddress = notificationAddressOf(list.notifications.front(), &out.events);
    Es9Client(http, out.notificationAddress).handleNotification({list.notifications.front()});
    if (remove) {
        const std::int64_t r = es10c.removeNotification(seqNumber);
        if (r != es10::result::kOk)
            throw std::runtime_error("NotificationSent " + std::to_string(seqNumber) + ": result " + std::to_string(r));
        out.removed = true;
    }
    return out;
}

}  // namespace vpcsc::lpa
