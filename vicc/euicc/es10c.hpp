// ES10c profile management, ES10a addresses and ES10b notification data (SGP.22 v2.5 §5.7.3-4,
// §5.7.9-11, §5.7.15-22, ASN.1 module RSPDefinitions, AUTOMATIC TAGS) as value types: encode()
// gives minimal DER, decode() checks every tag and length and throws es10::Es10Error naming the
// field. Both sides use them: the eUICC card decodes requests and encodes responses, the LPA the
// reverse. Unknown trailing fields (extension additions) are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::euicc::es10 {

constexpr Tag kTagListNotification = 0xBF28;           // ES10b §5.7.9
constexpr Tag kTagSetNickname = 0xBF29;                // ES10c §5.7.21
constexpr Tag kTagRetrieveNotificationsList = 0xBF2B;  // ES10b §5.7.10
constexpr Tag kTagGetProfilesInfo = 0xBF2D;            // ES10c §5.7.15
constexpr Tag kTagNotificationSent = 0xBF30;           // ES10b §5.7.11 (RemoveNotificationFromList)
constexpr Tag kTagEnableProfile = 0xBF31;              // ES10c §5.7.16
constexpr Tag kTagDisableProfile = 0xBF32;             // ES10c §5.7.17
constexpr Tag kTagDeleteProfile = 0xBF33;              // ES10c §5.7.18
constexpr Tag kTagEuiccMemoryReset = 0xBF34;           // ES10c §5.7.19
constexpr Tag kTagGetEuiccConfiguredAddresses = 0xBF3C;  // ES10a §5.7.3
constexpr Tag kTagSetDefaultDpAddress = 0xBF3F;        // ES10a §5.7.4
constexpr Tag kTagGetRat = 0xBF43;                     // ES10b §5.7.22 (GetRAT)
constexpr Tag kTagProfileInfo = 0xE3;                  // [PRIVATE 3]
constexpr Tag kTagProfileState = 0x9F70;               // [112]

// Result codes of the ES10c/ES10b responses (SGP.22 §5.7.16-21, §5.7.11).
namespace result {
constexpr std::int64_t kOk = 0;
constexpr std::int64_t kIccidOrAidNotFound = 1;        // enable, disable, delete; SetNickname iccidNotFound
constexpr std::int64_t kProfileNotInDisabledState = 2; // enable, delete
constexpr std::int64_t kProfileNotInEnabledState = 2;  // disable
constexpr std::int64_t kDisallowedByPolicy = 3;
constexpr std::int64_t kWrongProfileReenabling = 4;    // enable
constexpr std::int64_t kCatBusy = 5;
constexpr std::int64_t kNothingToDelete = 1;           // NotificationSent, EuiccMemoryReset
constexpr std::int64_t kIncorrectInputValues = 1;      // ProfileInfoListError
constexpr std::int64_t kNoResultAvailable = 1;         // RetrieveNotificationsList
constexpr std::int64_t kUndefinedError = 127;
}  // namespace result

// NotificationEvent ::= BIT STRING { notificationInstall(0), notificationEnable(1),
// notificationDisable(2), notificationDelete(3) }, as the first content byte (bit 0 = 0x80).
constexpr std::uint8_t kEventInstall = 0x80;
constexpr std::uint8_t kEventEnable = 0x40;
constexpr std::uint8_t kEventDisable = 0x20;
constexpr std::uint8_t kEventDelete = 0x10;
// BIT STRING content, DER (trailing zero bits dropped): 0x80 -> 07 80, 0x40 -> 06 40, 0 -> 00.
Bytes encodeEventBits(std::uint8_t bits);
std::uint8_t decodeEventBits(ByteView content);  // throws Es10Error on a malformed BIT STRING

// An ES10 response that is only `tag { 80 INTEGER result }` (EnableProfile, DisableProfile,
// DeleteProfile, SetNickname, NotificationSent, SetDefaultDpAddress, EuiccMemoryReset).
Bytes encodeResult(Tag tag, std::int64_t result);
std::int64_t decodeResult(ByteView in, Tag tag);

// A request with no fields (GetEuiccConfiguredAddresses, GetRAT, ...): `tag 00`.
Bytes encodeEmptyRequest(Tag tag);
void decodeEmptyRequest(ByteView in, Tag tag);  // checks the tag; extension fields ignored

// A profile named by ICCID (5A, 10 bytes BCD as in EF.ICCID) or ISD-P AID (4F, 5..16 bytes).
struct ProfileIdentifier {
    enum class Kind { Iccid, IsdpAid };
    Kind kind = Kind::Iccid;
    Bytes value;
    static ProfileIdentifier iccid(Bytes v) { return {Kind::Iccid, std::move(v)}; }
    static ProfileIdentifier isdpAid(Bytes v) { return {Kind::IsdpAid, std::move(v)}; }
    Bytes encode() const;                          // 5A .. | 4F ..
    static ProfileIdentifier decode(ByteView in);  // exactly one 5A or 4F TLV
    bool operator==(const ProfileIdentifier&) const = default;
};

