// The download tests' two ends: the SM-DP+ played with the build tree's test PKI (DPauth/DPpb keys,
// the BPP builder), and the eUICC reached either through EuiccCard APDUs as lpac sends them
// (STORE DATA blocks of 120 bytes, 61xx + GET RESPONSE) or through Download directly, where the
// ProfileStore can be inspected.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/sw.hpp"
#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/download/bpp_builder.hpp"
#include "vicc/euicc/download/download.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc::test {

inline std::string pkiDir(const std::string& curve) { return std::string(VPCSC_EUICC_PKI_DIR) + "/" + curve; }

// A TS.48 UPP: $VPCSC_TS48_DIR, else the shared data directory; nullopt when absent (SKIP).
inline std::optional<Bytes> ts48(const std::string& name) {
    const char* env = std::getenv("VPCSC_TS48_DIR");
    const std::string path = std::string(env && *env ? env : VPCSC_TS48_DEFAULT_DIR) + "/" + name;
    if (!std::filesystem::exists(path)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The ICCID of a UPP as StoreMetadata carries it (EF.ICCID's nibble order), what the SM-DP+ sends.
inline Bytes uppIccid(ByteView upp) { return saip::iccidOf(upp); }

// One ES10 command in, its response data and status word out.
class Target {
public:
    virtual ~Target() = default;
    virtual Bytes es10(ByteView command, std::uint16_t& sw) = 0;
    // The response of a command that must succeed (90 00).
    Bytes ok(ByteView command) {
        std::uint16_t sw = 0;
        Bytes r = es10(command, sw);
        if (sw != 0x9000) throw std::runtime_error("ES10 command answered " + toHex(Bytes{std::uint8_t(sw >> 8), std::uint8_t(sw)}, 0));
        return r;
    }
};

// EuiccCard on logical channel 1, exactly as lpac drives it.
class CardTarget : public Target {
public:
    explicit CardTarget(const std::string& curve) : card(EuiccIdentity::fromPkiDirectory(pkiDir(curve))) {
        card.powerOn();
        card.process(h("80AA00000AA9088100820101830107"));
        if (hx(card.process(h("0070000001"))) != "019000") throw std::runtime_error("MANAGE CHANNEL");
        const Bytes sel = card.process(h("01A4040010A0000005591010FFFFFFFF8900000100"));
        if (sel.size() != 2 || sel[0] != 0x61) throw std::runtime_error("SELECT ISD-R");
    }
    Bytes es10(ByteView cmd, std::uint16_t& sw) override {
        constexpr std::size_t mss = 120;
        Bytes r;
        std::uint8_t block = 0;
        for (std::size_t off = 0; off < cmd.size(); off += mss, ++block) {
            const std::size_t n = std::min(mss, cmd.size() - off);
            const bool last = off + n == cmd.size();
            Bytes apdu{0x81, 0xE2, static_cast<std::uint8_t>(last ? 0x91 : 0x11), block, static_cast<std::uint8_t>(n)};
            append(apdu, cmd.subspan(off, n));
            r = card.process(apdu);
            if (!last && hx(r) != "9000") break;
        }
        Bytes data;
        while (r.size() == 2 && r[0] == 0x61) {
            r = card.process(Bytes{0x81, 0xC0, 0x00, 0x00, r[1]});
            data.insert(data.end(), r.begin(), r.end() - 2);
            r.erase(r.begin(), r.end() - 2);
        }
        sw = static_cast<std::uint16_t>(r.at(r.size() - 2) << 8 | r.back());
        data.insert(data.end(), r.begin(), r.end() - 2);
        return data;
    }
    EuiccCard card;
};

// Download itself with a ProfileStore the test can look into; errors mapped as the card maps them.
class DirectTarget : public Target {
public:
    explicit DirectTarget(const std::string& curve)
        : id(EuiccIdentity::fromPkiDirectory(pkiDir(curve))), info2(EuiccCard(id).euiccInfo2()), download(id, store) {}
    Bytes es10(ByteView cmd, std::uint16_t& sw) override {
        sw = 0x9000;
        try {
            if (Download::isBppSegment(cmd)) return download.loadBoundProfilePackage(cmd);
            switch (es10::commandTag(cmd)) {
            case es10::kTagGetEuiccChallenge: return download.getEuiccChallenge();
            case es10::kTagAuthenticateServer: return download.authenticateServer(cmd, info2);
            case es10::kTagPrepareDownload: return download.prepareDownload(cmd);
            case es10::kTagCancelSession: return download.cancelSession(cmd);
            default: sw = sw::kReferencedDataNotFound; return {};
            }
        } catch (const SwError& e) {
            sw = e.sw;
        } catch (const ParseError&) {
            sw = sw::kIncorrectDataField;
        }
        return {};
    }
    EuiccIdentity id;
    es10::EuiccInfo2 info2;
    ProfileStore store;
    Download download;
};

inline std::unique_ptr<Target> makeTarget(bool direct, const std::string& curve) {
    if (direct) return std::make_unique<DirectTarget>(curve);
    return std::make_unique<CardTarget>(curve);
}

// A copy of `cert` re-signed by the curve's CI after `edit` changed it (expired, other OID, ...).
template <class Edit>
Bytes reissued(const std::string& curve, const Bytes& certDer, Edit edit) {
    const auto c = vicc::crypto::Certificate::fromDer(certDer);
    vicc::crypto::X509Ptr x(X509_dup(c.get()));
    edit(x.get());
    const auto ciKey = loadPrivateKeyPem(pkiText(curve, "ci.key"));
    if (X509_sign(x.get(), ciKey.get(), EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
    return vicc::crypto::Certificate(std::move(x)).toDer();
}

// The SM-DP+ end of one download session (what vicc-smdpp does over ES9+), test PKI of one curve.
struct Smdp {
    std::string curve;
    RspCurve rspCurve;
    vicc::crypto::PkeyPtr dpauthKey, dppbKey;
    Bytes dpauthCert, dppbCert;
    Bytes transactionId = h("0123456789ABCDEF0123456789ABCDEF");
    std::string address = "127.0.0.1:8443";
    Bytes hostId = h("6D61686C7A656974");

    explicit Smdp(const std::string& c)
        : curve(c), rspCurve(c == "nist" ? RspCurve::NistP256 : RspCurve::BrainpoolP256r1),
          dpauthKey(loadPrivateKeyPem(pkiText(c, "dpauth.key"))), dppbKey(loadPrivateKeyPem(pkiText(c, "dppb.key"))),
          dpauthCert(pkiFile(c, "dpauth.der")), dppbCert(pkiFile(c, "dppb.der")) {}

    Bytes ciSki() const { return subjectKeyId(vicc::crypto::Certificate::fromDer(pkiFile(curve, "ci.der"))); }

    // initiateAuthentication's answer plus lpac's ctxParams1.
    es10::AuthenticateServerRequest authenticateServer(ByteView euiccChallenge, const std::string& matchingId = "DEMO") const {
        es10::AuthenticateServerRequest r;
        r.serverSigned1 = {transactionId, Bytes(euiccChallenge.begin(), euiccChallenge.end()), address,
                           h("000102030405060708090A0B0C0D0E0F")};
        r.serverSigned1Raw = r.serverSigned1.encode();
        r.serverSignature1 = rspSign(dpauthKey.get(), r.serverSigned1Raw);
        r.euiccCiPkIdToBeUsed = ciSki();
        r.serverCertificate = dpauthCert;
        r.ctxParams1.matchingId = matchingId;
        r.ctxParams1.deviceInfo.tac = h("35290611");
        r.ctxParams1Raw = r.ctxParams1.encode();
        return r;
    }

    // authenticateClient's answer as lpac turns it into PrepareDownload.
    es10::PrepareDownloadRequest prepareDownload(ByteView euiccSignature1, std::optional<Bytes> bppEuiccOtpk = std::nullopt,
                                                 bool ccRequired = false, std::optional<Bytes> hashCc = std::nullopt) const {
        es10::PrepareDownloadRequest r;
        r.smdpSigned2 = {transactionId, ccRequired, std::move(bppEuiccOtpk)};
        r.smdpSigned2Raw = r.smdpSigned2.encode();
        Bytes toSign = r.smdpSigned2Raw;
        append(toSign, es10::signatureTlv(euiccSignature1));
        r.smdpSignature2 = rspSign(dppbKey.get(), toSign);
        r.hashCc = std::move(hashCc);
        r.smdpCertificate = dppbCert;
        return r;
    }

    // getBoundProfilePackage's answer, cut as lpac cuts it.
    std::vector<Bytes> bpp(ByteView euiccOtpk, ByteView upp, const es10::StoreMetadata& md,
                           bool replaceSessionKeys = false) const {
        BppInput in;
        in.transactionId = transactionId;
        in.hostId = hostId;
        in.eid = h(*eidOf(vicc::crypto::Certificate::fromDer(pkiFile(curve, "euicc.der"))));
        in.euiccOtpk = Bytes(euiccOtpk.begin(), euiccOtpk.end());
        in.metadata = md;
        if (replaceSessionKeys) in.replaceSessionKeys = randomProfileProtectionKeys();
        in.upp = Bytes(upp.begin(), upp.end());
        return es10::segmentBoundProfilePackage(buildBoundProfilePackage(in, EckaKeyPair::generate(rspCurve), dppbKey.get()));
    }
};

inline es10::StoreMetadata metadataFor(ByteView iccid, const std::string& name = "TS.48 test") {
    es10::StoreMetadata md;
    md.iccid = Bytes(iccid.begin(), iccid.end());
    md.serviceProviderName = "vpcsc";
    md.profileName = name;
    md.profileClass = 0;
    return md;
}

// A session up to PrepareDownload on `t`: what the eUICC answered.
struct Prepared {
    es10::PrepareDownloadRequest request;  // what the SM-DP+ signed (smdpSignature2)
    es10::AuthenticateServerResponse auth;
    es10::PrepareDownloadResponse prep;
};

inline Prepared prepare(Target& t, const Smdp& dp) {
    Prepared p;
    const Bytes challenge = es10::decodeEuiccChallengeResponse(t.ok(h("BF2E00")));
    p.auth = es10::AuthenticateServerResponse::decode(t.ok(dp.authenticateServer(challenge).encode()));
    if (!p.auth.ok) throw std::runtime_error("AuthenticateServer failed");
    p.request = dp.prepareDownload(p.auth.ok->euiccSignature1);
    p.prep = es10::PrepareDownloadResponse::decode(t.ok(p.request.encode()));
    if (!p.prep.ok) throw std::runtime_error("PrepareDownload failed");
    return p;
}

// Sends segments; returns the index of the first that answered data (or segs.size()) and that data.
inline std::pair<std::size_t, Bytes> load(Target& t, const std::vector<Bytes>& segs) {
    for (std::size_t i = 0; i < segs.size(); ++i) {
        Bytes r = t.ok(segs[i]);
        if (!r.empty()) return {i, std::move(r)};
    }
    return {segs.size(), {}};
}

}  // namespace vpcsc::euicc::test
