// The Activation Code an operator hands out, often as a QR code (SGP.22 v2.5 §4.1):
//   [LPA:]1$<SM-DP+ address>$<AC_Token>[$<SM-DP+ OID>[$<Confirmation Code Required Flag>]]
// AC_Token is the matchingId (may be empty); the flag is "1" when a confirmation code is required.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vpcsc::lpa {

struct ActivationCode {
    std::string smdpAddress;              // host[:port], as -s takes it
    std::string matchingId;               // AC_Token, possibly empty
    std::optional<std::string> smdpOid;   // dotted OID CERT.DPauth must carry in subjectAltName
    bool confirmationCodeRequired = false;
};

// Throws std::invalid_argument naming what is wrong (format, address, OID, flag).
ActivationCode parseActivationCode(std::string_view code);

}  // namespace vpcsc::lpa
