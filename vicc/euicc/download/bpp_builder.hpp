// The SM-DP+ side of a Bound Profile Package (SGP.22 v2.5 §2.5.5, §5.5; ES8+): what
// getBoundProfilePackage returns. One call binds an Unprotected Profile Package to one eUICC's
// download session:
//   BF36 { BF23 InitialiseSecureChannel { 82 01 01, 80 tid, A6 {80 88, 81 10, 84 hostId},
//                                         5F49 smdpOtpk, 5F37 smdpSign },
//          A0 { 87 ConfigureISDP (BF24) },                    S-ENC/S-MAC
//          A1 { 88 StoreMetadata (BF25) ... },                S-MAC only, several 88 when long
//          [A2 { 87 ReplaceSessionKeys (BF26) }],             S-ENC/S-MAC
//          A3 { 86 UPP segment ... } }                        PPK when replaced, else session keys
// Every 86/87/88 is at most 1020 bytes (tag, length and C-MAC included). The eUICC side that takes
// it apart is vicc/euicc/download/download.cpp.
#pragma once

#include <optional>

#include <openssl/evp.h>

#include "common/bytes.hpp"
#include "vicc/euicc/bsp.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::euicc {

struct BppInput {
    Bytes transactionId;  // 1..16 bytes, the session's
    Bytes hostId;         // 1..16 bytes (BF23 A6 84), also in the KDF's sharedInfo
    Bytes eid;            // 16 bytes BCD: the eUICC's EID (from CERT.EUICC), in the KDF's sharedInfo
    Bytes euiccOtpk;      // 65 bytes 04||X||Y from euiccSigned2
    es10::StoreMetadata metadata;  // its ICCID must be the UPP's
    // When present, the UPP is protected with these Profile Protection Keys (§2.5.5 / BF26).
    std::optional<es10::ReplaceSessionKeys> replaceSessionKeys;
    Bytes upp;            // the Unprotected Profile Package (SAIP DER)
};

// Builds the BF36 TLV. smdpOtpk: the SM-DP+'s ephemeral ECKA key pair on CERT.DPpb's curve;
// dppbKey: SK.DPpb.ECDSA, signs smdpSign over InitialiseSecureChannel::signedData(euiccOtpk).
// Throws std::invalid_argument for bad lengths (tid, hostId, EID, euiccOtpk, ICCID) or an empty
// UPP, CryptoError when euiccOtpk is not a point on smdpOtpk's curve or signing fails.
Bytes buildBoundProfilePackage(const BppInput& in, const EckaKeyPair& smdpOtpk, EVP_PKEY* dppbKey);

// Fresh random PPK-ENC, PPK-MAC and initial MCV (16 bytes each) for BppInput::replaceSessionKeys.
es10::ReplaceSessionKeys randomProfileProtectionKeys();

}  // namespace vpcsc::euicc
