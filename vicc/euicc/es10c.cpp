// ES10c / ES10a / ES10b-notification codecs over common/tlv (es10c.hpp).
#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/der_fields.hpp"

#include <set>
#include <stdexcept>

namespace vpcsc::euicc::es10 {
namespace {

using namespace der;

template <class Request>
Request decodeSwitch(ByteView in, Tag tag, const char* what) {
    const Tlv t = one(in, tag, what);
    Fields f(t.value, what);
    const Tlv id = f.need(0xA0, "profileIdentifier");
    Request r;
    r.profile = ProfileIdentifier::decode(id.value);
    r.refreshFlag = boolean(f.need(0x81, "refreshFlag"), std::string(what) + " refreshFlag");
    return r;
}

Bytes encodeSwitch(Tag tag, const ProfileIdentifier& p, bool refresh) {
    return Builder().add(0xA0, p.encode()).addByte(0x81, refresh ? 0xFF : 0x00).wrap(tag);
}

}  // namespace

Bytes encodeEventBits(std::uint8_t bits) { return namedBits(bits); }

std::uint8_t decodeEventBits(ByteView content) {
    if (content.empty() || content[0] > 7 || (content.size() == 1 && content[0] != 0)) bad("NotificationEvent: bad BIT STRING");
    if (content.size() == 1) return 0;
    return static_cast<std::uint8_t>(content[1] & (0xFFu << content[0] & 0xFFu) & 0xF0u);
}

Bytes encodeResult(Tag tag, std::int64_t result) { return Builder().add(0x80, encodeInteger(result)).wrap(tag); }

std::int64_t decodeResult(ByteView in, Tag tag) {
    const Tlv t = one(in, tag, "ES10 result");
    Fields f(t.value, "ES10 result");
    return integer(f.need(0x80, "result"), "ES10 result");
}

Bytes encodeEmptyRequest(Tag tag) { return tlv::encode(tag, ByteView()); }

void decodeEmptyRequest(ByteView in, Tag tag) {
    const Tlv t = one(in, tag, "ES10 request");
    children(t.value, "ES10 request");
}

Bytes ProfileIdentifier::encode() const { return tlv::encode(kind == Kind::Iccid ? 0x5A : 0x4F, value); }

ProfileIdentifier ProfileIdentifier::decode(ByteView in) {
    Tlv t;
    try {
        t = tlv::parseOne(in);
    } catch (const tlv::TlvError& e) {
        bad(std::string("profileIdentifier: ") + e.what());
    }
    if (t.tag == 0x5A) return iccid(sized(t, 10, 10, "profileIdentifier iccid"));
    if (t.tag == 0x4F) return isdpAid(sized(t, 5, 16, "profileIdentifier isdpAid"));
    bad("profileIdentifier: neither 5A iccid nor 4F isdpAid");
}

// ---- GetProfilesInfo ------------------------------------------------------------------------------

Bytes ProfileInfoListRequest::encode() const {
    Builder b;
    if (searchProfile) b.add(0xA0, searchProfile->encode());
    else if (searchProfileClass) b.add(0xA0, tlv::encode(0x95, encodeInteger(*searchProfileClass)));
    if (tagList) b.add(0x5C, *tagList);
    return b.wrap(kTagGetProfilesInfo);
}

ProfileInfoListRequest ProfileInfoListRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagGetProfilesInfo, "ProfileInfoListRequest");
    Fields f(t.value, "ProfileInfoListRequest");
    ProfileInfoListRequest r;
    if (auto sc = f.opt(0xA0)) {
        const auto c = children(sc->value, "searchCriteria");
        if (c.size() != 1) bad("ProfileInfoListRequest: searchCriteria must hold one choice");
        if (c[0].tag == 0x95) r.searchProfileClass = smallUint(c[0], "searchCriteria profileClass");
        else r.searchProfile = ProfileIdentifier::decode(c[0].raw);
    }
    if (auto x = f.opt(0x5C)) {
        // tagList: concatenated well-formed tags
        std::size_t off = 0;
        try {
            while (off < x->value.size()) tlv::readTag(x->value, off);
        } catch (const tlv::TlvError& e) {
            bad(std::string("ProfileInfoListRequest tagList: ") + e.what());
        }
        r.tagList = x->valueBytes();
    }
    return r;
}

