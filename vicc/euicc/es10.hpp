// The ES10 data the eUICC exchanges with the LPA (SGP.22 v2.5 §5.7, ASN.1 module RSPDefinitions,
// AUTOMATIC TAGS): value types with defensive decode() (every length and tag checked, fields in
// ASN.1 order, unknown trailing extension fields ignored) and encode() producing minimal DER.
// Decoders throw Es10Error (a ParseError) naming the field. Byte views that a signature covers
// (serverSigned1, euiccSigned1, smdpSigned2, euiccSigned2) are kept raw, exactly as received.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/tlv.hpp"

namespace vpcsc::euicc::es10 {

struct Es10Error : ParseError {
    using ParseError::ParseError;
};

using tlv::Tag;

// ES10 command / response tags (SGP.22 §5.7).
constexpr Tag kTagPrepareDownload = 0xBF21;
constexpr Tag kTagGetEuiccInfo1 = 0xBF20;
constexpr Tag kTagGetEuiccInfo2 = 0xBF22;
constexpr Tag kTagInitialiseSecureChannel = 0xBF23;
constexpr Tag kTagConfigureIsdp = 0xBF24;
constexpr Tag kTagStoreMetadata = 0xBF25;
constexpr Tag kTagReplaceSessionKeys = 0xBF26;
constexpr Tag kTagProfileInstallationResultData = 0xBF27;
constexpr Tag kTagGetEuiccChallenge = 0xBF2E;
constexpr Tag kTagNotificationMetadata = 0xBF2F;
constexpr Tag kTagBoundProfilePackage = 0xBF36;
constexpr Tag kTagProfileInstallationResult = 0xBF37;
constexpr Tag kTagAuthenticateServer = 0xBF38;
constexpr Tag kTagGetEid = 0xBF3E;
constexpr Tag kTagSignature = 0x5F37;  // [APPLICATION 55]
constexpr Tag kTagOtpk = 0x5F49;       // [APPLICATION 73]

// The outer tag of an ES10 command (the whole STORE DATA payload must be exactly one TLV).
Tag commandTag(ByteView command);

// SubjectKeyIdentifier lists: SEQUENCE OF OCTET STRING (04 14 <SKI>).
using KeyIdList = std::vector<Bytes>;

// GetEuiccInfo1 response, EUICCInfo1 ::= [32] SEQUENCE (BF20), §5.7.8.
struct EuiccInfo1 {
    Bytes svn;                         // 82, VersionType (3 bytes)
    KeyIdList ciPkIdsForVerification;  // A9
    KeyIdList ciPkIdsForSigning;       // AA
    Bytes encode() const;
    static EuiccInfo1 decode(ByteView in);
};

// GetEuiccInfo2 response, EUICCInfo2 ::= [34] SEQUENCE (BF22), §5.7.8.
struct EuiccInfo2 {
    Bytes profileVersion;                 // 81 (3)
    Bytes svn;                            // 82 (3)
    Bytes euiccFirmwareVer;               // 83 (3)
    Bytes extCardResource;                // 84 (TS 102 226 installed application / memory TLVs)
    Bytes uiccCapability;                 // 85 BIT STRING content (unused-bits byte first)
    std::optional<Bytes> ts102241Version; // 86 (3)
    std::optional<Bytes> globalplatformVersion;  // 87 (3)
    Bytes rspCapability;                  // 88 BIT STRING content
    KeyIdList ciPkIdsForVerification;     // A9
    KeyIdList ciPkIdsForSigning;          // AA
    std::optional<std::uint8_t> euiccCategory;  // 8B INTEGER (0 other, 1 basic, 2 medium, 3 contactless)
    std::optional<Bytes> forbiddenProfilePolicyRules;  // 99 BIT STRING content
    Bytes ppVersion;                      // 04 (3)
    std::string sasAccreditationNumber;   // 0C UTF8String (0..64)
    Bytes encode() const;
    static EuiccInfo2 decode(ByteView in);
};

// GetEuiccChallenge response BF2E { 80 euiccChallenge(16) }.
Bytes encodeEuiccChallengeResponse(ByteView challenge);
Bytes decodeEuiccChallengeResponse(ByteView in);
// GetEID request BF3E { [5C tagList] } and response BF3E { 5A eid(16) }.
struct GetEidRequest {
    std::optional<Bytes> tagList;
    static GetEidRequest decode(ByteView in);
};
Bytes encodeEidResponse(ByteView eid);
Bytes decodeEidResponse(ByteView in);

// ServerSigned1 ::= SEQUENCE { 80 transactionId, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge }.
struct ServerSigned1 {
    Bytes transactionId;    // 1..16
    Bytes euiccChallenge;   // 16
    std::string serverAddress;
    Bytes serverChallenge;  // 16
    Bytes encode() const;
    static ServerSigned1 decode(ByteView in);
};

// DeviceInfo ::= SEQUENCE { 80 tac(4), A1 deviceCapabilities, [82 imei(8)] }.
struct DeviceInfo {
    Bytes tac;
    Bytes deviceCapabilities;  // content of A1, kept raw
    std::optional<Bytes> imei;
    Bytes encode() const;  // 30-less: the three fields (the caller wraps)
};

// CtxParams1 (A0 ctxParamsForCommonAuthentication { [80 matchingId], A1 deviceInfo }).
struct CtxParams1 {
    std::optional<std::string> matchingId;
    DeviceInfo deviceInfo;
    Bytes encode() const;  // A0 ...
    static CtxParams1 decode(ByteView in);
};

// AuthenticateServerRequest ::= [56] SEQUENCE (BF38), §5.7.13.
struct AuthenticateServerRequest {
    Bytes serverSigned1Raw;  // 30 .. exactly as received (the signed data)
    ServerSigned1 serverSigned1;
    Bytes serverSignature1;  // 64 bytes r || s (the 5F37 value)
    Bytes euiccCiPkIdToBeUsed;  // the SKI (04 value)
    Bytes serverCertificate;    // 30 .. DER
    Bytes ctxParams1Raw;        // A0 .. as received (echoed in euiccSigned1)
    CtxParams1 ctxParams1;
    Bytes encode() const;
    static AuthenticateServerRequest decode(ByteView in);
};

// EuiccSigned1 ::= SEQUENCE { 80 transactionId, 83 serverAddress, 84 serverChallenge, BF22 euiccInfo2, A0 ctxParams1 }.
struct EuiccSigned1 {
    Bytes transactionId;
    std::string serverAddress;
    Bytes serverChallenge;
    Bytes euiccInfo2;  // BF22 .. raw
    Bytes ctxParams1;  // A0 .. raw
    Bytes encode() const;  // 30 ..
    static EuiccSigned1 decode(ByteView in);
};

// AuthenticateServerResponse ::= [56] CHOICE { A0 ok { 30 euiccSigned1, 5F37 sig, 30 euiccCert, 30 eumCert },
//                                               A1 error { 80 transactionId, 02 authenticateErrorCode } }.
struct AuthenticateServerResponse {
    struct Ok {
        Bytes euiccSigned1Raw;
        EuiccSigned1 euiccSigned1;
        Bytes euiccSignature1;  // 64
        Bytes euiccCertificate, eumCertificate;
    };
    struct Error {
        Bytes transactionId;
        std::int64_t code = 0;  // 1 invalidCertificate .. 127 undefinedError
    };
    std::optional<Ok> ok;
    std::optional<Error> error;
    Bytes encode() const;
    static AuthenticateServerResponse decode(ByteView in);
};

// SmdpSigned2 ::= SEQUENCE { 80 transactionId, 01 ccRequiredFlag, [5F49 bppEuiccOtpk] }.
struct SmdpSigned2 {
    Bytes transactionId;
    bool ccRequiredFlag = false;
    std::optional<Bytes> bppEuiccOtpk;
    Bytes encode() const;
    static SmdpSigned2 decode(ByteView in);
};

// PrepareDownloadRequest ::= [33] SEQUENCE (BF21), §5.7.5.
struct PrepareDownloadRequest {
    Bytes smdpSigned2Raw;
    SmdpSigned2 smdpSigned2;
    Bytes smdpSignature2;         // 64
    std::optional<Bytes> hashCc;  // 32
    Bytes smdpCertificate;        // 30 .. DER
    Bytes encode() const;
    static PrepareDownloadRequest decode(ByteView in);
};

// EuiccSigned2 ::= SEQUENCE { 80 transactionId, 5F49 euiccOtpk, [04 hashCc] }.
struct EuiccSigned2 {
    Bytes transactionId;
    Bytes euiccOtpk;  // 65, 04 || X || Y
    std::optional<Bytes> hashCc;
    Bytes encode() const;
    static EuiccSigned2 decode(ByteView in);
};

// PrepareDownloadResponse ::= [33] CHOICE { A0 ok { 30 euiccSigned2, 5F37 sig }, A1 error { 80 tid, 02 code } }.
struct PrepareDownloadResponse {
    struct Ok {
        Bytes euiccSigned2Raw;
        EuiccSigned2 euiccSigned2;
        Bytes euiccSignature2;
    };
    struct Error {
        Bytes transactionId;
        std::int64_t code = 0;
    };
    std::optional<Ok> ok;
    std::optional<Error> error;
    Bytes encode() const;
    static PrepareDownloadResponse decode(ByteView in);
};

// The signature data formats of SGP.22 §5.5 / §5.7: what the next signer appends.
Bytes signatureTlv(ByteView rs);  // 5F37 40 r||s

// ---- Bound Profile Package (§2.5.5, §5.7.6) ---------------------------------------------------

// InitialiseSecureChannelRequest ::= [35] SEQUENCE (BF23) { 82 remoteOpId(1), 80 transactionId,
//   A6 controlRefTemplate { 80 keyType, 81 keyLen, 84 hostId }, 5F49 smdpOtpk, 5F37 smdpSign }.
struct InitialiseSecureChannel {
    std::uint8_t remoteOpId = 1;  // installBoundProfilePackage
    Bytes transactionId;
    std::uint8_t keyType = 0x88;
    std::uint8_t keyLength = 0x10;
    Bytes hostId;
    Bytes smdpOtpk;  // 65
    Bytes smdpSign;  // 64
    // Everything smdpSign covers (§5.5.2): the fields before 5F37 as encoded, then 5F49 euiccOtpk.
    Bytes signedData(ByteView euiccOtpk) const;
    Bytes encode() const;
    static InitialiseSecureChannel decode(ByteView in);
};

// ReplaceSessionKeysRequest ::= [38] SEQUENCE (BF26) { 80 initialMacChainingValue, 81 ppkEnc, 82 ppkCmac }.
struct ReplaceSessionKeys {
    Bytes initialMcv, ppkEnc, ppkCmac;  // 16 each
    Bytes encode() const;
    static ReplaceSessionKeys decode(ByteView in);
};

// StoreMetadataRequest ::= [37] SEQUENCE (BF25), the fields a profile list shows (§5.5.3).
struct StoreMetadata {
    Bytes iccid;                 // 5A (10, BCD)
    std::string serviceProviderName;  // 91
    std::string profileName;     // 92
    std::optional<std::uint8_t> iconType;  // 93
    std::optional<Bytes> icon;   // 94
    std::optional<std::uint8_t> profileClass;  // 95 (0 test, 1 provisioning, 2 operational)
    std::optional<Bytes> notificationConfigurationInfo;  // B6 content, raw
    std::optional<Bytes> profileOwner;  // B7 content, raw
    std::optional<Bytes> profilePolicyRules;  // 99 BIT STRING content
    Bytes encode() const;
    static StoreMetadata decode(ByteView in);
};

// The segments of LoadBoundProfilePackage as an LPA sends them (SGP.22 §2.5.5 / §3.1.3.3 step 9):
//   BF36 header + whole BF23, whole A0, A1 header, each 88, whole A2 (optional), A3 header, each 86.
std::vector<Bytes> segmentBoundProfilePackage(ByteView bpp);

// The eUICC side: classifies and checks each segment, in order, against the headers' lengths.
class BppSegmenter {
public:
    enum class Kind {
        InitialiseSecureChannel,  // value: the BF23 TLV
        ConfigureIsdp,            // value: the A0 TLV (its 87 segments)
        StoreMetadataHeader,      // A1 header
        StoreMetadataSegment,     // one 88 TLV
        ReplaceSessionKeys,       // the A2 TLV (its 87)
        ProfileElementsHeader,    // A3 header
        ProfileElementSegment,    // one 86 TLV
    };
    // Returns the kind of the next segment, or throws Es10Error (wrong order, bad tag or length).
    // After an error the segmenter is failed: every later call throws.
    Kind accept(ByteView segment);
    bool complete() const { return m_state == State::Done; }

private:
    enum class State { Start, AfterBf23, AfterA0, In88, AfterA1, In86, Done, Failed };
    Kind fail(const std::string& why);
    State m_state = State::Start;
    std::size_t m_bppLeft = 0;    // bytes of BF36's value not yet seen
    std::size_t m_seqLeft = 0;    // bytes of the current A1/A3 value not yet seen
    bool m_seenA2 = false;
};

}  // namespace vpcsc::euicc::es10
