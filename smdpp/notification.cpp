// ES9+.HandleNotification (SGP.22 v2.5 §5.6.4, §3.5): a ProfileInstallationResult (BF37, signed
// over its BF27 data with SK.EUICC; verified with the certificate of the download session it
// reports on) or an OtherSignedNotification (30 { BF2F, 5F37, CERT.EUICC, CERT.EUM }; verified
// through the chain to our CI). The answer is always HTTP 204: what was seen goes to the log.
#include "common/tlv.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace es10 = euicc::es10;

namespace {

std::string eventName(const tlv::Tlv& meta) {
    const auto ev = meta.find(0x81);  // NotificationEvent BIT STRING
    if (!ev || ev->value.size() < 2) return "?";
    const std::uint8_t b = ev->value[1];
    if (b & 0x80) return "install";
    if (b & 0x40) return "enable";
    if (b & 0x20) return "disable";
    if (b & 0x10) return "delete";
    return "?";
}

std::string metadataText(const tlv::Tlv& meta) {
    std::string out;
    if (auto seq = meta.find(0x80)) {
        unsigned long n = 0;
        for (auto b : seq->value) n = (n << 8) | b;
        out += "seq=" + std::to_string(seq->value.size() <= 4 ? n : 0) + " ";
    }
    out += "event=" + eventName(meta);
    if (auto iccid = meta.find(0x5A)) out += " iccid=" + toHex(iccid->value, 0);
    return out;
}

}  // namespace

NotificationSummary Smdp::handleNotification(const es9p::HandleNotificationRequest& r) {
    NotificationSummary sum;
    try {
        const tlv::Tlv t = tlv::parseOne(r.pendingNotification);
        if (t.tag == es10::kTagProfileInstallationResult) {
            sum.kind = "install-result";
            const auto data = t.find(es10::kTagProfileInstallationResultData);
            const auto sig = t.find(es10::kTagSignature);
            if (!data || !sig) {
                sum.detail = "malformed ProfileInstallationResult";
                return sum;
            }
            const auto tid = data->find(0x80);
            const auto meta = data->find(es10::kTagNotificationMetadata);
            const auto result = data->find(0xA2);
            if (meta) sum.detail = metadataText(*meta);
            if (result) sum.detail += result->find(0xA0) ? " result=success" : " result=error";
            if (!tid) return sum;
            sum.transactionId = tid->valueBytes();
            auto s = m_sessions.take(tid->value);
            if (s && s->stage != Session::Stage::Bound) {
                m_sessions.put(std::move(*s));  // a download in progress is not this notification's to end
                s.reset();
            }
            if (!s) {
                sum.detail += " (no download session to verify it with)";
                return sum;
            }
            sum.verified = euicc::rspVerify(s->euiccCertificate->publicKey().get(), data->raw, sig->value);
            if (!sum.verified) sum.detail += " (euiccSignPIR does not verify)";
            return sum;
        }
        if (t.tag == 0x30) {
            sum.kind = "other";
            const auto parts = tlv::parseAll(t.value);
            if (parts.size() < 4 || parts[0].tag != es10::kTagNotificationMetadata || parts[1].tag != es10::kTagSignature ||
                parts[2].tag != 0x30 || parts[3].tag != 0x30) {
                sum.detail = "malformed OtherSignedNotification";
                return sum;
            }
            sum.detail = metadataText(parts[0]);
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
        sum.kind = "unknown";
        sum.detail = std::string("malformed: ") + e.what();
    }
    return sum;
}

}  // namespace vpcsc::smdpp
