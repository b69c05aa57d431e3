// The LPA's JSON output, shaped as lpac prints its results so that scripts written for one read the
// other: {"type":"lpa","payload":{"code":0,"message":"success","data":...}}, with profile, notification
// and EUICCInfo2 fields named as in SGP.22's ASN.1. Also the ICCID / AID arguments a user types.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/es10c.hpp"

namespace vpcsc::lpa {

nlohmann::ordered_json success(nlohmann::ordered_json data);
nlohmann::ordered_json failure(const std::string& message, nlohmann::ordered_json data);

// ICCID as printed on the card: BCD with swapped nibbles, the F filler dropped ("8949...").
std::string iccidToString(ByteView iccid);
// 18..20 digits (an odd count padded with F) → 10 bytes; throws std::invalid_argument.
Bytes iccidFromString(const std::string& digits);
// IMEI (14-16 digits; TS 23.003 §6.2) as deviceInfo carries it: 8 bytes BCD with swapped nibbles,
// padded with F; throws std::invalid_argument.
Bytes imeiFromString(const std::string& digits);
// What lpac accepts for enable/disable/delete: 32 hex digits = ISD-P AID, else an ICCID.
euicc::es10::ProfileIdentifier profileIdFromString(const std::string& arg);

std::string eventName(std::uint8_t bits);  // "install", "enable", "disable", "delete"
// BppCommandId and ErrorReason of a failed install (SGP.22 §5.7.6) by their ASN.1 names.
const char* bppCommandIdName(std::int64_t id);
const char* errorReasonName(std::int64_t reason);

nlohmann::ordered_json toJson(const euicc::es10::ProfileInfo& p);
nlohmann::ordered_json toJson(const euicc::es10::NotificationInfo& n);
nlohmann::ordered_json toJson(const euicc::es10::EuiccInfo2& info);
nlohmann::ordered_json toJson(const euicc::es10::EuiccConfiguredAddresses& a);

}  // namespace vpcsc::lpa
