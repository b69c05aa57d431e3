// The SGP.22 v2.5 §6.5.1.4 / §5.6 status codes vicc-smdpp answers with (subjectCode / reasonCode),
// and the exception that carries one from any depth of a function to the HTTP glue.
#pragma once

#include <stdexcept>
#include <string>

#include "smdpp/es9p.hpp"

namespace vpcsc::smdpp {

struct StatusCode {
    const char* subject;
    const char* reason;
};

namespace status {
// Generic (§6.5.1.4): a request body that is not what §6.5.2 describes.
inline constexpr StatusCode kInvalidRequest{"1.1", "2.1"};          // Function requester: invalid
inline constexpr StatusCode kMandatoryElementMissing{"1.1", "2.2"}; // Function requester: missing
inline constexpr StatusCode kInsufficientMemory{"1.2", "4.8"};      // Function provider: too many sessions
// initiateAuthentication (§5.6.1)
inline constexpr StatusCode kInvalidSmdpAddress{"8.8.1", "3.8"};
inline constexpr StatusCode kNoSupportedCiPkId{"8.8.2", "3.1"};
inline constexpr StatusCode kUnsupportedSvn{"8.8.3", "3.1"};
inline constexpr StatusCode kNoDpAuthCertificate{"8.8.4", "3.7"};
// authenticateClient (§5.6.3)
inline constexpr StatusCode kEumCertificateInvalid{"8.1.2", "6.1"};
inline constexpr StatusCode kEumCertificateExpired{"8.1.2", "6.3"};
inline constexpr StatusCode kEuiccCertificateInvalid{"8.1.3", "6.1"};
inline constexpr StatusCode kEuiccCertificateExpired{"8.1.3", "6.3"};
inline constexpr StatusCode kEuiccSignatureInvalid{"8.1", "6.1"};  // also a wrong serverChallenge
inline constexpr StatusCode kUnknownCiPublicKey{"8.11.1", "3.9"};
inline constexpr StatusCode kMatchingIdRefused{"8.2.6", "3.8"};
inline constexpr StatusCode kNoEligibleProfile{"8.2.5", "4.3"};
// getBoundProfilePackage (§5.6.2)
inline constexpr StatusCode kConfirmationCodeMissing{"8.2.7", "2.2"};
inline constexpr StatusCode kConfirmationCodeRefused{"8.2.7", "3.8"};
inline constexpr StatusCode kBppUnavailable{"8.2", "3.7"};
// every function with a transactionId
inline constexpr StatusCode kUnknownTransactionId{"8.10.1", "3.9"};
// cancelSession (§5.6.5)
inline constexpr StatusCode kInvalidSmdpOid{"8.8", "3.10"};
}  // namespace status

// Thrown by a function's logic; becomes header.functionExecutionStatus "Failed" (HTTP 200).
struct FunctionFailed : std::runtime_error {
    FunctionFailed(StatusCode c, const std::string& message) : std::runtime_error(message), code(c) {}
    StatusCode code;
    es9p::FunctionExecutionStatus toStatus() const {
        return es9p::FunctionExecutionStatus{es9p::StatusCodeData{code.subject, code.reason, std::nullopt, what()}};
    }
};

}  // namespace vpcsc::smdpp
