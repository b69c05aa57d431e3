// ES9+.GetBoundProfilePackage (SGP.22 v2.5 §5.6.2, procedure §3.1.3.2): verifies euiccSignature2
// over euiccSigned2 || 5F37 40 smdpSignature2, the transactionId and the Confirmation Code hash,
// then binds the profile to this eUICC's one-time key (vicc/euicc/download/bpp_builder). The
// download session ends here; only what the ProfileInstallationResult check needs is kept.
#include "smdpp/smdp.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/euicc/download/bpp_builder.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace st = status;
namespace es10 = euicc::es10;

es9p::GetBoundProfilePackageResponse Smdp::getBoundProfilePackage(const es9p::GetBoundProfilePackageRequest& r) {
    Session s = takeSession(r.transactionId, Session::Stage::Authenticated);
    es10::PrepareDownloadResponse resp;
    try {
        resp = es10::PrepareDownloadResponse::decode(r.prepareDownloadResponse);
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("prepareDownloadResponse: ") + e.what());
    }
    if (!resp.ok)
        throw FunctionFailed(st::kEuiccSignatureInvalid,
                             "the eUICC refused PrepareDownload (downloadErrorCode " + std::to_string(resp.error->code) + ")");
    const auto& ok = *resp.ok;
    Bytes covered = ok.euiccSigned2Raw;
    append(covered, es10::signatureTlv(s.smdpSignature2));
    if (!euicc::rspVerify(s.euiccCertificate->publicKey().get(), covered, ok.euiccSignature2))
        throw FunctionFailed(st::kEuiccSignatureInvalid, "euiccSignature2 does not verify");
    if (ok.euiccSigned2.transactionId != s.transactionId)
        throw FunctionFailed(st::kUnknownTransactionId, "euiccSigned2 carries another transactionId");
    if (s.confirmationCodeHash) {
        // hashCc = SHA-256(SHA-256(CC) || transactionId) (§2.6.7.2 / §5.6.3).
        if (!ok.euiccSigned2.hashCc) throw FunctionFailed(st::kConfirmationCodeMissing, "the Confirmation Code is missing");
        Bytes in = *s.confirmationCodeHash;
        append(in, s.transactionId);
        const Bytes expected = vicc::crypto::digest(vicc::crypto::DigestAlgorithm::Sha256, in);
        if (!vicc::crypto::constantTimeEqual(expected, *ok.euiccSigned2.hashCc))
            throw FunctionFailed(st::kConfirmationCodeRefused, "the Confirmation Code is refused");
    }

    euicc::BppInput in;
    in.transactionId = s.transactionId;
    in.hostId = Bytes(m_config.hostId.begin(), m_config.hostId.end());
    in.eid = s.eid;
    in.euiccOtpk = ok.euiccSigned2.euiccOtpk;
    in.metadata = *s.metadata;
    if (m_config.replaceSessionKeys) in.replaceSessionKeys = euicc::randomProfileProtectionKeys();
    in.upp = s.upp;
    es9p::GetBoundProfilePackageResponse out;
    out.transactionId = s.transactionId;
    try {
        const auto otpk = euicc::EckaKeyPair::generate(m_cred.curve);
        out.boundProfilePackage = euicc::buildBoundProfilePackage(in, otpk, m_cred.dpPbKey.get());
    } catch (const std::invalid_argument& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("euiccSigned2: ") + e.what());
    } catch (const vicc::crypto::CryptoError&) {
        vicc::crypto::clearOpenSslErrors();
        throw FunctionFailed(st::kInvalidRequest, "euiccOtpk is not a point on CERT.DPpb's curve");
    }

    // Single use: what remains is the eUICC certificate for the ProfileInstallationResult.
    s.stage = Session::Stage::Bound;
    s.upp.clear();
    s.upp.shrink_to_fit();
    s.confirmationCodeHash.reset();
    m_sessions.put(std::move(s));  // best effort: a full store just leaves the PIR unverified
    return out;
}

}  // namespace vpcsc::smdpp
