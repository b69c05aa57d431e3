#include "lpa/es10_client.hpp"

#include "common/tlv.hpp"
#include "vicc/euicc/download/results.hpp"

namespace vpcsc::lpa {

namespace es10 = euicc::es10;

namespace {

// An ES10 request with an empty value: BF20 00, BF22 00, BF2E 00 ...
Bytes empty(tlv::Tag tag) { return tlv::encode(tag, ByteView()); }

// The response must be one TLV with the request's tag.
Bytes expectTag(Bytes response, tlv::Tag tag, const char* what) {
    const tlv::Tlv t = tlv::parseOne(response);
    if (t.tag != tag) throw es10::Es10Error(std::string(what) + ": the eUICC answered another function's tag");
    return response;
}

}  // namespace

Bytes Es10Client::getEid() {
    const Bytes req = tlv::Builder().add(0x5C, {0x5A}).wrap(es10::kTagGetEid);  // tagList = EID only
    return es10::decodeEidResponse(m_ch.transmit(req));
}

Bytes Es10Client::getEuiccInfo1Raw() {
    Bytes r = m_ch.transmit(empty(es10::kTagGetEuiccInfo1));
    es10::EuiccInfo1::decode(r);  // well-formed, or Es10Error
    return r;
}

es10::EuiccInfo2 Es10Client::getEuiccInfo2() { return es10::EuiccInfo2::decode(m_ch.transmit(empty(es10::kTagGetEuiccInfo2))); }

Bytes Es10Client::getEuiccChallenge() {
    return es10::decodeEuiccChallengeResponse(m_ch.transmit(empty(es10::kTagGetEuiccChallenge)));
}

Bytes Es10Client::authenticateServer(const es10::AuthenticateServerRequest& request) {
    return expectTag(m_ch.transmit(request.encode()), es10::kTagAuthenticateServer, "AuthenticateServer");
}

Bytes Es10Client::prepareDownload(const es10::PrepareDownloadRequest& request) {
    return expectTag(m_ch.transmit(request.encode()), es10::kTagPrepareDownload, "PrepareDownload");
}

Bytes Es10Client::loadBoundProfilePackage(ByteView bpp) {
    const std::vector<Bytes> segments = es10::segmentBoundProfilePackage(bpp);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        Bytes r = m_ch.transmit(segments[i]);
        if (r.empty()) {
            if (i + 1 == segments.size())
                throw es10::Es10Error("LoadBoundProfilePackage: no ProfileInstallationResult after the last segment");
            continue;
        }
        return expectTag(std::move(r), es10::kTagProfileInstallationResult, "LoadBoundProfilePackage");
    }
    throw es10::Es10Error("LoadBoundProfilePackage: no segments");
}

es10::EuiccConfiguredAddresses Es10Client::getConfiguredAddresses() {
    return es10::EuiccConfiguredAddresses::decode(m_ch.transmit(es10::encodeEmptyRequest(es10::kTagGetEuiccConfiguredAddresses)));
}

es10::ProfileInfoListResponse Es10Client::getProfilesInfo(const es10::ProfileInfoListRequest& request) {
    return es10::ProfileInfoListResponse::decode(m_ch.transmit(request.encode()));
}

std::int64_t Es10Client::enableProfile(const es10::ProfileIdentifier& id, bool refresh) {
    return es10::decodeResult(m_ch.transmit(es10::EnableProfileRequest{id, refresh}.encode()), es10::kTagEnableProfile);
}

std::int64_t Es10Client::disableProfile(const es10::ProfileIdentifier& id, bool refresh) {
    return es10::decodeResult(m_ch.transmit(es10::DisableProfileRequest{id, refresh}.encode()), es10::kTagDisableProfile);
}

std::int64_t Es10Client::deleteProfile(const es10::ProfileIdentifier& id) {
    return es10::decodeResult(m_ch.transmit(es10::DeleteProfileRequest{id}.encode()), es10::kTagDeleteProfile);
}

std::int64_t Es10Client::setNickname(ByteView iccid, const std::string& nickname) {
    const es10::SetNicknameRequest req{Bytes(iccid.begin(), iccid.end()), nickname};
    return es10::decodeResult(m_ch.transmit(req.encode()), es10::kTagSetNickname);
}

std::int64_t Es10Client::setDefaultDpAddress(const std::string& address) {
    es10::SetDefaultDpAddressRequest req;
    req.defaultDpAddress = address;
    return es10::decodeResult(m_ch.transmit(req.encode()), es10::kTagSetDefaultDpAddress);
}

es10::ListNotificationResponse Es10Client::listNotification() {
    return es10::ListNotificationResponse::decode(m_ch.transmit(es10::ListNotificationRequest{}.encode()));
}

es10::RetrieveNotificationsListResponse Es10Client::retrieveNotification(std::uint32_t seqNumber) {
    es10::RetrieveNotificationsListRequest req;
    req.seqNumber = seqNumber;
    return es10::RetrieveNotificationsListResponse::decode(m_ch.transmit(req.encode()));
}

std::int64_t Es10Client::removeNotification(std::uint32_t seqNumber) {
    return es10::decodeResult(m_ch.transmit(es10::NotificationSentRequest{seqNumber}.encode()), es10::kTagNotificationSent);
}

Bytes Es10Client::cancelSession(ByteView transactionId, int reason) {
    const es10::CancelSessionRequest req{Bytes(transactionId.begin(), transactionId.end()), reason};
    return expectTag(m_ch.transmit(req.encode()), es10::kTagCancelSession, "CancelSession");
}

}  // namespace vpcsc::lpa
