// The SM-DP+ core shared by the ES9+ functions: sessions and the eUICC certificate chain (§5.6.3).
#include "smdpp/smdp.hpp"

#include <openssl/x509_vfy.h>

#include "vicc/euicc/certs.hpp"

namespace vpcsc::smdpp {

using vicc::crypto::Certificate;
namespace st = status;

Smdp::Smdp(SmdpConfig config, Credentials credentials, ProfileDirectory profiles)
    : m_config(std::move(config)),
      m_cred(std::move(credentials)),
      m_profiles(std::move(profiles)),
      m_sessions(m_config.sessionTtl, m_config.maxSessions) {
    if (m_config.hostId.empty() || m_config.hostId.size() > 16) throw std::invalid_argument("hostId must be 1..16 bytes");
    if (m_config.address.empty()) throw std::invalid_argument("the SM-DP+ address is empty");
}

Session Smdp::takeSession(ByteView transactionId, Session::Stage expected) {
    auto s = m_sessions.take(transactionId);
    // A session in another stage is a replay or a function out of order: it is gone now too.
    if (!s || s->stage != expected)
        throw FunctionFailed(st::kUnknownTransactionId, "the RSP session identified by the transactionId is unknown");
    return std::move(*s);
}

void Smdp::keepSession(Session s) {
    if (!m_sessions.put(std::move(s))) throw FunctionFailed(st::kInsufficientMemory, "too many open RSP sessions");
}

namespace {

bool expired(int x509Error) {
    return x509Error == X509_V_ERR_CERT_HAS_EXPIRED || x509Error == X509_V_ERR_CERT_NOT_YET_VALID;
}

Certificate parseCertificate(ByteView der, StatusCode onError, const char* what) {
    try {
        return Certificate::fromDer(der);
    } catch (const std::exception& e) {
        throw FunctionFailed(onError, std::string(what) + " is not a DER certificate");
    }
}

}  // namespace

Certificate Smdp::verifyEuiccChain(ByteView euiccDer, ByteView eumDer, const Bytes& ciPkId) const {
    const Certificate eum = parseCertificate(eumDer, st::kEumCertificateInvalid, "CERT.EUM");
    const Certificate euicc = parseCertificate(euiccDer, st::kEuiccCertificateInvalid, "CERT.EUICC");
    // The eUICC chain must end at the CI the session agreed on (euiccCiPKIdToBeUsed).
    if (euicc::authorityKeyId(eum) != ciPkId)
        throw FunctionFailed(st::kUnknownCiPublicKey, "CERT.EUM is not issued by the CI of euiccCiPKIdToBeUsed");
    const auto eumResult = euicc::verifyChain(eum, {}, m_cred.trustedCis, euicc::RspRole::Eum);
    if (!eumResult.ok)
        throw FunctionFailed(expired(eumResult.error) ? st::kEumCertificateExpired : st::kEumCertificateInvalid,
                             "CERT.EUM: " + eumResult.message);
    const auto eid = euicc::eidOf(euicc);
    if (!eid) throw FunctionFailed(st::kEuiccCertificateInvalid, "CERT.EUICC has no EID in its subject serialNumber");
    bool permitted = false;
    try {
        permitted = euicc::eidPermitted(eum, *eid);
    } catch (const ParseError&) {
        throw FunctionFailed(st::kEumCertificateInvalid, "CERT.EUM: malformed permitted EINs");
    }
    if (!permitted) throw FunctionFailed(st::kEuiccCertificateInvalid, "the EID is not permitted by CERT.EUM");
    const auto euiccResult = euicc::verifyChain(euicc, {eum}, m_cred.trustedCis, euicc::RspRole::Euicc);
    if (!euiccResult.ok)
        throw FunctionFailed(expired(euiccResult.error) ? st::kEuiccCertificateExpired : st::kEuiccCertificateInvalid,
                             "CERT.EUICC: " + euiccResult.message);
    return euicc;
}

}  // namespace vpcsc::smdpp
