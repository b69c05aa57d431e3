// The eUICC's ES10c profile management (SGP.22 §5.7.15-21), ES10a addresses (§5.7.3-4) and the
// ES10b notification functions (§5.7.9-11) over the ProfileStore. Results are SGP.22's codes inside
// the response TLV (answered 90 00); a request that does not decode is 6A80.
#include <algorithm>

#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/rat.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc {
namespace {

namespace result = es10::result;

bool sameBytes(ByteView a, ByteView b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// ppr is kPpr1 or kPpr2 (vicc/euicc/rat.hpp).
bool hasPpr(const InstalledProfile& p, std::uint8_t ppr) { return pprBits(p.metadata.profilePolicyRules) & ppr; }

// ProfileClass ::= INTEGER { test(0), provisioning(1), operational(2) }, DEFAULT operational.
std::uint8_t profileClass(const InstalledProfile& p) { return p.metadata.profileClass.value_or(2); }

es10::ProfileInfo infoOf(const InstalledProfile& p) {
    es10::ProfileInfo i;
    i.iccid = p.metadata.iccid;
    i.isdpAid = p.isdpAid;
    i.profileState = p.enabled ? 1 : 0;
    i.profileNickname = p.nickname;
    i.serviceProviderName = p.metadata.serviceProviderName;
    i.profileName = p.metadata.profileName;
    i.iconType = p.metadata.iconType;
    i.icon = p.metadata.icon;
    i.profileClass = p.metadata.profileClass;
    i.notificationConfigurationInfo = p.metadata.notificationConfigurationInfo;
    i.profileOwner = p.metadata.profileOwner;
    i.profilePolicyRules = p.metadata.profilePolicyRules;
    return i;
}

}  // namespace

InstalledProfile* EuiccCard::find(const es10::ProfileIdentifier& id) {
    return id.kind == es10::ProfileIdentifier::Kind::Iccid ? m_store.findByIccid(id.value) : m_store.findByAid(id.value);
}

void EuiccCard::notify(const InstalledProfile& p, NotificationEvent event) {
    if (!p.metadata.notificationConfigurationInfo) return;
    const auto bits = static_cast<std::uint8_t>(event);
    std::optional<std::string> address;
    // SEQUENCE OF NotificationConfigurationInformation { 80 profileManagementOperation, 81 notificationAddress }
    try {
        for (const tlv::Tlv& nci : tlv::parseAll(*p.metadata.notificationConfigurationInfo)) {
            if (nci.tag != 0x30) continue;
            const auto op = nci.find(0x80);
            const auto addr = nci.find(0x81);
            if (op && addr && (es10::decodeEventBits(op->value) & bits)) {
                address = std::string(addr->value.begin(), addr->value.end());
                break;
            }
        }
    } catch (const ParseError&) {
        return;  // StoreMetadata was checked at install; a malformed list asks for nothing
    }
    if (!address) return;
    Notification n;
    n.seqNumber = m_store.nextSequenceNumber();
    n.event = event;
    n.address = *address;
    n.iccid = p.metadata.iccid;
    // OtherSignedNotification: euiccNotificationSignature over the BF2F TLV (SGP.22 §5.7.10).
    es10::OtherSignedNotification s;
    s.tbs = es10::NotificationInfo{n.seqNumber, bits, n.address, n.iccid};
    s.tbsRaw = s.tbs.encode();
    s.signature = rspSign(m_id.key.get(), s.tbsRaw);
    s.euiccCertificate = m_id.euiccCertificate;
    s.eumCertificate = m_id.eumCertificate;
    n.pending = s.encode();
    m_store.addNotification(std::move(n));
}

Bytes EuiccCard::getProfilesInfo(ByteView command) {
    const auto req = es10::ProfileInfoListRequest::decode(command);
    es10::ProfileInfoListResponse r;
    for (const InstalledProfile& p : m_store.profiles()) {
        if (req.searchProfile) {
            const bool byIccid = req.searchProfile->kind == es10::ProfileIdentifier::Kind::Iccid;
            if (!sameBytes(byIccid ? p.metadata.iccid : p.isdpAid, req.searchProfile->value)) continue;
        }
        if (req.searchProfileClass && profileClass(p) != *req.searchProfileClass) continue;
        r.profiles.push_back(infoOf(p));
    }
    return r.encode(req.tagList);
}

// §5.7.16: the target must be disabled; the enabled one (if any) is disabled first, unless its
// ppr1 forbids that. With refreshFlag TRUE while a proactive session (a REFRESH not yet fetched
// or answered) is open: catBusy (5), nothing changes. The switch is visible on the basic channel after the next reset (§3.2.1).
Bytes EuiccCard::enableProfile(ByteView command) {
    const auto req = es10::EnableProfileRequest::decode(command);
    InstalledProfile* target = find(req.profile);
    if (!target) return es10::encodeResult(es10::kTagEnableProfile, result::kIccidOrAidNotFound);
    if (target->enabled) return es10::encodeResult(es10::kTagEnableProfile, result::kProfileNotInDisabledState);
    if (req.refreshFlag && proactiveSessionOngoing()) return es10::encodeResult(es10::kTagEnableProfile, result::kCatBusy);
    InstalledProfile* current = m_store.enabled();
    // TPRO8 (SGP.21): enabling a Test Profile overrides ppr1 of the enabled one.
    if (current && hasPpr(*current, kPpr1) && profileClass(*target) != 0)
        return es10::encodeResult(es10::kTagEnableProfile, result::kDisallowedByPolicy);
    if (current) {
        current->enabled = false;
        notify(*current, NotificationEvent::Disable);
    }
    target->enabled = true;
    notify(*target, NotificationEvent::Enable);
    markDirty();
    if (req.refreshFlag) requestRefresh();
    return es10::encodeResult(es10::kTagEnableProfile, result::kOk);
}

Bytes EuiccCard::disableProfile(ByteView command) {
    const auto req = es10::DisableProfileRequest::decode(command);
    InstalledProfile* target = find(req.profile);
    if (!target) return es10::encodeResult(es10::kTagDisableProfile, result::kIccidOrAidNotFound);
    if (!target->enabled) return es10::encodeResult(es10::kTagDisableProfile, result::kProfileNotInEnabledState);
    if (hasPpr(*target, kPpr1)) return es10::encodeResult(es10::kTagDisableProfile, result::kDisallowedByPolicy);
    if (req.refreshFlag && proactiveSessionOngoing()) return es10::encodeResult(es10::kTagDisableProfile, result::kCatBusy);
    target->enabled = false;
    notify(*target, NotificationEvent::Disable);
    markDirty();
    if (req.refreshFlag) requestRefresh();
    return es10::encodeResult(es10::kTagDisableProfile, result::kOk);
}

// §5.7.18: only a disabled profile; ppr2 forbids it. Its pending notifications stay (they still
// have to reach the SM-DP+).
Bytes EuiccCard::deleteProfile(ByteView command) {
    const auto req = es10::DeleteProfileRequest::decode(command);
    InstalledProfile* target = find(req.profile);
    if (!target) return es10::encodeResult(es10::kTagDeleteProfile, result::kIccidOrAidNotFound);
    if (target->enabled) return es10::encodeResult(es10::kTagDeleteProfile, result::kProfileNotInDisabledState);
    if (hasPpr(*target, kPpr2)) return es10::encodeResult(es10::kTagDeleteProfile, result::kDisallowedByPolicy);
    notify(*target, NotificationEvent::Delete);
    const Bytes aid = target->isdpAid;
    m_store.remove(aid);
    markDirty();
    return es10::encodeResult(es10::kTagDeleteProfile, result::kOk);
}

Bytes EuiccCard::setNickname(ByteView command) {
    const auto req = es10::SetNicknameRequest::decode(command);
    InstalledProfile* p = m_store.findByIccid(req.iccid);
    if (!p) return es10::encodeResult(es10::kTagSetNickname, result::kIccidOrAidNotFound);
    if (req.nickname.empty()) p->nickname.reset();
    else p->nickname = req.nickname;
    markDirty();
    return es10::encodeResult(es10::kTagSetNickname, result::kOk);
}

// §5.7.19: deletes the chosen profiles whatever their state and/or clears the default SM-DP+
// address; no notification is generated, pending ones stay.
Bytes EuiccCard::euiccMemoryReset(ByteView command) {
    const auto req = es10::EuiccMemoryResetRequest::decode(command);
    bool done = false;
    auto& profiles = m_store.profiles();
    const auto doomed = [&](const InstalledProfile& p) {
        const std::uint8_t cls = profileClass(p);
        return ((req.resetOptions & es10::kResetDeleteOperationalProfiles) && cls == 2) ||
               ((req.resetOptions & es10::kResetDeleteFieldLoadedTestProfiles) && cls == 0);
    };
    const auto before = profiles.size();
    profiles.erase(std::remove_if(profiles.begin(), profiles.end(), doomed), profiles.end());
    done = profiles.size() != before;
    if ((req.resetOptions & es10::kResetDefaultSmdpAddress) && !m_store.defaultDpAddress.empty()) {
        m_store.defaultDpAddress.clear();
        done = true;
    }
    if (!done) return es10::encodeResult(es10::kTagEuiccMemoryReset, result::kNothingToDelete);
    markDirty();
    return es10::encodeResult(es10::kTagEuiccMemoryReset, result::kOk);
}

Bytes EuiccCard::configuredAddresses(ByteView command) {
    es10::decodeEmptyRequest(command, es10::kTagGetEuiccConfiguredAddresses);
    es10::EuiccConfiguredAddresses a;
    if (!m_store.defaultDpAddress.empty()) a.defaultDpAddress = m_store.defaultDpAddress;
    a.rootDsAddress = m_store.rootDsAddress;
    return a.encode();
}

Bytes EuiccCard::setDefaultDpAddress(ByteView command) {
    const auto req = es10::SetDefaultDpAddressRequest::decode(command);
    m_store.defaultDpAddress = req.defaultDpAddress;  // empty: none
    markDirty();
    return es10::encodeResult(es10::kTagSetDefaultDpAddress, result::kOk);
}

Bytes EuiccCard::listNotification(ByteView command) {
    const auto req = es10::ListNotificationRequest::decode(command);
    es10::ListNotificationResponse r;
    for (const Notification& n : m_store.notifications()) {
        const auto bits = static_cast<std::uint8_t>(n.event);
        if (req.events && !(*req.events & bits)) continue;
        es10::NotificationInfo i{n.seqNumber, bits, n.address, std::nullopt};
        if (!n.iccid.empty()) i.iccid = n.iccid;
        r.notifications.push_back(std::move(i));
    }
    return r.encode();
}

// §5.7.10: the signed notifications, all or those matching the criteria; a criterion that
// matches none answers noResultAvailable.
Bytes EuiccCard::retrieveNotificationsList(ByteView command) {
    const auto req = es10::RetrieveNotificationsListRequest::decode(command);
    es10::RetrieveNotificationsListResponse r;
    for (const Notification& n : m_store.notifications()) {
        if (req.seqNumber && n.seqNumber != *req.seqNumber) continue;
        if (req.events && !(*req.events & static_cast<std::uint8_t>(n.event))) continue;
        r.notifications.push_back(n.pending);
    }
    if ((req.seqNumber || req.events) && r.notifications.empty()) r.error = result::kNoResultAvailable;
    return r.encode();
}

Bytes EuiccCard::notificationSent(ByteView command) {
    const auto req = es10::NotificationSentRequest::decode(command);
    auto& list = m_store.notifications();
    const auto it = std::find_if(list.begin(), list.end(), [&](const Notification& n) { return n.seqNumber == req.seqNumber; });
    if (it == list.end()) return es10::encodeResult(es10::kTagNotificationSent, result::kNothingToDelete);
    list.erase(it);
    markDirty();
    return es10::encodeResult(es10::kTagNotificationSent, result::kOk);
}

}  // namespace vpcsc::euicc
