#include "lpa/output.hpp"

#include <cctype>
#include <stdexcept>

namespace vpcsc::lpa {

namespace es10 = euicc::es10;
using json = nlohmann::ordered_json;  // keys in lpac's order

json success(json data) {
    return {{"type", "lpa"}, {"payload", {{"code", 0}, {"message", "success"}, {"data", std::move(data)}}}};
}

json failure(const std::string& message, json data) {
    return {{"type", "lpa"}, {"payload", {{"code", -1}, {"message", message}, {"data", std::move(data)}}}};
}

std::string iccidToString(ByteView iccid) {
    static const char* digits = "0123456789ABCDEF";
    std::string s;
    for (std::uint8_t b : iccid) {
        for (std::uint8_t nib : {static_cast<std::uint8_t>(b & 0x0F), static_cast<std::uint8_t>(b >> 4)}) {
            if (nib == 0x0F) return s;  // filler: the end of the number
            s += digits[nib];
        }
    }
    return s;
}

Bytes iccidFromString(const std::string& digits) {
    if (digits.size() < 18 || digits.size() > 20)
        throw std::invalid_argument("an ICCID has 18 to 20 digits: '" + digits + "'");
    for (unsigned char c : digits)
        if (!std::isdigit(c)) throw std::invalid_argument("an ICCID has only digits: '" + digits + "'");
    std::string padded = digits;
    while (padded.size() < 20) padded += 'F';
    Bytes out;
    for (std::size_t i = 0; i < 20; i += 2) {
        auto nib = [](char c) { return static_cast<std::uint8_t>(c == 'F' ? 0x0F : c - '0'); };
        out.push_back(static_cast<std::uint8_t>(nib(padded[i + 1]) << 4 | nib(padded[i])));
    }
    return out;
}

Bytes imeiFromString(const std::string& digits) {
    if (digits.size() < 14 || digits.size() > 16 || digits.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("an IMEI has 14 to 16 digits: '" + digits + "'");
    std::string padded = digits;
    while (padded.size() < 16) padded += 'F';
    Bytes out;
    for (std::size_t i = 0; i < 16; i += 2) {
        auto nib = [](char c) { return static_cast<std::uint8_t>(c == 'F' ? 0x0F : c - '0'); };
        out.push_back(static_cast<std::uint8_t>(nib(padded[i + 1]) << 4 | nib(padded[i])));
    }
    return out;
}

es10::ProfileIdentifier profileIdFromString(const std::string& arg) {
    if (arg.size() == 32 && arg.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
        return es10::ProfileIdentifier::isdpAid(fromHex(arg));
    return es10::ProfileIdentifier::iccid(iccidFromString(arg));
}

std::string eventName(std::uint8_t bits) {
    std::string s;
    for (auto [bit, name] : {std::pair{es10::kEventInstall, "install"}, std::pair{es10::kEventEnable, "enable"},
                             std::pair{es10::kEventDisable, "disable"}, std::pair{es10::kEventDelete, "delete"}})
        if (bits & bit) s += (s.empty() ? "" : ",") + std::string(name);
    return s.empty() ? "none" : s;
}

const char* bppCommandIdName(std::int64_t id) {
    static const char* names[] = {"initialiseSecureChannel", "configureISDP", "storeMetadata",
                                  "storeMetadata2", "replaceSessionKeys", "loadProfileElements"};
    return id >= 0 && id <= 5 ? names[id] : "unknown";
}

const char* errorReasonName(std::int64_t reason) {
    static const char* names[] = {nullptr,
                                  "incorrectInputValues",
                                  "invalidSignature",
                                  "invalidTransactionId",
                                  "unsupportedCrtValues",
                                  "unsupportedRemoteOperationType",
                                  "unsupportedProfileClass",
                                  "scp03tStructureError",
                                  "scp03tSecurityError",
                                  "installFailedDueToIccidAlreadyExistsOnEuicc",
                                  "installFailedDueToInsufficientMemoryForProfile",
                                  "installFailedDueToInterruption",
                                  "installFailedDueToPEProcessingError",
                                  "installFailedDueToDataMismatch",
                                  "testProfileInstallFailedDueToInvalidNaaKey",
                                  "pprNotAllowed"};
    if (reason >= 1 && reason <= 15) return names[reason];
    return reason == 127 ? "installFailedDueToUnknownError" : "unknown";
}

namespace {

std::string hex(ByteView b) { return toHex(b, 0, true); }
std::string version(ByteView v) {
    std::string s;
    for (std::uint8_t b : v) s += (s.empty() ? "" : ".") + std::to_string(b);
    return s;
}
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json optHex(const std::optional<Bytes>& b) { return b ? json(hex(*b)) : json(nullptr); }
json keyIds(const es10::KeyIdList& l) {
    json a = json::array();
    for (const auto& k : l) a.push_back(hex(k));
    return a;
}

}  // namespace

json toJson(const es10::ProfileInfo& p) {
    static const char* classes[] = {"test", "provisioning", "operational"};
    json j;
    j["iccid"] = p.iccid ? json(iccidToString(*p.iccid)) : json(nullptr);
    j["isdpAid"] = optHex(p.isdpAid);
    j["profileState"] = p.profileState ? json(*p.profileState == 1 ? "enabled" : "disabled") : json(nullptr);
    j["profileNickname"] = opt(p.profileNickname);
    j["serviceProviderName"] = opt(p.serviceProviderName);
    j["profileName"] = opt(p.profileName);
    j["iconType"] = p.iconType ? json(*p.iconType == 0 ? "jpg" : *p.iconType == 1 ? "png" : "unknown") : json(nullptr);
    j["icon"] = optHex(p.icon);
    // profileClass DEFAULT operational (SGP.22 §5.7.15).
    const std::uint8_t cls = p.profileClass.value_or(2);
    j["profileClass"] = cls <= 2 ? classes[cls] : "unknown";
    return j;
}

json toJson(const es10::NotificationInfo& n) {
    return {{"seqNumber", n.seqNumber},
            {"profileManagementOperation", eventName(n.events)},
            {"notificationAddress", n.notificationAddress},
            {"iccid", n.iccid ? json(iccidToString(*n.iccid)) : json(nullptr)}};
}

json toJson(const es10::EuiccInfo2& i) {
    json j;
    j["profileVersion"] = version(i.profileVersion);
    j["svn"] = version(i.svn);
    j["euiccFirmwareVer"] = version(i.euiccFirmwareVer);
    j["extCardResource"] = hex(i.extCardResource);
    j["uiccCapability"] = hex(i.uiccCapability);
    j["ts102241Version"] = i.ts102241Version ? json(version(*i.ts102241Version)) : json(nullptr);
    j["globalplatformVersion"] = i.globalplatformVersion ? json(version(*i.globalplatformVersion)) : json(nullptr);
    j["rspCapability"] = hex(i.rspCapability);
    j["euiccCiPKIdListForVerification"] = keyIds(i.ciPkIdsForVerification);
    j["euiccCiPKIdListForSigning"] = keyIds(i.ciPkIdsForSigning);
    j["euiccCategory"] = i.euiccCategory ? json(*i.euiccCategory) : json(nullptr);
    j["ppVersion"] = version(i.ppVersion);
    j["sasAcreditationNumber"] = i.sasAccreditationNumber;
    return j;
}

json toJson(const es10::EuiccConfiguredAddresses& a) {
    return {{"defaultDpAddress", opt(a.defaultDpAddress)}, {"rootDsAddress", a.rootDsAddress}};
}

}  // namespace vpcsc::lpa
