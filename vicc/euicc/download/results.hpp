// What a download session hands back (SGP.22 v2.5 §5.7.6, §5.7.14, ASN.1 RSPDefinitions):
// ProfileInstallationResult (BF37, the eUICC's signed result of LoadBoundProfilePackage, also the
// install notification), its NotificationMetadata (BF2F), and CancelSession (BF41) request and
// response. Shared by the eUICC (encode), the SM-DP+ (decode, verify euiccSignPIR / the cancel
// signature over the raw signed part) and the LPA. Decoders throw es10::Es10Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::euicc::es10 {

constexpr Tag kTagCancelSession = 0xBF41;

// BppCommandId (§5.7.6): which part of the BPP failed.
enum class BppCommandId : std::uint8_t {
    InitialiseSecureChannel = 0, ConfigureIsdp = 1, StoreMetadata = 2, StoreMetadata2 = 3,
    ReplaceSessionKeys = 4, LoadProfileElements = 5,
};
// ErrorReason (§5.7.6 / §2.5.6.1).
enum class InstallErrorReason : std::uint8_t {
    IncorrectInputValues = 1, InvalidSignature = 2, InvalidTransactionId = 3, UnsupportedCrtValues = 4,
    UnsupportedRemoteOperationType = 5, UnsupportedProfileClass = 6, Scp03tStructureError = 7,
    Scp03tSecurityError = 8, IccidAlreadyExistsOnEuicc = 9, InsufficientMemoryForProfile = 10,
    Interruption = 11, PeProcessingError = 12, DataMismatch = 13, InvalidNaaKey = 14, PprNotAllowed = 15,
    UnknownError = 127,
};

// OBJECT IDENTIFIER content octets <-> dotted text ("2.999.10"). Throw Es10Error / invalid_argument.
Bytes oidContent(const std::string& dotted);
std::string oidText(ByteView content);

// NotificationMetadata ::= [47] SEQUENCE (BF2F) { 80 seqNumber, 81 profileManagementOperation
// (BIT STRING, content 07 80 = install), 0C notificationAddress, [5A iccid] }.
struct NotificationMetadata {
    std::uint32_t seqNumber = 0;
    Bytes operation = fromHex("0780");  // BIT STRING content (unused-bits byte first): install
    std::string notificationAddress;
    std::optional<Bytes> iccid;      // 10
    Bytes encode() const;
    static NotificationMetadata decode(ByteView in);
};

// ProfileInstallationResultData ::= [39] SEQUENCE (BF27) { 80 transactionId, BF2F notificationMetadata,
//   [06 smdpOid], A2 finalResult { A0 success { 4F aid, 04 simaResponse } |
//                                  A1 error { 80 bppCommandId, 81 errorReason, [04 simaResponse] } } }.
struct ProfileInstallationResultData {
    struct Success {
        Bytes isdpAid;
        Bytes simaResponse;
    };
    struct Error {
        std::int64_t bppCommandId = 0;
        std::int64_t errorReason = 0;
        std::optional<Bytes> simaResponse;
    };
    Bytes transactionId;
    NotificationMetadata notificationMetadata;
    std::optional<Bytes> smdpOid;  // OID content octets
    std::optional<Success> success;
    std::optional<Error> error;
    Bytes encode() const;
    static ProfileInstallationResultData decode(ByteView in);
};

// ProfileInstallationResult ::= [55] SEQUENCE (BF37) { BF27 data, 5F37 euiccSignPIR (over BF27 as sent) }.
struct ProfileInstallationResult {
    Bytes dataRaw;  // BF27 .. exactly as signed
    ProfileInstallationResultData data;
    Bytes euiccSignPir;  // 64
    Bytes encode() const;
    static ProfileInstallationResult decode(ByteView in);
};

// CancelSessionRequest ::= [65] SEQUENCE (BF41) { 80 transactionId, 81 reason } (§5.7.14);
// reason: endUserRejection 0, postponed 1, timeout 2, pprNotAllowed 3, metadataMismatch 4,
// loadBppExecutionError 5, undefinedReason 127.
struct CancelSessionRequest {
    Bytes transactionId;
    std::int64_t reason = 0;
    Bytes encode() const;
    static CancelSessionRequest decode(ByteView in);
};

// EuiccCancelSessionSigned ::= SEQUENCE { transactionId, smdpOid, reason } under AUTOMATIC TAGS:
// 30 { 80 transactionId, 81 smdpOid (OID content), 82 reason }.
struct EuiccCancelSessionSigned {
    Bytes transactionId;
    Bytes smdpOid;  // OID content octets
    std::int64_t reason = 0;
    Bytes encode() const;
    static EuiccCancelSessionSigned decode(ByteView in);
};

// CancelSessionResponse ::= [65] CHOICE { A0 ok { 30 euiccCancelSessionSigned, 5F37 signature },
//                                         81 error (invalidTransactionId 5, undefinedError 127) }.
struct CancelSessionResponse {
    struct Ok {
        Bytes signedRaw;  // 30 .. as signed
        EuiccCancelSessionSigned signedPart;
        Bytes signature;  // 64
    };
    std::optional<Ok> ok;
    std::optional<std::int64_t> error;
    Bytes encode() const;
    static CancelSessionResponse decode(ByteView in);
};

}  // namespace vpcsc::euicc::es10
