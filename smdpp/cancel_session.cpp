// ES9+.CancelSession (SGP.22 v2.5 §5.6.5, §3.1.3 / §2.6.7.3): the eUICC's signed
// CancelSessionResponse ends the download. Verified with the session's CERT.EUICC, the signed
// transactionId and smdpOid (our CERT.DPauth registeredID). Whatever the outcome the session is gone.
#include "smdpp/smdp.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace st = status;
namespace es10 = euicc::es10;

void Smdp::cancelSession(const es9p::CancelSessionRequest& r) {
    auto taken = m_sessions.take(r.transactionId);
    if (!taken) throw FunctionFailed(st::kUnknownTransactionId, "the RSP session identified by the transactionId is unknown");
    const Session s = std::move(*taken);
    es10::CancelSessionResponse resp;
    try {
        resp = es10::CancelSessionResponse::decode(r.cancelSessionResponse);
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("cancelSessionResponse: ") + e.what());
    }
    if (!resp.ok)
        throw FunctionFailed(st::kEuiccSignatureInvalid,
                             "the eUICC answered CancelSession with error " + std::to_string(resp.error.value_or(0)));
    if (!s.euiccCertificate) throw FunctionFailed(st::kEuiccSignatureInvalid, "no CERT.EUICC is known for this session yet");
    if (!euicc::rspVerify(s.euiccCertificate->publicKey().get(), resp.ok->signedRaw, resp.ok->signature))
        throw FunctionFailed(st::kEuiccSignatureInvalid, "euiccCancelSessionSignature does not verify");
    if (resp.ok->signedPart.transactionId != s.transactionId)
        throw FunctionFailed(st::kUnknownTransactionId, "euiccCancelSessionSigned carries another transactionId");
    if (resp.ok->signedPart.smdpOid != es10::oidContent(m_cred.smdpOid))
        throw FunctionFailed(st::kInvalidSmdpOid, "smdpOid is not this SM-DP+'s");
}

}  // namespace vpcsc::smdpp
