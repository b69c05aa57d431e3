// The LPA's side of a profile download (SGP.22 §3.1.3), in the order lpac performs it (research
// notes §2.4): GetEUICCChallenge, GetEUICCInfo1, initiateAuthentication, AuthenticateServer with
// ctxParams1 {matchingId, deviceInfo}, authenticateClient, PrepareDownload (with hashCc when a
// confirmation code is given), getBoundProfilePackage, LoadBoundProfilePackage in lpac's segments.
// Any failure after initiateAuthentication cancels the session: ES10b CancelSession (BF41), then
// ES9+ cancelSession with the eUICC's answer.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "common/bytes.hpp"
#include "lpa/es10_client.hpp"
#include "lpa/es9_client.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::lpa {

struct DownloadRequest {
    std::string smdpAddress;  // sent verbatim as smdpAddress (host[:port])
    std::optional<std::string> matchingId;
    std::optional<std::string> confirmationCode;
    // From an Activation Code: the OID CERT.DPauth must name (subjectAltName registeredID); checked
    // once the eUICC has verified that certificate in AuthenticateServer (SGP.22 §4.1).
    std::optional<std::string> smdpOid;
    std::optional<Bytes> imei;  // 8 bytes BCD
    Bytes tac = fromHex("35290611");  // what lpac sends (research notes §2.4)
};

struct DownloadResult {
    Bytes transactionId;
    euicc::es10::StoreMetadata metadata;  // profileMetadata from authenticateClient
    Bytes profileInstallationResult;      // BF37 as the eUICC returned it
    euicc::es10::ProfileInstallationResult result;  // decoded; result.data.success is set
};

// A download that stopped: which step (lpac-style name, e.g. "es9p_initiate_authentication",
// "es10b_authenticate_server"), plus what the other side said.
struct DownloadError : std::runtime_error {
    std::string step;
    std::optional<smdpp::es9p::StatusCodeData> es9;  // the SM-DP+'s statusCodeData
    std::optional<std::int64_t> es10Code;             // the eUICC's error code (BF38/BF21 A1)
    std::optional<euicc::es10::ProfileInstallationResult> installResult;  // a BF37 with an error result
    // The session was cancelled on the eUICC (ES10b CancelSession), and on the SM-DP+ (ES9+
    // cancelSession) unless the SM-DP+ itself refused, which ends its session (SGP.22 §3.1.3).
    bool cancelled = false;
    DownloadError(std::string step, const std::string& what);
};

// Throws DownloadError (and std::invalid_argument for a bad request). The result of a download
// the eUICC refused (BF37 errorResult) is a DownloadError with installResult set.
DownloadResult downloadProfile(Es10Client& es10, Es9Client& es9, const DownloadRequest& request);

// hashCc = SHA-256(SHA-256(confirmationCode) || transactionId) (SGP.22 §3.1.3 / §5.7.5).
Bytes hashConfirmationCode(const std::string& code, ByteView transactionId);

}  // namespace vpcsc::lpa
