// ES9+.HandleNotification (SGP.22 v2.5 §5.6.4, §3.5): a ProfileInstallationResult (BF37, signed
// over its BF27 data with SK.EUICC; verified with the certificate of the download session it
// reports on) or an OtherSignedNotification (30 { BF2F, 5F37, CERT.EUICC, CERT.EUM }; verified
// through the chain to our CI). The answer is always HTTP 204: what was seen goes to the log.
#include "common/tlv.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace es10 = euicc::es10;

namespace {

// NotificationEvent (§5.7.9): the BIT STRING's first content byte, one bit per operation.
std::string eventName(const Bytes& operation) {
    if (operation.size() < 2) return "?";
    const std::uint8_t b = operation[1];
    if (b & 0x80) return "install";
    if (b & 0x40) return "enable";
    if (b & 0x20) return "disable";
    if (b & 0x10) return "delete";
    return "?";
}

std::string metadataText(const es10::NotificationMetadata& m) {
    std::string out = "seq=" + std::to_string(m.seqNumber) + " event=" + eventName(m.operation);
    if (m.iccid) out += " iccid=" + toHex(*m.iccid, 0);
    return out;
}

}  // namespace

NotificationSummary Smdp::handleNotification(const es9p::HandleNotificationRequest& r) {
    NotificationSummary sum;
    try {
        const tlv::Tlv t = tlv::parseOne(r.pendingNotification);
        if (t.tag == es10::kTagProfileInstallationResult) {
            sum.kind = "install-result";
            const auto pir = es10::ProfileInstallationResult::decode(r.pendingNotification);
            sum.detail = metadataText(pir.data.notificationMetadata);
            if (pir.data.success) sum.detail += " result=success";
            if (pir.data.error)
                sum.detail += " result=error bppCommandId=" + std::to_string(pir.data.error->bppCommandId) +
                              " errorReason=" + std::to_string(pir.data.error->errorReason);
            sum.transactionId = pir.data.transactionId;
            auto s = m_sessions.take(pir.data.transactionId);
            if (s && s->stage != Session::Stage::Bound) {
                m_sessions.put(std::move(*s));  // a download in progress is not this notification's to end
                s.reset();
            }
            if (!s) {
                sum.detail += " (no download session to verify it with)";
                return sum;
            }
            sum.verified = euicc::rspVerify(s->euiccCertificate->publicKey().get(), pir.dataRaw, pir.euiccSignPir);
            if (!sum.verified) sum.detail += " (euiccSignPIR does not verify)";
            return sum;
        }
        if (t.tag == 0x30) {
            sum.kind = "other";
            // OtherSignedNotification ::= SEQUENCE { tbsOtherNotification BF2F, euiccNotificationSignature
            // 5F37, euiccCertificate, eumCertificate } (§5.7.9).
            const auto parts = tlv::parseAll(t.value);
            if (parts.size() < 4 || parts[0].tag != es10::kTagNotificationMetadata || parts[1].tag != es10::kTagSignature ||
                parts[2].tag != 0x30 || parts[3].tag != 0x30) {
                sum.detail = "malformed OtherSignedNotification";
                return sum;
            }
            sum.detail = metadataText(es10::NotificationMetadata::decode(parts[0].raw));
            try {
                const auto eum = vicc::crypto::Certificate::fromDer(parts[3].raw);
                const auto euiccCert = verifyEuiccChain(parts[2].raw, parts[3].raw, euicc::authorityKeyId(eum));
                sum.verified = euicc::rspVerify(euiccCert.publicKey().get(), parts[0].raw, parts[1].value);
                if (!sum.verified) sum.detail += " (euiccNotificationSignature does not verify)";
            } catch (const FunctionFailed& e) {
                sum.detail += std::string(" (") + e.what() + ")";
            } catch (const vicc::crypto::CryptoError&) {
                vicc::crypto::clearOpenSslErrors();
                sum.detail += " (CERT.EUM is not a DER certificate)";
            }
            return sum;
        }
        sum.kind = "unknown";
        sum.detail = "neither a ProfileInstallationResult nor an OtherSignedNotification";
    } catch (const ParseError& e) {
        if (sum.kind.empty()) sum.kind = "unknown";
        sum.detail = std::string("malformed: ") + e.what();
    }
    return sum;
}

}  // namespace vpcsc::smdpp