Bytes ProfileInfo::encode(const std::optional<Bytes>& tagList) const {
    std::set<Tag> wanted;
    if (tagList) {
        std::size_t off = 0;
        while (off < tagList->size()) wanted.insert(tlv::readTag(*tagList, off));
    }
    auto want = [&](Tag t) { return !tagList || wanted.count(t); };
    Builder b;
    if (iccid && want(0x5A)) b.add(0x5A, *iccid);
    if (isdpAid && want(0x4F)) b.add(0x4F, *isdpAid);
    if (profileState && want(kTagProfileState)) b.add(kTagProfileState, encodeInteger(*profileState));
    if (profileNickname && want(0x90)) b.add(0x90, view(*profileNickname));
    if (serviceProviderName && want(0x91)) b.add(0x91, view(*serviceProviderName));
    if (profileName && want(0x92)) b.add(0x92, view(*profileName));
    if (iconType && want(0x93)) b.add(0x93, encodeInteger(*iconType));
    if (icon && want(0x94)) b.add(0x94, *icon);
    if (profileClass && want(0x95)) b.add(0x95, encodeInteger(*profileClass));
    if (notificationConfigurationInfo && want(0xB6)) b.add(0xB6, *notificationConfigurationInfo);
    if (profileOwner && want(0xB7)) b.add(0xB7, *profileOwner);
    if (dpProprietaryData && want(0xB8)) b.add(0xB8, *dpProprietaryData);
    if (profilePolicyRules && want(0x99)) b.add(0x99, *profilePolicyRules);
    return b.wrap(kTagProfileInfo);
}

ProfileInfo ProfileInfo::decode(ByteView in) {
    const Tlv t = one(in, kTagProfileInfo, "ProfileInfo");
    ProfileInfo r;
    std::set<Tag> seen;
    for (const Tlv& x : children(t.value, "ProfileInfo")) {
        if (!seen.insert(x.tag).second) bad("ProfileInfo: duplicate field");
        switch (x.tag) {
        case 0x5A: r.iccid = sized(x, 10, 10, "ProfileInfo iccid"); break;
        case 0x4F: r.isdpAid = sized(x, 5, 16, "ProfileInfo isdpAid"); break;
        case kTagProfileState: r.profileState = smallUint(x, "ProfileInfo profileState"); break;
        case 0x90: r.profileNickname = text(x, 64, "ProfileInfo profileNickname"); break;
        case 0x91: r.serviceProviderName = text(x, 32, "ProfileInfo serviceProviderName"); break;
        case 0x92: r.profileName = text(x, 64, "ProfileInfo profileName"); break;
        case 0x93: r.iconType = smallUint(x, "ProfileInfo iconType"); break;
        case 0x94: r.icon = sized(x, 0, 1024, "ProfileInfo icon"); break;
        case 0x95: r.profileClass = smallUint(x, "ProfileInfo profileClass"); break;
        case 0xB6: children(x.value, "ProfileInfo notificationConfigurationInfo"); r.notificationConfigurationInfo = x.valueBytes(); break;
        case 0xB7: r.profileOwner = x.valueBytes(); break;
        case 0xB8: r.dpProprietaryData = x.valueBytes(); break;
        case 0x99: r.profilePolicyRules = bitString(x, "ProfileInfo profilePolicyRules"); break;
        default: break;  // extension
        }
    }
    return r;
}

Bytes ProfileInfoListResponse::encode(const std::optional<Bytes>& tagList) const {
    if (error) return Builder().add(0x81, encodeInteger(*error)).wrap(kTagGetProfilesInfo);
    Builder list;
    for (const ProfileInfo& p : profiles) list.addRaw(p.encode(tagList));
    return Builder().add(0xA0, list).wrap(kTagGetProfilesInfo);
}

