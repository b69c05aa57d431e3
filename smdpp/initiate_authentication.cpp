// ES9+.InitiateAuthentication (SGP.22 v2.5 §5.6.1, procedure §3.1.2 / §3.0.1): check the address the
// LPA was given and the eUICC's CI lists, open a session with a fresh transactionId and
// serverChallenge, and sign serverSigned1 with SK.DPauth.
#include <algorithm>
#include <cctype>

#include "common/tlv.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace st = status;
namespace es10 = euicc::es10;

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool contains(const es10::KeyIdList& list, const Bytes& id) { return std::find(list.begin(), list.end(), id) != list.end(); }

}  // namespace

es9p::InitiateAuthenticationResponse Smdp::initiateAuthentication(const es9p::InitiateAuthenticationRequest& r) {
    if (!equalsIgnoreCase(r.smdpAddress, m_config.address))
        throw FunctionFailed(st::kInvalidSmdpAddress, "smdpAddress is not this SM-DP+'s address");
    es10::EuiccInfo1 info1;
    try {
        info1 = es10::EuiccInfo1::decode(r.euiccInfo1);
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("euiccInfo1: ") + e.what());
    }
    // SGP.22 v2.x and v3.x eUICCs speak this ES9+ (§5.6.1: "Specification Version Number not supported").
    if (info1.svn.size() != 3 || (info1.svn[0] != 2 && info1.svn[0] != 3))
        throw FunctionFailed(st::kUnsupportedSvn, "the eUICC's specification version is not supported");
    // The CI the eUICC can verify (its signing list is what its own chain ends at).
    const Bytes dpAuthCi = euicc::authorityKeyId(m_cred.dpAuth);
    Bytes ciPkId;
    for (const auto& ci : m_cred.trustedCis) {
        const Bytes ski = euicc::subjectKeyId(ci);
        if (ski == dpAuthCi && contains(info1.ciPkIdsForSigning, ski)) ciPkId = ski;
    }
    if (ciPkId.empty()) throw FunctionFailed(st::kNoSupportedCiPkId, "none of the eUICC's CI public key identifiers is supported");
    if (!info1.ciPkIdsForVerification.empty() && !contains(info1.ciPkIdsForVerification, dpAuthCi))
        throw FunctionFailed(st::kNoDpAuthCertificate, "no CERT.DPauth chains to a CI the eUICC verifies with");

    Session s;
    s.transactionId = vicc::crypto::randomBytes(16);
    s.serverChallenge = vicc::crypto::randomBytes(16);
    s.euiccChallenge = r.euiccChallenge;
    s.serverAddress = r.smdpAddress;
    s.ciPkId = ciPkId;

    // serverSigned1 (§5.6.1 / §2.6.7.1): 30 { 80 tid, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge }.
    es10::ServerSigned1 signed1{s.transactionId, s.euiccChallenge, s.serverAddress, s.serverChallenge};
    es9p::InitiateAuthenticationResponse out;
    out.transactionId = s.transactionId;
    out.serverSigned1 = signed1.encode();
    out.serverSignature1 = es10::signatureTlv(euicc::rspSign(m_cred.dpAuthKey.get(), out.serverSigned1));
    out.euiccCiPkIdToBeUsed = tlv::encode(0x04, ciPkId);
    out.serverCertificate = m_cred.dpAuthDer;
    keepSession(std::move(s));
    return out;
}

}  // namespace vpcsc::smdpp
