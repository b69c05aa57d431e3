#include "lpa/download.hpp"

#include "common/log.hpp"
#include "common/tlv.hpp"
#include "lpa/output.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/euicc/certs.hpp"

namespace vpcsc::lpa {

namespace es10 = euicc::es10;
namespace es9p = smdpp::es9p;
using vicc::crypto::DigestAlgorithm;

DownloadError::DownloadError(std::string s, const std::string& what) : std::runtime_error(what), step(std::move(s)) {}

Bytes hashConfirmationCode(const std::string& code, ByteView transactionId) {
    Bytes in = vicc::crypto::digest(DigestAlgorithm::Sha256,
                                    ByteView(reinterpret_cast<const std::uint8_t*>(code.data()), code.size()));
    append(in, transactionId);
    return vicc::crypto::digest(DigestAlgorithm::Sha256, in);
}

namespace {

// The value of a TLV the SM-DP+ sends whole (5F37 40 r||s, 04 14 SKI).
Bytes valueOf(ByteView tlvBytes, tlv::Tag tag, const char* what) {
    const tlv::Tlv t = tlv::parseOne(tlvBytes);
    if (t.tag != tag) throw es10::Es10Error(std::string(what) + ": unexpected tag");
    return t.valueBytes();
}

class Session {
public:
    Session(Es10Client& es10, Es9Client& es9) : m_es10(es10), m_es9(es9) {}

    // ES10b CancelSession, then ES9+ cancelSession with its signed answer (SGP.22 §3.1.3 / §5.6.5);
    // not to an SM-DP+ that refused a function itself: it has ended the session already (§3.1.3).
    // Errors here are logged only: the original failure is what the user needs.
    void cancel(DownloadError& e, int reason) {
        if (m_tid.empty()) return;
        try {
            const Bytes bf41 = m_es10.cancelSession(m_tid, reason);
            if (!es10::CancelSessionResponse::decode(bf41).ok) {  // BF41 { 81 code }: nothing signed to forward
                LOG_WARNING("CancelSession: the eUICC answered %s", toHex(bf41, 0).c_str());
                return;
            }
            e.cancelled = true;
            if (!e.es9) m_es9.cancelSession(es9p::CancelSessionRequest{m_tid, bf41});
        } catch (const std::exception& x) {
            LOG_WARNING("cancelling the session: %s", x.what());
        }
    }

    [[noreturn]] void fail(DownloadError e, int reason = kCancelEndUserRejection) {
        cancel(e, reason);
        throw e;
    }

    // Runs one step; anything it throws becomes a DownloadError naming the step (and cancels).
    template <typename F>
    auto step(const char* name, F&& f, int reason = kCancelEndUserRejection) {
        try {
            return f();
        } catch (const DownloadError&) {
            throw;
        } catch (const Es9FunctionError& x) {
            DownloadError e(name, x.what());
            e.es9 = x.status;
            fail(std::move(e), reason);
        } catch (const std::exception& x) {
            fail(DownloadError(name, x.what()), reason);
        }
    }

