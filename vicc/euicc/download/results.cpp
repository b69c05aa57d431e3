// Codecs of the download results (results.hpp), over common/tlv.
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/der_fields.hpp"

#include <stdexcept>

namespace vpcsc::euicc::es10 {
namespace {

using namespace der;

void checkTid(const Bytes& tid, const char* what) {
    if (tid.empty() || tid.size() > 16) throw std::invalid_argument(std::string(what) + ": transactionId must be 1-16 bytes");
}

}  // namespace

Bytes oidContent(const std::string& dotted) {
    std::vector<std::uint64_t> arcs;
    std::uint64_t cur = 0;
    bool digit = false;
    for (const char c : dotted + ".") {
        if (c == '.') {
            if (!digit) throw std::invalid_argument("OID: empty arc in '" + dotted + "'");
            arcs.push_back(cur);
            cur = 0;
            digit = false;
        } else if (c >= '0' && c <= '9' && cur < (UINT64_MAX - 9) / 10) {
            cur = cur * 10 + static_cast<std::uint64_t>(c - '0');
            digit = true;
        } else {
            throw std::invalid_argument("OID: bad character or arc in '" + dotted + "'");
        }
    }
    if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs[1] > UINT64_MAX - 80)
        throw std::invalid_argument("OID: bad first arcs in '" + dotted + "'");
    arcs[1] += arcs[0] * 40;  // X.690 §8.19.4
    Bytes out;
    for (std::size_t i = 1; i < arcs.size(); ++i) {
        Bytes sub{static_cast<std::uint8_t>(arcs[i] & 0x7F)};
        for (std::uint64_t v = arcs[i] >> 7; v; v >>= 7) sub.insert(sub.begin(), static_cast<std::uint8_t>(0x80 | (v & 0x7F)));
        append(out, sub);
    }
    return out;
}

std::string oidText(ByteView content) {
    if (content.empty() || (content.back() & 0x80)) bad("OID: empty or truncated");
    std::string out;
    std::uint64_t v = 0;
    bool first = true, start = true;
    for (const std::uint8_t b : content) {
        if (start && b == 0x80) bad("OID: non-minimal subidentifier");
        if (v > (UINT64_MAX >> 7)) bad("OID: subidentifier too large");
        v = v << 7 | (b & 0x7F);
        start = !(b & 0x80);
        if (b & 0x80) continue;
        if (first) {
            const std::uint64_t a = v < 80 ? v / 40 : 2;
            out = std::to_string(a) + "." + std::to_string(v - a * 40);
            first = false;
        } else {
            out += "." + std::to_string(v);
        }
        v = 0;
    }
    return out;
}

// ---- NotificationMetadata ----------------------------------------------------------------------------

Bytes NotificationMetadata::encode() const {
    Builder b;
    b.add(0x80, encodeInteger(seqNumber)).add(0x81, operation).add(0x0C, view(notificationAddress));
    if (iccid) b.add(0x5A, *iccid);
    return b.wrap(kTagNotificationMetadata);
}

NotificationMetadata NotificationMetadata::decode(ByteView in) {
    const Tlv t = one(in, kTagNotificationMetadata, "NotificationMetadata");
    Fields f(t.value, "NotificationMetadata");
    NotificationMetadata r;
    const std::int64_t seq = integer(f.need(0x80, "seqNumber"), "seqNumber");
    if (seq < 0 || seq > UINT32_MAX) bad("NotificationMetadata: seqNumber out of range");
    r.seqNumber = static_cast<std::uint32_t>(seq);
    r.operation = sized(f.need(0x81, "profileManagementOperation"), 2, 2, "profileManagementOperation");
    if (r.operation[0] > 7) bad("NotificationMetadata: bad BIT STRING");
    const Tlv addr = f.need(0x0C, "notificationAddress");
    r.notificationAddress.assign(addr.value.begin(), addr.value.end());
    if (auto x = f.opt(0x5A)) r.iccid = sized(*x, 10, 10, "NotificationMetadata iccid");
    return r;
}

// ---- ProfileInstallationResult --------------------------------------------------------------------

Bytes ProfileInstallationResultData::encode() const {
    checkTid(transactionId, "ProfileInstallationResultData");
    Builder b;
    b.add(0x80, transactionId).addRaw(notificationMetadata.encode());
    if (smdpOid) b.add(0x06, *smdpOid);
    if (success && !error) {
        b.add(0xA2, Builder().add(0xA0, Builder().add(0x4F, success->isdpAid).add(0x04, success->simaResponse)));
    } else if (error && !success) {
        Builder e;
        e.add(0x80, encodeInteger(error->bppCommandId)).add(0x81, encodeInteger(error->errorReason));
        if (error->simaResponse) e.add(0x04, *error->simaResponse);
        b.add(0xA2, Builder().add(0xA1, e));
    } else {
        throw std::invalid_argument("ProfileInstallationResultData: exactly one of success/error");
    }
    return b.wrap(kTagProfileInstallationResultData);
}

