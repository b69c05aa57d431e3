// ES9+.AuthenticateClient (SGP.22 v2.5 §5.6.3, procedure §3.1.3.1 / §3.0.1): the eUICC's answer to
// AuthenticateServer. Verifies CERT.EUM and CERT.EUICC to the session's CI (validity at now, the
// EID permitted by the EUM), euiccSignature1, the transactionId and serverChallenge binding; finds
// the profile the matchingId names (or, without one, the one ordered for the EID) and answers its
// StoreMetadata and smdpSigned2 signed with SK.DPpb.
#include "common/tlv.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace st = status;
namespace es10 = euicc::es10;

namespace {

// notificationConfigurationInfo (§5.5.3 StoreMetadataRequest B6): SEQUENCE OF
// NotificationConfigurationInformation { 80 profileManagementOperation NotificationEvent,
// 81 notificationAddress }. One entry: install(0), enable(1), disable(2), delete(3) -> our address.
Bytes notificationConfiguration(const std::string& address) {
    const Bytes events{0x04, 0xF0};  // BIT STRING: 4 unused bits, bits 0..3 set
    return tlv::Builder()
        .add(0x80, events)
        .add(0x81, ByteView(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()))
        .wrap(0x30);
}

}  // namespace

es9p::AuthenticateClientResponse Smdp::authenticateClient(const es9p::AuthenticateClientRequest& r) {
    Session s = takeSession(r.transactionId, Session::Stage::Initiated);
    es10::AuthenticateServerResponse resp;
    try {
        resp = es10::AuthenticateServerResponse::decode(r.authenticateServerResponse);
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("authenticateServerResponse: ") + e.what());
    }
    if (!resp.ok)
        throw FunctionFailed(st::kEuiccSignatureInvalid,
                             "the eUICC refused the server (authenticateErrorCode " + std::to_string(resp.error->code) + ")");
    const auto& ok = *resp.ok;
    if (ok.euiccSigned1.transactionId != s.transactionId)
        throw FunctionFailed(st::kUnknownTransactionId, "euiccSigned1 carries another transactionId");

    vicc::crypto::Certificate euiccCert = verifyEuiccChain(ok.euiccCertificate, ok.eumCertificate, s.ciPkId);
    if (!euicc::rspVerify(euiccCert.publicKey().get(), ok.euiccSigned1Raw, ok.euiccSignature1))
        throw FunctionFailed(st::kEuiccSignatureInvalid, "euiccSignature1 does not verify");
    if (ok.euiccSigned1.serverChallenge != s.serverChallenge)
        throw FunctionFailed(st::kEuiccSignatureInvalid, "euiccSigned1 carries another serverChallenge");

    es10::CtxParams1 ctx;
    try {
        ctx = es10::CtxParams1::decode(ok.euiccSigned1.ctxParams1);
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("ctxParams1: ") + e.what());
    }
    // verifyEuiccChain made sure the certificate carries an EID.
    const std::string eid = *euicc::eidOf(euiccCert);
    // Without matchingId (the eUICC's default SM-DP+ address, §3.1.3): the order for its EID.
    // SM-DS discovery is not offered.
    const bool byEid = !ctx.matchingId || ctx.matchingId->empty();
    auto upp = byEid ? m_profiles.findForEid(eid) : m_profiles.find(*ctx.matchingId);
    if (!upp)
        throw FunctionFailed(st::kMatchingIdRefused, byEid ? "no matchingId and no profile ordered for this EID"
                                                           : "no profile for this matchingId");
    Bytes iccid;
    try {
        iccid = euicc::saip::iccidOf(*upp);
    } catch (const std::exception& e) {
        throw FunctionFailed(st::kNoEligibleProfile, "the profile package has no usable header");
    }

    es10::StoreMetadata md;
    md.iccid = iccid;
    md.serviceProviderName = m_config.serviceProviderName;
    md.profileName = byEid ? "default SM-DP+ order" : *ctx.matchingId;
    md.notificationConfigurationInfo = notificationConfiguration(m_config.address);

    s.eid = fromHex(eid);
    s.euiccCertificate = std::move(euiccCert);
    s.matchingId = byEid ? std::string() : *ctx.matchingId;
    s.upp = std::move(*upp);
    s.metadata = md;
    if (m_config.confirmationCode) {
        const std::string& cc = *m_config.confirmationCode;
        s.confirmationCodeHash = vicc::crypto::digest(vicc::crypto::DigestAlgorithm::Sha256,
                                                      ByteView(reinterpret_cast<const std::uint8_t*>(cc.data()), cc.size()));
    }

    // smdpSigned2 (§5.6.3): 30 { 80 tid, 01 ccRequiredFlag }; smdpSignature2 = SK.DPpb over
    // smdpSigned2 || 5F37 40 euiccSignature1 (§2.6.7.2).
    es10::SmdpSigned2 signed2{s.transactionId, s.confirmationCodeHash.has_value(), std::nullopt};
    es9p::AuthenticateClientResponse out;
    out.transactionId = s.transactionId;
    out.profileMetadata = md.encode();
    out.smdpSigned2 = signed2.encode();
    Bytes covered = out.smdpSigned2;
    append(covered, es10::signatureTlv(ok.euiccSignature1));
    s.smdpSignature2 = euicc::rspSign(m_cred.dpPbKey.get(), covered);
    out.smdpSignature2 = es10::signatureTlv(s.smdpSignature2);
    out.smdpCertificate = m_cred.dpPbDer;
    s.stage = Session::Stage::Authenticated;
    keepSession(std::move(s));
    return out;
}

}  // namespace vpcsc::smdpp