// ---- GetProfilesInfo (BF2D) -------------------------------------------------------------------

// ProfileInfoListRequest ::= [45] SEQUENCE { searchCriteria [0] CHOICE { isdpAid 4F, iccid 5A,
//   profileClass [21] 95 } OPTIONAL, tagList 5C OPTIONAL }.
struct ProfileInfoListRequest {
    std::optional<ProfileIdentifier> searchProfile;  // A0 { 5A | 4F }
    std::optional<std::uint8_t> searchProfileClass;  // A0 { 95 } (0 test, 1 provisioning, 2 operational)
    std::optional<Bytes> tagList;                    // 5C: concatenated tags (e.g. 5A 9F70 92)
    Bytes encode() const;
    static ProfileInfoListRequest decode(ByteView in);
};

// ProfileInfo ::= [PRIVATE 3] SEQUENCE (E3), every field optional.
struct ProfileInfo {
    std::optional<Bytes> iccid;                  // 5A (10)
    std::optional<Bytes> isdpAid;                // 4F (5..16)
    std::optional<std::uint8_t> profileState;    // 9F70: 0 disabled, 1 enabled
    std::optional<std::string> profileNickname;  // 90 (0..64)
    std::optional<std::string> serviceProviderName;  // 91 (0..32)
    std::optional<std::string> profileName;      // 92 (0..64)
    std::optional<std::uint8_t> iconType;        // 93: 0 jpg, 1 png
    std::optional<Bytes> icon;                   // 94 (0..1024)
    std::optional<std::uint8_t> profileClass;    // 95 (DEFAULT operational when absent)
    std::optional<Bytes> notificationConfigurationInfo;  // B6 content, raw
    std::optional<Bytes> profileOwner;           // B7 content, raw
    std::optional<Bytes> dpProprietaryData;      // B8 content, raw
    std::optional<Bytes> profilePolicyRules;     // 99 BIT STRING content
    // E3 with the fields present; with a tagList only the fields whose tag it names (§5.7.15).
    Bytes encode(const std::optional<Bytes>& tagList = std::nullopt) const;
    // Fields in any order (real eUICCs differ), each at most once; unknown tags ignored.
    static ProfileInfo decode(ByteView in);
};

// ProfileInfoListResponse ::= [45] CHOICE { profileInfoListOk [0] SEQUENCE OF ProfileInfo (A0),
//   profileInfoListError [1] INTEGER (81) }.
struct ProfileInfoListResponse {
    std::vector<ProfileInfo> profiles;
    std::optional<std::int64_t> error;  // set: the 81 error form
    Bytes encode(const std::optional<Bytes>& tagList = std::nullopt) const;
    static ProfileInfoListResponse decode(ByteView in);
};

// ---- EnableProfile (BF31), DisableProfile (BF32), DeleteProfile (BF33), SetNickname (BF29) ------

// [49]/[50] SEQUENCE { profileIdentifier [0] CHOICE { 4F | 5A } (A0), refreshFlag [1] BOOLEAN (81) }.
struct EnableProfileRequest {
    ProfileIdentifier profile;
    bool refreshFlag = false;
    Bytes encode() const;
    static EnableProfileRequest decode(ByteView in);
};
struct DisableProfileRequest {
    ProfileIdentifier profile;
    bool refreshFlag = false;
    Bytes encode() const;
    static DisableProfileRequest decode(ByteView in);
};
// DeleteProfileRequest ::= [51] CHOICE { 4F | 5A } (no A0 wrapper).
struct DeleteProfileRequest {
    ProfileIdentifier profile;
    Bytes encode() const;
    static DeleteProfileRequest decode(ByteView in);
};
// SetNicknameRequest ::= [41] SEQUENCE { iccid 5A, profileNickname [16] UTF8String (0..64) (90) }.
struct SetNicknameRequest {
    Bytes iccid;
    std::string nickname;
    Bytes encode() const;
    static SetNicknameRequest decode(ByteView in);
};

// ---- Notifications (BF28, BF2B, BF30) ---------------------------------------------------------

// NotificationMetadata ::= [47] SEQUENCE (BF2F) { seqNumber [0] INTEGER (80),
//   profileManagementOperation [1] NotificationEvent (81), notificationAddress UTF8String (0C),
//   iccid 5A OPTIONAL }, with the event decoded to kEvent* bits. (download/results.hpp's
//   es10::NotificationMetadata is the same BF2F as the install result carries it.)
struct NotificationInfo {
    std::uint32_t seqNumber = 0;
    std::uint8_t events = 0;  // kEvent* bits
    std::string notificationAddress;
    std::optional<Bytes> iccid;
    Bytes encode() const;
    static NotificationInfo decode(ByteView in);
};

