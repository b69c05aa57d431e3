// ES9+ (SGP.22 v2.5 §5.6 functions, §6.5 JSON binding): the request and response bodies of the five
// functions an LPA calls on an SM-DP+, as value types with encode() (JSON text) and decode()
// (defensive: a JSON object, every mandatory field present with the right type, base64 strict,
// transactionId 1..16 bytes as hex). Used by both ends: vicc-smdpp decodes requests and encodes
// responses, the LPA does the opposite. Binary fields hold the whole TLV exactly as it travels
// (serverSignature1 = 5F37 40 r||s, euiccCiPKIdToBeUsed = 04 14 SKI, certificates = DER 30 ..).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::smdpp::es9p {

// A body that is not what §6.5 describes: not a JSON object (notJson), a mandatory field missing
// (mandatoryMissing: SGP.22 reason 2.2) or malformed (bad base64, hex, type: reason 2.1).
struct Es9Error : ParseError {
    Es9Error(const std::string& what, bool missing = false, bool notAJsonObject = false)
        : ParseError(what), mandatoryMissing(missing), notJson(notAJsonObject) {}
    bool mandatoryMissing;
    bool notJson;
};

// The function paths (SGP.22 §6.5.2: POST https://<smdpAddress>/gsma/rsp2/es9plus/<function>).
inline constexpr std::string_view kPathPrefix = "/gsma/rsp2/es9plus/";
inline constexpr std::string_view kPathInitiateAuthentication = "/gsma/rsp2/es9plus/initiateAuthentication";
inline constexpr std::string_view kPathAuthenticateClient = "/gsma/rsp2/es9plus/authenticateClient";
inline constexpr std::string_view kPathGetBoundProfilePackage = "/gsma/rsp2/es9plus/getBoundProfilePackage";
inline constexpr std::string_view kPathHandleNotification = "/gsma/rsp2/es9plus/handleNotification";
inline constexpr std::string_view kPathCancelSession = "/gsma/rsp2/es9plus/cancelSession";

// HTTP headers (SGP.22 §6.1.1): requests and responses carry X-Admin-Protocol gsma/rsp/v<x.y.z>.
inline constexpr std::string_view kContentType = "application/json;charset=UTF-8";
inline constexpr std::string_view kAdminProtocolHeader = "X-Admin-Protocol";
inline constexpr std::string_view kAdminProtocol = "gsma/rsp/v2.2.0";
inline constexpr std::string_view kAdminProtocolPrefix = "gsma/rsp/v";

// RFC 4648 base64 with padding (OpenSSL EVP_EncodeBlock / EVP_DecodeBlock). decode is strict: no
// whitespace, length a multiple of 4, '=' only as the final one or two characters, canonical
// padding bits. Throws Es9Error.
std::string base64Encode(ByteView data);
Bytes base64Decode(std::string_view text);

// transactionId (SGP.22 §6.5.1: TransactionId as hexBinary of 1..16 bytes, upper case on output).
std::string transactionIdToHex(ByteView tid);
Bytes transactionIdFromHex(std::string_view hex);  // throws Es9Error

// header.functionExecutionStatus (SGP.22 §6.5.1.4): "Executed-Success" or "Failed" + statusCodeData.
struct StatusCodeData {
    std::string subjectCode;  // e.g. "8.10.1"
    std::string reasonCode;   // e.g. "3.9"
    std::optional<std::string> subjectIdentifier;
    std::optional<std::string> message;
};
struct FunctionExecutionStatus {
    std::optional<StatusCodeData> failure;  // absent: Executed-Success
    bool ok() const { return !failure; }
};

// A response that only carries the header: every failure, and cancelSession's success.
std::string encodeStatusOnly(const FunctionExecutionStatus& status);
// The header of any response body; throws Es9Error when there is none.
FunctionExecutionStatus decodeStatus(std::string_view body);

// ---- initiateAuthentication (SGP.22 §5.6.1) ----------------------------------------------------
struct InitiateAuthenticationRequest {
    Bytes euiccChallenge;     // 16
    Bytes euiccInfo1;         // BF20 ..
    std::string smdpAddress;  // as the LPA was told (lpac: -s host[:port] verbatim)
    std::string encode() const;
    static InitiateAuthenticationRequest decode(std::string_view body);
};
struct InitiateAuthenticationResponse {
    FunctionExecutionStatus status;  // on failure the other fields are empty
    Bytes transactionId;
    Bytes serverSigned1;        // 30 ..
    Bytes serverSignature1;     // 5F37 40 ..
    Bytes euiccCiPkIdToBeUsed;  // 04 14 ..
    Bytes serverCertificate;    // CERT.DPauth DER
    std::string encode() const;
    static InitiateAuthenticationResponse decode(std::string_view body);
};

// ---- authenticateClient (§5.6.3) ----------------------------------------------------------------
struct AuthenticateClientRequest {
    Bytes transactionId;
    Bytes authenticateServerResponse;  // BF38 ..
    std::string encode() const;
    static AuthenticateClientRequest decode(std::string_view body);
};
struct AuthenticateClientResponse {
    FunctionExecutionStatus status;
    Bytes transactionId;
    Bytes profileMetadata;  // BF25 .. StoreMetadataRequest
    Bytes smdpSigned2;      // 30 ..
    Bytes smdpSignature2;   // 5F37 40 ..
    Bytes smdpCertificate;  // CERT.DPpb DER
    std::string encode() const;
    static AuthenticateClientResponse decode(std::string_view body);
};

// ---- getBoundProfilePackage (§5.6.2) ------------------------------------------------------------
struct GetBoundProfilePackageRequest {
    Bytes transactionId;
    Bytes prepareDownloadResponse;  // BF21 ..
    std::string encode() const;
    static GetBoundProfilePackageRequest decode(std::string_view body);
};
struct GetBoundProfilePackageResponse {
    FunctionExecutionStatus status;
    Bytes transactionId;
    Bytes boundProfilePackage;  // BF36 ..
    std::string encode() const;
    static GetBoundProfilePackageResponse decode(std::string_view body);
};

// ---- handleNotification (§5.6.4): the answer is HTTP 204 with no body ---------------------------
struct HandleNotificationRequest {
    Bytes pendingNotification;  // BF37 .. ProfileInstallationResult or 30 .. OtherSignedNotification
    std::string encode() const;
    static HandleNotificationRequest decode(std::string_view body);
};

// ---- cancelSession (§5.6.5): the answer is the header only (encodeStatusOnly / decodeStatus) ----
struct CancelSessionRequest {
    Bytes transactionId;
    Bytes cancelSessionResponse;  // BF41 ..
    std::string encode() const;
    static CancelSessionRequest decode(std::string_view body);
};

}  // namespace vpcsc::smdpp::es9p
