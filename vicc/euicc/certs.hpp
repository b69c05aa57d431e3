// RSP certificates (SGP.22 v2.5 §4.5.2): role policies, key identifiers, the EUM's permitted EIDs
// and chain verification to a trusted CI with OpenSSL's X509_STORE (no home-made path building).
// Shared by the euicc card (CERT.DPauth / CERT.DPpb checks) and the SM-DP+ (EUM / eUICC checks).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "vicc/crypto/x509.hpp"

namespace vpcsc::euicc {

using vicc::crypto::Certificate;

// id-rspRole (SGP.22 §4.5.2.1.0.1): 2.23.146.1.2.1.x, carried as a certificate policy.
enum class RspRole { Ci = 0, Euicc = 1, Eum = 2, DpTls = 3, DpAuth = 4, DpPb = 5, DsTls = 6, DsAuth = 7 };
std::string rspRoleOid(RspRole role);  // "2.23.146.1.2.1.4"

// GSMA permitted-EINs extension of EUM certificates (SGP.22 v2.5 §4.5.2.1.0.2 variant A..C).
constexpr const char* kOidPermittedEins = "2.23.146.1.2.2.0";

// Whether the certificate's certificatePolicies extension lists the role's OID.
bool hasRole(const Certificate& cert, RspRole role);
// keyIdentifier of the subjectKeyIdentifier / authorityKeyIdentifier extension, empty if absent.
Bytes subjectKeyId(const Certificate& cert);
Bytes authorityKeyId(const Certificate& cert);
// The EUM's permitted EID prefixes from extension 2.23.146.1.2.2.0 (SEQUENCE OF PrintableString);
// empty if the extension is absent. Throws ParseError if present but malformed.
std::vector<std::string> permittedEins(const Certificate& eum);
// An eUICC certificate's EID: the subject serialNumber when it is 32 decimal digits.
std::optional<std::string> eidOf(const Certificate& euicc);
// Whether eid starts with one of the EUM's permitted prefixes.
bool eidPermitted(const Certificate& eum, const std::string& eid);
// The SM-DP+ OID in subjectAltName registeredID (DPauth/DPpb), "" if none.
std::string registeredId(const Certificate& cert);

struct ChainResult {
    bool ok = false;
    int error = 0;          // X509_V_ERR_* (0 when ok)
    std::string message;    // X509_verify_cert_error_string, or our own check that failed
};

// Verifies leaf through the intermediates to one of the trusted CIs (X509_STORE, X.509 strict
// mode, at time `when`, or now when 0). Then the SGP.22 rules OpenSSL does not know: the leaf
// carries `leafRole`'s policy and, when the chain has an EUM, the EUM carries .2 and the leaf's EID
// is permitted by it. Never throws for a verification failure, only for OpenSSL allocation errors.
ChainResult verifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                        const std::vector<Certificate>& trustedCis, RspRole leafRole, std::time_t when = 0);

}  // namespace vpcsc::euicc