// ListNotificationRequest ::= [40] SEQUENCE { profileManagementOperation [1] NotificationEvent OPTIONAL }.
struct ListNotificationRequest {
    std::optional<std::uint8_t> events;
    Bytes encode() const;
    static ListNotificationRequest decode(ByteView in);
};
// ListNotificationResponse ::= [40] CHOICE { notificationMetadataList [0] (A0) SEQUENCE OF
//   NotificationInfo, listNotificationsResultError [1] INTEGER (81) }.
struct ListNotificationResponse {
    std::vector<NotificationInfo> notifications;
    std::optional<std::int64_t> error;
    Bytes encode() const;
    static ListNotificationResponse decode(ByteView in);
};

// RetrieveNotificationsListRequest ::= [43] SEQUENCE { searchCriteria [0] CHOICE { seqNumber [0]
//   INTEGER, profileManagementOperation [1] NotificationEvent } OPTIONAL } — BF2B { A0 { 80 | 81 } }.
struct RetrieveNotificationsListRequest {
    std::optional<std::uint32_t> seqNumber;
    std::optional<std::uint8_t> events;  // at most one of the two is set
    Bytes encode() const;
    static RetrieveNotificationsListRequest decode(ByteView in);
};
// RetrieveNotificationsListResponse ::= [43] CHOICE { notificationList [0] SEQUENCE OF
//   PendingNotification (A0), notificationsListResultError [1] INTEGER (81) }; PendingNotification
//   is BF37 ProfileInstallationResult or 30 OtherSignedNotification, kept raw (they are signed).
struct RetrieveNotificationsListResponse {
    std::vector<Bytes> notifications;
    std::optional<std::int64_t> error;
    Bytes encode() const;
    static RetrieveNotificationsListResponse decode(ByteView in);
};

// OtherSignedNotification ::= SEQUENCE { tbsOtherNotification NotificationMetadata (BF2F),
//   euiccNotificationSignature 5F37 (over the BF2F TLV), euiccCertificate 30, eumCertificate 30 }.
struct OtherSignedNotification {
    Bytes tbsRaw;  // BF2F .. exactly as signed / received
    NotificationInfo tbs;
    Bytes signature;  // 64 bytes r || s
    Bytes euiccCertificate, eumCertificate;  // DER
    Bytes encode() const;
    static OtherSignedNotification decode(ByteView in);
};

// NotificationSentRequest ::= [48] SEQUENCE { seqNumber [0] INTEGER }; response BF30 { 80 result }.
struct NotificationSentRequest {
    std::uint32_t seqNumber = 0;
    Bytes encode() const;
    static NotificationSentRequest decode(ByteView in);
};

// ---- ES10a addresses (BF3C, BF3F), EuiccMemoryReset (BF34), GetRAT (BF43) -----------------------

// EuiccConfiguredAddressesResponse ::= [60] SEQUENCE { defaultDpAddress UTF8String OPTIONAL (80),
//   rootDsAddress UTF8String (81) }.
struct EuiccConfiguredAddresses {
    std::optional<std::string> defaultDpAddress;
    std::string rootDsAddress;
    Bytes encode() const;
    static EuiccConfiguredAddresses decode(ByteView in);
};
// SetDefaultDpAddressRequest ::= [63] SEQUENCE { defaultDpAddress UTF8String (80) } (empty: none).
struct SetDefaultDpAddressRequest {
    std::string defaultDpAddress;
    Bytes encode() const;
    static SetDefaultDpAddressRequest decode(ByteView in);
};
// EuiccMemoryResetRequest ::= [52] SEQUENCE { resetOptions [2] BIT STRING { deleteOperationalProfiles(0),
//   deleteFieldLoadedTestProfiles(1), resetDefaultSmdpAddress(2) } (82) }.
constexpr std::uint8_t kResetDeleteOperationalProfiles = 0x80;
constexpr std::uint8_t kResetDeleteFieldLoadedTestProfiles = 0x40;
constexpr std::uint8_t kResetDefaultSmdpAddress = 0x20;
struct EuiccMemoryResetRequest {
    std::uint8_t resetOptions = 0;
    Bytes encode() const;
    static EuiccMemoryResetRequest decode(ByteView in);
};
// GetRatResponse ::= [67] SEQUENCE { rat [0] RulesAuthorisationTable (A0) }: the
// ProfilePolicyAuthorisationRule SEQUENCEs (30 ..) kept raw.
struct GetRatResponse {
    std::vector<Bytes> rules;
    Bytes encode() const;
    static GetRatResponse decode(ByteView in);
};

}  // namespace vpcsc::euicc::es10
