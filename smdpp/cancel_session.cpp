// ES9+.CancelSession (SGP.22 v2.5 §5.6.5, §3.1.3 / §2.6.7.3): the eUICC's signed
// CancelSessionResponse ends the download. Verified with the session's CERT.EUICC, the signed
// transactionId and smdpOid (our CERT.DPauth registeredID). Whatever the outcome the session is gone.
#include <openssl/objects.h>

#include "common/tlv.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace st = status;

namespace {

constexpr tlv::Tag kTagCancelSession = 0xBF41;

// The content octets of an OBJECT IDENTIFIER in dotted form (X.690 §8.19).
Bytes oidContent(const std::string& dotted) {
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(dotted.c_str(), 1), ASN1_OBJECT_free);
    if (!obj) vicc::crypto::throwOpenSsl("OBJ_txt2obj");
    const int len = i2d_ASN1_OBJECT(obj.get(), nullptr);
    if (len <= 2) vicc::crypto::throwOpenSsl("i2d_ASN1_OBJECT");
    Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_ASN1_OBJECT(obj.get(), &p);
    std::size_t off = 0;
    tlv::readTag(der, off);
    tlv::readLength(der, off);
    return Bytes(der.begin() + static_cast<std::ptrdiff_t>(off), der.end());
}

}  // namespace

void Smdp::cancelSession(const es9p::CancelSessionRequest& r) {
    auto taken = m_sessions.take(r.transactionId);
    if (!taken) throw FunctionFailed(st::kUnknownTransactionId, "the RSP session identified by the transactionId is unknown");
    const Session s = std::move(*taken);
    // CancelSessionResponse ::= [65] CHOICE { A0 { 30 euiccCancelSessionSigned, 5F37 sig }, 81 error }.
    std::optional<tlv::Tlv> signedPart, sig;
    try {
        const tlv::Tlv t = tlv::parseOne(r.cancelSessionResponse);
        if (t.tag != kTagCancelSession) throw ParseError("not BF41");
        if (t.find(0x81)) throw FunctionFailed(st::kEuiccSignatureInvalid, "the eUICC answered CancelSession with an error");
        const auto ok = t.find(0xA0);
        if (!ok) throw ParseError("neither A0 nor 81");
        signedPart = ok->find(0x30);
        sig = ok->find(euicc::es10::kTagSignature);
        if (!signedPart || !sig) throw ParseError("A0 lacks euiccCancelSessionSigned or its signature");
        const auto tid = signedPart->find(0x80);
        const auto oid = signedPart->find(0x81);
        if (!tid || !oid || !signedPart->find(0x82)) throw ParseError("euiccCancelSessionSigned lacks a field");
        if (!s.euiccCertificate)
            throw FunctionFailed(st::kEuiccSignatureInvalid, "no CERT.EUICC is known for this session yet");
        if (!euicc::rspVerify(s.euiccCertificate->publicKey().get(), signedPart->raw, sig->value))
            throw FunctionFailed(st::kEuiccSignatureInvalid, "euiccCancelSessionSignature does not verify");
        if (tid->valueBytes() != s.transactionId)
            throw FunctionFailed(st::kUnknownTransactionId, "euiccCancelSessionSigned carries another transactionId");
        if (oid->valueBytes() != oidContent(m_cred.smdpOid))
            throw FunctionFailed(st::kInvalidSmdpOid, "smdpOid is not this SM-DP+'s");
    } catch (const ParseError& e) {
        throw FunctionFailed(st::kInvalidRequest, std::string("cancelSessionResponse: ") + e.what());
    }
}

}  // namespace vpcsc::smdpp