    DownloadResult run(const DownloadRequest& req);

private:
    Es10Client& m_es10;
    Es9Client& m_es9;
    Bytes m_tid;
};

DownloadResult Session::run(const DownloadRequest& req) {
    DownloadResult out;
    // 1. ES10b GetEUICCChallenge, GetEUICCInfo1.
    const Bytes challenge = step("es10b_get_euicc_challenge", [&] { return m_es10.getEuiccChallenge(); });
    const Bytes info1 = step("es10b_get_euicc_info1", [&] { return m_es10.getEuiccInfo1Raw(); });

    // 2. ES9+ initiateAuthentication (§5.6.1).
    const es9p::InitiateAuthenticationResponse ia = step("es9p_initiate_authentication", [&] {
        return m_es9.initiateAuthentication({challenge, info1, req.smdpAddress});
    });
    m_tid = ia.transactionId;
    LOG_DEBUG("download: transactionId %s", es9p::transactionIdToHex(m_tid).c_str());

    // 3. ES10b AuthenticateServer with ctxParams1 {matchingId, deviceInfo {tac, A1 {}, [imei]}}.
    const Bytes bf38 = step("es10b_authenticate_server", [&] {
        es10::AuthenticateServerRequest as;
        as.serverSigned1Raw = ia.serverSigned1;
        as.serverSignature1 = valueOf(ia.serverSignature1, es10::kTagSignature, "serverSignature1");
        as.euiccCiPkIdToBeUsed = valueOf(ia.euiccCiPkIdToBeUsed, 0x04, "euiccCiPKIdToBeUsed");
        as.serverCertificate = ia.serverCertificate;
        as.ctxParams1.matchingId = req.matchingId;
        as.ctxParams1.deviceInfo.tac = req.tac;
        as.ctxParams1.deviceInfo.imei = req.imei;
        return m_es10.authenticateServer(as);
    });
    if (const auto r = es10::AuthenticateServerResponse::decode(bf38); r.error) {
        DownloadError e("es10b_authenticate_server", "AuthenticateServer failed: error " + std::to_string(r.error->code));
        e.es10Code = r.error->code;
        fail(std::move(e));
    }

    // The Activation Code's SM-DP+ OID against the certificate the eUICC has just verified.
    if (req.smdpOid) {
        const std::string oid = step("es10b_authenticate_server", [&] {
            return euicc::registeredId(vicc::crypto::Certificate::fromDer(ia.serverCertificate));
        });
        if (oid != *req.smdpOid)
            fail(DownloadError("es10b_authenticate_server", "CERT.DPauth names SM-DP+ OID " + (oid.empty() ? "(none)" : oid) +
                                                                ", the activation code " + *req.smdpOid),
                 kCancelUndefinedReason);
    }

    // 4. ES9+ authenticateClient (§5.6.3).
    const es9p::AuthenticateClientResponse ac = step("es9p_authenticate_client", [&] {
        return m_es9.authenticateClient({m_tid, bf38});
    });
    out.metadata = step("es9p_authenticate_client", [&] { return es10::StoreMetadata::decode(ac.profileMetadata); });
    const es10::SmdpSigned2 signed2 = step("es9p_authenticate_client", [&] { return es10::SmdpSigned2::decode(ac.smdpSigned2); });
    if (signed2.ccRequiredFlag && !req.confirmationCode)
        fail(DownloadError("es10b_prepare_download", "the SM-DP+ requires a confirmation code (-c)"));

    // 5. ES10b PrepareDownload (§5.7.5), hashCc when a confirmation code is given.
    const Bytes bf21 = step("es10b_prepare_download", [&] {
        es10::PrepareDownloadRequest pd;
        pd.smdpSigned2Raw = ac.smdpSigned2;
        pd.smdpSignature2 = valueOf(ac.smdpSignature2, es10::kTagSignature, "smdpSignature2");
        if (req.confirmationCode) pd.hashCc = hashConfirmationCode(*req.confirmationCode, m_tid);
        pd.smdpCertificate = ac.smdpCertificate;
        return m_es10.prepareDownload(pd);
    });
    if (const auto r = es10::PrepareDownloadResponse::decode(bf21); r.error) {
        DownloadError e("es10b_prepare_download", "PrepareDownload failed: error " + std::to_string(r.error->code));
        e.es10Code = r.error->code;
        fail(std::move(e));
    }

    // 6. ES9+ getBoundProfilePackage (§5.6.2).
    const es9p::GetBoundProfilePackageResponse bpp = step("es9p_get_bound_profile_package", [&] {
        return m_es9.getBoundProfilePackage({m_tid, bf21});
    });

    // 7. ES10b LoadBoundProfilePackage, segment by segment; BF37 ends it.
    out.profileInstallationResult = step("es10b_load_bound_profile_package",
                                         [&] { return m_es10.loadBoundProfilePackage(bpp.boundProfilePackage); },
                                         kCancelLoadBppExecutionError);
    out.result = step("es10b_load_bound_profile_package",
                      [&] { return es10::ProfileInstallationResult::decode(out.profileInstallationResult); },
                      kCancelLoadBppExecutionError);
    out.transactionId = m_tid;
    if (!out.result.data.success) {
        // The eUICC ended its session with a signed error result (queued as a notification);
        // there is nothing left to cancel on either side.
        DownloadError e("es10b_load_bound_profile_package",
                        std::string("the eUICC refused the profile: ") + bppCommandIdName(out.result.data.error->bppCommandId) +
                            ", " + errorReasonName(out.result.data.error->errorReason));
        e.installResult = out.result;
        throw e;
    }
    return out;
}

}  // namespace

DownloadResult downloadProfile(Es10Client& es10, Es9Client& es9, const DownloadRequest& request) {
    if (request.smdpAddress.empty()) throw std::invalid_argument("no SM-DP+ address");
    if (request.tac.size() != 4) throw std::invalid_argument("TAC must be 4 bytes");
    if (request.imei && request.imei->size() != 8) throw std::invalid_argument("IMEI must be 8 bytes (BCD)");
    Session s(es10, es9);
    return s.run(request);
}

}  // namespace vpcsc::lpa