ProfileInstallationResultData ProfileInstallationResultData::decode(ByteView in) {
    const Tlv t = one(in, kTagProfileInstallationResultData, "ProfileInstallationResultData");
    Fields f(t.value, "ProfileInstallationResultData");
    ProfileInstallationResultData r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "ProfileInstallationResultData transactionId");
    r.notificationMetadata = NotificationMetadata::decode(f.need(kTagNotificationMetadata, "notificationMetadata").raw);
    if (auto x = f.opt(0x06)) {
        oidText(x->value);  // well-formed
        r.smdpOid = x->valueBytes();
    }
    const Tlv fin = f.need(0xA2, "finalResult");
    Fields choice(fin.value, "finalResult");
    if (auto a0 = choice.opt(0xA0)) {
        Fields s(a0->value, "successResult");
        r.success = Success{sized(s.need(0x4F, "aid"), 5, 16, "successResult aid"), s.need(0x04, "simaResponse").valueBytes()};
    } else if (auto a1 = choice.opt(0xA1)) {
        Fields e(a1->value, "errorResult");
        Error err;
        err.bppCommandId = integer(e.need(0x80, "bppCommandId"), "bppCommandId");
        err.errorReason = integer(e.need(0x81, "errorReason"), "errorReason");
        if (auto x = e.opt(0x04)) err.simaResponse = x->valueBytes();
        r.error = std::move(err);
    } else {
        bad("finalResult: neither successResult nor errorResult");
    }
    if (!choice.atEnd()) bad("finalResult: more than one choice");
    return r;
}

Bytes ProfileInstallationResult::encode() const {
    return Builder().addRaw(dataRaw.empty() ? data.encode() : dataRaw).add(kTagSignature, euiccSignPir).wrap(kTagProfileInstallationResult);
}

ProfileInstallationResult ProfileInstallationResult::decode(ByteView in) {
    const Tlv t = one(in, kTagProfileInstallationResult, "ProfileInstallationResult");
    Fields f(t.value, "ProfileInstallationResult");
    ProfileInstallationResult r;
    const Tlv d = f.need(kTagProfileInstallationResultData, "profileInstallationResultData");
    r.dataRaw = Bytes(d.raw.begin(), d.raw.end());
    r.data = ProfileInstallationResultData::decode(d.raw);
    r.euiccSignPir = sized(f.need(kTagSignature, "euiccSignPIR"), 64, 64, "euiccSignPIR");
    return r;
}

// ---- CancelSession ------------------------------------------------------------------------------

Bytes CancelSessionRequest::encode() const {
    checkTid(transactionId, "CancelSessionRequest");
    return Builder().add(0x80, transactionId).add(0x81, encodeInteger(reason)).wrap(kTagCancelSession);
}

CancelSessionRequest CancelSessionRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagCancelSession, "CancelSessionRequest");
    Fields f(t.value, "CancelSessionRequest");
    CancelSessionRequest r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "CancelSessionRequest transactionId");
    r.reason = integer(f.need(0x81, "reason"), "CancelSessionRequest reason");
    return r;
}

Bytes EuiccCancelSessionSigned::encode() const {
    checkTid(transactionId, "EuiccCancelSessionSigned");
    return Builder().add(0x80, transactionId).add(0x81, smdpOid).add(0x82, encodeInteger(reason)).wrap(0x30);
}

EuiccCancelSessionSigned EuiccCancelSessionSigned::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "euiccCancelSessionSigned");
    Fields f(t.value, "euiccCancelSessionSigned");
    EuiccCancelSessionSigned r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "euiccCancelSessionSigned transactionId");
    const Tlv oid = f.need(0x81, "smdpOid");
    oidText(oid.value);
    r.smdpOid = oid.valueBytes();
    r.reason = integer(f.need(0x82, "reason"), "euiccCancelSessionSigned reason");
    return r;
}

Bytes CancelSessionResponse::encode() const {
    if (ok && !error) {
        return Builder()
            .add(0xA0, Builder().addRaw(ok->signedRaw.empty() ? ok->signedPart.encode() : ok->signedRaw).add(kTagSignature, ok->signature))
            .wrap(kTagCancelSession);
    }
    if (error && !ok) return Builder().add(0x81, encodeInteger(*error)).wrap(kTagCancelSession);
    throw std::invalid_argument("CancelSessionResponse: exactly one of ok/error");
}

CancelSessionResponse CancelSessionResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagCancelSession, "CancelSessionResponse");
    Fields choice(t.value, "CancelSessionResponse");
    CancelSessionResponse r;
    if (auto a0 = choice.opt(0xA0)) {
        Fields f(a0->value, "cancelSessionResponseOk");
        Ok ok;
        const Tlv s = f.need(0x30, "euiccCancelSessionSigned");
        ok.signedRaw = Bytes(s.raw.begin(), s.raw.end());
        ok.signedPart = EuiccCancelSessionSigned::decode(s.raw);
        ok.signature = sized(f.need(kTagSignature, "euiccCancelSessionSignature"), 64, 64, "euiccCancelSessionSignature");
        r.ok = std::move(ok);
    } else if (auto e = choice.opt(0x81)) {
        r.error = integer(*e, "cancelSessionResponseError");
    } else {
        bad("CancelSessionResponse: neither A0 nor 81");
    }
    if (!choice.atEnd()) bad("CancelSessionResponse: more than one choice");
    return r;
}

}  // namespace vpcsc::euicc::es10