ProfileInfoListResponse ProfileInfoListResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagGetProfilesInfo, "ProfileInfoListResponse");
    const auto items = children(t.value, "ProfileInfoListResponse");
    if (items.size() != 1) bad("ProfileInfoListResponse: expected one CHOICE");
    ProfileInfoListResponse r;
    if (items[0].tag == 0x81) {
        r.error = integer(items[0], "profileInfoListError");
    } else if (items[0].tag == 0xA0) {
        for (const Tlv& p : children(items[0].value, "profileInfoListOk")) r.profiles.push_back(ProfileInfo::decode(p.raw));
    } else {
        bad("ProfileInfoListResponse: unexpected CHOICE");
    }
    return r;
}

// ---- Enable, Disable, Delete, SetNickname ----------------------------------------------------------

Bytes EnableProfileRequest::encode() const { return encodeSwitch(kTagEnableProfile, profile, refreshFlag); }
EnableProfileRequest EnableProfileRequest::decode(ByteView in) {
    return decodeSwitch<EnableProfileRequest>(in, kTagEnableProfile, "EnableProfileRequest");
}
Bytes DisableProfileRequest::encode() const { return encodeSwitch(kTagDisableProfile, profile, refreshFlag); }
DisableProfileRequest DisableProfileRequest::decode(ByteView in) {
    return decodeSwitch<DisableProfileRequest>(in, kTagDisableProfile, "DisableProfileRequest");
}

Bytes DeleteProfileRequest::encode() const { return tlv::encode(kTagDeleteProfile, profile.encode()); }
DeleteProfileRequest DeleteProfileRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagDeleteProfile, "DeleteProfileRequest");
    return {ProfileIdentifier::decode(t.value)};
}

Bytes SetNicknameRequest::encode() const {
    return Builder().add(0x5A, iccid).add(0x90, view(nickname)).wrap(kTagSetNickname);
}
SetNicknameRequest SetNicknameRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagSetNickname, "SetNicknameRequest");
    Fields f(t.value, "SetNicknameRequest");
    SetNicknameRequest r;
    r.iccid = sized(f.need(0x5A, "iccid"), 10, 10, "SetNicknameRequest iccid");
    r.nickname = text(f.need(0x90, "profileNickname"), 64, "SetNicknameRequest profileNickname");
    return r;
}

// ---- Notifications ---------------------------------------------------------------------------------

Bytes NotificationInfo::encode() const {
    Builder b;
    b.add(0x80, encodeInteger(seqNumber)).add(0x81, encodeEventBits(events)).add(0x0C, view(notificationAddress));
    if (iccid) b.add(0x5A, *iccid);
    return b.wrap(kTagNotificationMetadata);
}

NotificationInfo NotificationInfo::decode(ByteView in) {
    const Tlv t = one(in, kTagNotificationMetadata, "NotificationInfo");
    Fields f(t.value, "NotificationInfo");
    NotificationInfo r;
    r.seqNumber = uint32(f.need(0x80, "seqNumber"), "NotificationMetadata seqNumber");
    r.events = decodeEventBits(f.need(0x81, "profileManagementOperation").value);
    r.notificationAddress = text(f.need(0x0C, "notificationAddress"), 255, "NotificationMetadata notificationAddress");
    if (auto x = f.opt(0x5A)) r.iccid = sized(*x, 10, 10, "NotificationMetadata iccid");
    return r;
}

Bytes ListNotificationRequest::encode() const {
    Builder b;
    if (events) b.add(0x81, encodeEventBits(*events));
    return b.wrap(kTagListNotification);
}
ListNotificationRequest ListNotificationRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagListNotification, "ListNotificationRequest");
    Fields f(t.value, "ListNotificationRequest");
    ListNotificationRequest r;
    if (auto x = f.opt(0x81)) r.events = decodeEventBits(x->value);
    return r;
}

