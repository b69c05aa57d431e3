// The ES10 functions the LPA calls (SGP.22 §5.7), each one STORE DATA exchange over an
// Es10Channel, requests and responses through the shared codecs of vicc/euicc/es10.hpp. Requests
// are built as lpac builds them (research notes §2.3/§2.4). Decoders throw es10::Es10Error on a
// malformed answer; transport failures throw TransportError / Es10TransportError.
#pragma once

#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "lpa/es10_channel.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/es10c.hpp"

namespace vpcsc::lpa {

class Es10Client {
public:
    explicit Es10Client(Es10Channel& channel) : m_ch(channel) {}

    // ES10c GetEID (BF3E {5C 01 5A}) → the 16-byte EID.
    Bytes getEid();
    // ES10b GetEUICCInfo1 (BF20), ES10c GetEUICCInfo2 (BF22): decoded, and raw (ES9+ sends BF20 raw).
    Bytes getEuiccInfo1Raw();
    euicc::es10::EuiccInfo2 getEuiccInfo2();
    // ES10b GetEUICCChallenge (BF2E) → 16 bytes.
    Bytes getEuiccChallenge();
    // ES10b AuthenticateServer / PrepareDownload: the response TLV exactly as the card sent it
    // (BF38 / BF21; the LPA forwards it to the SM-DP+ unchanged).
    Bytes authenticateServer(const euicc::es10::AuthenticateServerRequest& request);
    Bytes prepareDownload(const euicc::es10::PrepareDownloadRequest& request);
    // ES10b LoadBoundProfilePackage in lpac's segments (es10::segmentBoundProfilePackage): every
    // segment before the last answers nothing; the ProfileInstallationResult (BF37) ends it,
    // after the last segment or at the first one the eUICC refuses. Returns that BF37.
    Bytes loadBoundProfilePackage(ByteView bpp);
    // ES10b CancelSession (BF41 {80 transactionId, 81 reason}) → the BF41 response as sent.
    Bytes cancelSession(ByteView transactionId, int reason);

    // ES10a GetEuiccConfiguredAddresses (BF3C).
    euicc::es10::EuiccConfiguredAddresses getConfiguredAddresses();
    // ES10a SetDefaultDpAddress (BF3F {80 address}; empty removes it): the result code.
    std::int64_t setDefaultDpAddress(const std::string& address);
    // ES10c GetProfilesInfo (BF2D 00 as lpac sends it: no search criteria, no tag list).
    euicc::es10::ProfileInfoListResponse getProfilesInfo(const euicc::es10::ProfileInfoListRequest& request = {});
    // ES10c Enable / Disable / Delete / SetNickname: the result code (0 ok, es10::result::*).
    std::int64_t enableProfile(const euicc::es10::ProfileIdentifier& id, bool refresh);
    std::int64_t disableProfile(const euicc::es10::ProfileIdentifier& id, bool refresh);
    std::int64_t deleteProfile(const euicc::es10::ProfileIdentifier& id);
    std::int64_t setNickname(ByteView iccid, const std::string& nickname);
    // ES10b ListNotification (BF28 00), RetrieveNotificationsList for one sequence number
    // (BF2B {A0 {80 seq}}), NotificationSent (BF30 {80 seq}: its result code).
    euicc::es10::ListNotificationResponse listNotification();
    euicc::es10::RetrieveNotificationsListResponse retrieveNotification(std::uint32_t seqNumber);
    std::int64_t removeNotification(std::uint32_t seqNumber);

    // Any ES10 command: the raw response TLV.
    Bytes call(ByteView command) { return m_ch.transmit(command); }

private:
    Es10Channel& m_ch;
};

// CancelSessionReason (SGP.22 §5.7.14).
enum CancelSessionReason {
    kCancelEndUserRejection = 0,
    kCancelPostponed = 1,
    kCancelTimeout = 2,
    kCancelPprNotAllowed = 3,
    kCancelMetadataMismatch = 4,
    kCancelLoadBppExecutionError = 5,
    kCancelUndefinedReason = 127,
};

}  // namespace vpcsc::lpa