Bytes ListNotificationResponse::encode() const {
    if (error) return Builder().add(0x81, encodeInteger(*error)).wrap(kTagListNotification);
    Builder list;
    for (const NotificationInfo& n : notifications) list.addRaw(n.encode());
    return Builder().add(0xA0, list).wrap(kTagListNotification);
}
ListNotificationResponse ListNotificationResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagListNotification, "ListNotificationResponse");
    const auto items = children(t.value, "ListNotificationResponse");
    if (items.size() != 1) bad("ListNotificationResponse: expected one CHOICE");
    ListNotificationResponse r;
    if (items[0].tag == 0x81) r.error = integer(items[0], "listNotificationsResultError");
    else if (items[0].tag == 0xA0)
        for (const Tlv& n : children(items[0].value, "notificationMetadataList")) r.notifications.push_back(NotificationInfo::decode(n.raw));
    else bad("ListNotificationResponse: unexpected CHOICE");
    return r;
}

Bytes RetrieveNotificationsListRequest::encode() const {
    Builder b;
    if (seqNumber) b.add(0xA0, tlv::encode(0x80, encodeInteger(*seqNumber)));
    else if (events) b.add(0xA0, tlv::encode(0x81, encodeEventBits(*events)));
    return b.wrap(kTagRetrieveNotificationsList);
}
RetrieveNotificationsListRequest RetrieveNotificationsListRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagRetrieveNotificationsList, "RetrieveNotificationsListRequest");
    Fields f(t.value, "RetrieveNotificationsListRequest");
    RetrieveNotificationsListRequest r;
    if (auto sc = f.opt(0xA0)) {
        const auto c = children(sc->value, "searchCriteria");
        if (c.size() != 1) bad("RetrieveNotificationsListRequest: searchCriteria must hold one choice");
        if (c[0].tag == 0x80) r.seqNumber = uint32(c[0], "searchCriteria seqNumber");
        else if (c[0].tag == 0x81) r.events = decodeEventBits(c[0].value);
        else bad("RetrieveNotificationsListRequest: unexpected searchCriteria");
    }
    return r;
}

Bytes RetrieveNotificationsListResponse::encode() const {
    if (error) return Builder().add(0x81, encodeInteger(*error)).wrap(kTagRetrieveNotificationsList);
    Builder list;
    for (const Bytes& n : notifications) list.addRaw(n);
    return Builder().add(0xA0, list).wrap(kTagRetrieveNotificationsList);
}
RetrieveNotificationsListResponse RetrieveNotificationsListResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagRetrieveNotificationsList, "RetrieveNotificationsListResponse");
    const auto items = children(t.value, "RetrieveNotificationsListResponse");
    if (items.size() != 1) bad("RetrieveNotificationsListResponse: expected one CHOICE");
    RetrieveNotificationsListResponse r;
    if (items[0].tag == 0x81) {
        r.error = integer(items[0], "notificationsListResultError");
    } else if (items[0].tag == 0xA0) {
        for (const Tlv& n : children(items[0].value, "notificationList")) {
            if (n.tag != kTagProfileInstallationResult && n.tag != 0x30) bad("PendingNotification: neither BF37 nor 30");
            r.notifications.emplace_back(n.raw.begin(), n.raw.end());
        }
    } else {
        bad("RetrieveNotificationsListResponse: unexpected CHOICE");
    }
    return r;
}

Bytes OtherSignedNotification::encode() const {
    return Builder().addRaw(tbsRaw).add(kTagSignature, signature).addRaw(euiccCertificate).addRaw(eumCertificate).wrap(0x30);
}
OtherSignedNotification OtherSignedNotification::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "OtherSignedNotification");
    Fields f(t.value, "OtherSignedNotification");
    OtherSignedNotification r;
    const Tlv tbs = f.need(kTagNotificationMetadata, "tbsOtherNotification");
    r.tbsRaw.assign(tbs.raw.begin(), tbs.raw.end());
    r.tbs = NotificationInfo::decode(tbs.raw);
    r.signature = sized(f.need(kTagSignature, "euiccNotificationSignature"), 64, 64, "euiccNotificationSignature");
    const Tlv ec = f.need(0x30, "euiccCertificate");
    r.euiccCertificate.assign(ec.raw.begin(), ec.raw.end());
    const Tlv em = f.need(0x30, "eumCertificate");
    r.eumCertificate.assign(em.raw.begin(), em.raw.end());
    return r;
}

Bytes NotificationSentRequest::encode() const {
    return Builder().add(0x80, encodeInteger(seqNumber)).wrap(kTagNotificationSent);
}
NotificationSentRequest NotificationSentRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagNotificationSent, "NotificationSentRequest");
    Fields f(t.value, "NotificationSentRequest");
    return {uint32(f.need(0x80, "seqNumber"), "NotificationSentRequest seqNumber")};
}

// ---- Addresses, memory reset, RAT ------------------------------------------------------------------

Bytes EuiccConfiguredAddresses::encode() const {
    Builder b;
    if (defaultDpAddress) b.add(0x80, view(*defaultDpAddress));
    b.add(0x81, view(rootDsAddress));
    return b.wrap(kTagGetEuiccConfiguredAddresses);
}
EuiccConfiguredAddresses EuiccConfiguredAddresses::decode(ByteView in) {
    const Tlv t = one(in, kTagGetEuiccConfiguredAddresses, "EuiccConfiguredAddressesResponse");
    Fields f(t.value, "EuiccConfiguredAddressesResponse");
    EuiccConfiguredAddresses r;
    if (auto x = f.opt(0x80)) r.defaultDpAddress = text(*x, 255, "defaultDpAddress");
    r.rootDsAddress = text(f.need(0x81, "rootDsAddress"), 255, "rootDsAddress");
    return r;
}

Bytes SetDefaultDpAddressRequest::encode() const {
    return Builder().add(0x80, view(defaultDpAddress)).wrap(kTagSetDefaultDpAddress);
}
SetDefaultDpAddressRequest SetDefaultDpAddressRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagSetDefaultDpAddress, "SetDefaultDpAddressRequest");
    Fields f(t.value, "SetDefaultDpAddressRequest");
    return {text(f.need(0x80, "defaultDpAddress"), 255, "SetDefaultDpAddressRequest defaultDpAddress")};
}

Bytes EuiccMemoryResetRequest::encode() const {
    return Builder().add(0x82, encodeEventBits(resetOptions)).wrap(kTagEuiccMemoryReset);
}
EuiccMemoryResetRequest EuiccMemoryResetRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagEuiccMemoryReset, "EuiccMemoryResetRequest");
    Fields f(t.value, "EuiccMemoryResetRequest");
    const Bytes bits = bitString(f.need(0x82, "resetOptions"), "EuiccMemoryResetRequest resetOptions");
    EuiccMemoryResetRequest r;
    if (bits.size() > 1) r.resetOptions = static_cast<std::uint8_t>(bits[1] & (0xFFu << bits[0] & 0xFFu) & 0xE0u);
    return r;
}

Bytes GetRatResponse::encode() const {
    Builder list;
    for (const Bytes& r : rules) list.addRaw(r);
    return Builder().add(0xA0, list).wrap(kTagGetRat);
}
GetRatResponse GetRatResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagGetRat, "GetRatResponse");
    Fields f(t.value, "GetRatResponse");
    GetRatResponse r;
    for (const Tlv& rule : children(f.need(0xA0, "rat").value, "rat")) {
        if (rule.tag != 0x30) bad("GetRatResponse: rule is not a SEQUENCE");
        r.rules.emplace_back(rule.raw.begin(), rule.raw.end());
    }
    return r;
}

}  // namespace vpcsc::euicc::es10
