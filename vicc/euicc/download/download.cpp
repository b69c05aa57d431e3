// The download session on the eUICC (download.hpp): AuthenticateServer (§5.7.13), PrepareDownload
// (§5.7.5), LoadBoundProfilePackage (§5.7.6, §2.5.5) and CancelSession (§5.7.14).
#include "vicc/euicc/download/download.hpp"

#include <algorithm>

#include <openssl/evp.h>

#include "common/sw.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc {

namespace {

// AuthenticateErrorCode (§5.7.13) and DownloadErrorCode (§5.7.5).
constexpr std::int64_t kInvalidCertificate = 1, kInvalidSignature = 2, kUnsupportedCurve = 3, kNoSessionContext = 4,
                       kInvalidOid = 5, kEuiccChallengeMismatch = 6, kCiPkUnknown = 7, kUndefinedError = 127;
constexpr std::int64_t kDownloadInvalidTransactionId = 5;
// CancelSessionResponseError (§5.7.14).
constexpr std::int64_t kCancelInvalidTransactionId = 5, kCancelUndefinedError = 127;

using Cmd = es10::BppCommandId;
using Why = es10::InstallErrorReason;

// The UPP a session may load (the BPP's own bound): beyond it installFailedDueToInsufficientMemory.
constexpr std::size_t kMaxUpp = 1u << 20;
// SAIP EUICCResponse for a fully processed package: peStatus { PEStatus { status ok(0) } }.
const Bytes kSimaResponseOk = fromHex("3007A0053003800100");

std::optional<RspCurve> curveOf(EVP_PKEY* key) {
    char name[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) != 1) return std::nullopt;
    const std::string n(name, len);
    if (n == "prime256v1" || n == "P-256" || n == "secp256r1") return RspCurve::NistP256;
    if (n == "brainpoolP256r1") return RspCurve::BrainpoolP256r1;
    return std::nullopt;
}

bool matchingIdAcceptable(const std::string& id) {
    // Activation Code Matching ID (SGP.22 §4.1): printable, no separator '$', at most 255 characters.
    if (id.size() > 255) return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7F && c != '$'; });
}

}  // namespace

// A BPP step that failed: its BppCommandId and ErrorReason (§5.7.6).
struct Download::Failure {
    Cmd command;
    Why reason;
};

struct Download::Session {
    Bytes transactionId;
    std::string serverAddress;  // serverSigned1's: the install notification goes there
    std::size_t ci = 0;         // the CI AuthenticateServer used (index into m_id.trustedCis)
    std::string smdpOidText;    // CERT.DPauth's SM-DP+ OID (SAN registeredID)
    Bytes smdpOid;              // the same, OID content octets
    Bytes euiccSignature1;

    // PrepareDownload done: the session may load a BPP.
    bool prepared = false;
    Bytes euiccOtpk;
    std::optional<Certificate> dppb;

    // LoadBoundProfilePackage progress.
    bool loading = false;
    es10::BppSegmenter segmenter;
    std::optional<es10::BppSegmenter::Kind> last;  // the last segment accepted
    Cmd command = Cmd::InitialiseSecureChannel;    // the BPP command being processed
    std::optional<Bsp> bsp;    // session keys (S-ENC, S-MAC)
    std::optional<Bsp> ppk;    // after ReplaceSessionKeys
    std::optional<Bytes> isdpAid;
    std::size_t a1Left = 0;    // bytes of A1's value not yet received
    Bytes metadataBytes;
    std::optional<es10::StoreMetadata> metadata;
    Bytes upp;
};

Download::Download(const EuiccIdentity& identity, ProfileStore& store) : m_id(identity), m_store(store) {}
Download::~Download() = default;

bool Download::isBppSegment(ByteView command) {
    if (command.empty()) return false;
    switch (command[0]) {
    case 0xA0: case 0xA1: case 0xA2: case 0xA3: case 0x86: case 0x88:
        return true;
    case 0xBF:
        return command.size() >= 2 && command[1] == 0x36;
    default:
        return false;
    }
}

void Download::reset() {
    m_euiccChallenge.reset();
    m_session.reset();
}

Bytes Download::getEuiccChallenge() {
    m_euiccChallenge = vicc::crypto::randomBytes(16);
    return es10::encodeEuiccChallengeResponse(*m_euiccChallenge);
}

// ---- AuthenticateServer (§5.7.13) --------------------------------------------------------------------

Bytes Download::authenticateServer(ByteView command, const es10::EuiccInfo2& info2) {
    const auto req = es10::AuthenticateServerRequest::decode(command);  // Es10Error -> 6A80
    m_session.reset();  // a new authentication ends any earlier session (and a half-loaded BPP)
    auto fail = [&](std::int64_t code) {
        es10::AuthenticateServerResponse r;
        r.error = es10::AuthenticateServerResponse::Error{req.serverSigned1.transactionId, code};
        return r.encode();
    };
    // The CI the server wants us to use must be one we can sign and verify with.
    std::size_t ci = 0;
    while (ci < m_id.ciPkIds.size() && m_id.ciPkIds[ci] != req.euiccCiPkIdToBeUsed) ++ci;
    if (ci == m_id.ciPkIds.size()) return fail(kCiPkUnknown);
    // CERT.DPauth.ECDSA: chains to that CI, valid now, role SM-DP+ authentication, names its SM-DP+.
    std::optional<Certificate> dpauth;
    try {
        dpauth = Certificate::fromDer(req.serverCertificate);
    } catch (const std::exception&) {
        return fail(kInvalidCertificate);
    }
    if (!verifyChain(*dpauth, {}, {m_id.trustedCis[ci]}, RspRole::DpAuth).ok) return fail(kInvalidCertificate);
    const std::string oid = registeredId(*dpauth);
    Bytes oidBytes;
    try {
        oidBytes = es10::oidContent(oid);
    } catch (const std::exception&) {
        return fail(kInvalidOid);
    }
    if (!rspVerify(dpauth->publicKey().get(), req.serverSigned1Raw, req.serverSignature1)) return fail(kInvalidSignature);
    if (!m_euiccChallenge || req.serverSigned1.euiccChallenge != *m_euiccChallenge) return fail(kEuiccChallengeMismatch);
    m_euiccChallenge.reset();  // one use
    // ctxParams1: a matchingId, when the LPA gives one, is an Activation Code's (§4.1).
    if (req.ctxParams1.matchingId && !matchingIdAcceptable(*req.ctxParams1.matchingId)) return fail(kUndefinedError);
    if (req.serverSigned1.serverAddress.empty() || req.serverSigned1.serverAddress.size() > 255) return fail(kUndefinedError);

    es10::EuiccSigned1 s1;
    s1.transactionId = req.serverSigned1.transactionId;
    s1.serverAddress = req.serverSigned1.serverAddress;
    s1.serverChallenge = req.serverSigned1.serverChallenge;
    s1.euiccInfo2 = info2.encode();
    s1.ctxParams1 = req.ctxParams1Raw;
    es10::AuthenticateServerResponse r;
    r.ok = es10::AuthenticateServerResponse::Ok{};
    r.ok->euiccSigned1Raw = s1.encode();
    r.ok->euiccSignature1 = rspSign(m_id.key.get(), r.ok->euiccSigned1Raw);
    r.ok->euiccCertificate = m_id.euiccCertificate;
    r.ok->eumCertificate = m_id.eumCertificate;
    auto session = std::make_unique<Session>();
    session->transactionId = req.serverSigned1.transactionId;
    session->serverAddress = req.serverSigned1.serverAddress;
    session->ci = ci;
    session->smdpOidText = oid;
    session->smdpOid = std::move(oidBytes);
    session->euiccSignature1 = r.ok->euiccSignature1;
    m_session = std::move(session);
    return r.encode();
}

// ---- PrepareDownload (§5.7.5) -------------------------------------------------------------------------

Bytes Download::prepareDownload(ByteView command) {
    const auto req = es10::PrepareDownloadRequest::decode(command);  // Es10Error -> 6A80
    auto fail = [&](std::int64_t code) {
        es10::PrepareDownloadResponse r;
        r.error = es10::PrepareDownloadResponse::Error{req.smdpSigned2.transactionId, code};
        return r.encode();
    };
    if (!m_session || m_session->loading) return fail(kNoSessionContext);
    Session& s = *m_session;
    // CERT.DPpb.ECDSA: chains to the session's CI, role DPpb, the same SM-DP+ as CERT.DPauth.
    std::optional<Certificate> dppb;
    try {
        dppb = Certificate::fromDer(req.smdpCertificate);
    } catch (const std::exception&) {
        return fail(kInvalidCertificate);
    }
    if (!verifyChain(*dppb, {}, {m_id.trustedCis[s.ci]}, RspRole::DpPb).ok) return fail(kInvalidCertificate);
    if (registeredId(*dppb) != s.smdpOidText) return fail(kInvalidCertificate);
    const auto dppbKey = dppb->publicKey();
    const auto curve = curveOf(dppbKey.get());
    if (!curve) return fail(kUnsupportedCurve);
    // smdpSignature2 over smdpSigned2 || 5F37 40 euiccSignature1.
    Bytes signedData = req.smdpSigned2Raw;
    append(signedData, es10::signatureTlv(s.euiccSignature1));
    if (!rspVerify(dppbKey.get(), signedData, req.smdpSignature2)) return fail(kInvalidSignature);
    if (req.smdpSigned2.transactionId != s.transactionId) return fail(kDownloadInvalidTransactionId);
    // The confirmation code is the LPA's to collect: required but absent is an error; given but not
    // required is passed on (signed) for the SM-DP+ to judge.
    if (req.smdpSigned2.ccRequiredFlag && !req.hashCc) return fail(kUndefinedError);

    // otPK.EUICC.ECKA: the retained one when the SM-DP+ asks for it (a retry of a bound BPP), else new.
    const bool reuse = req.smdpSigned2.bppEuiccOtpk && m_otk && m_otk->curve() == *curve &&
                       m_otk->publicPoint() == *req.smdpSigned2.bppEuiccOtpk;
    if (!reuse) m_otk = EckaKeyPair::generate(*curve);

    es10::PrepareDownloadResponse r;
    r.ok = es10::PrepareDownloadResponse::Ok{};
    r.ok->euiccSigned2.transactionId = s.transactionId;
    r.ok->euiccSigned2.euiccOtpk = m_otk->publicPoint();
    r.ok->euiccSigned2.hashCc = req.hashCc;
    r.ok->euiccSigned2Raw = r.ok->euiccSigned2.encode();
    Bytes toSign = r.ok->euiccSigned2Raw;
    append(toSign, es10::signatureTlv(req.smdpSignature2));
    r.ok->euiccSignature2 = rspSign(m_id.key.get(), toSign);
    s.prepared = true;
    s.euiccOtpk = r.ok->euiccSigned2.euiccOtpk;
    s.dppb = std::move(dppb);
    return r.encode();
}

// ---- LoadBoundProfilePackage (§5.7.6, §2.5.5) ---------------------------------------------------------

// BF37 for the session's package: success with the ISD-P, or the failure; signed with SK.EUICC and
// queued as the install notification (§3.1.3 / §5.7.6), sent later to serverAddress.
Bytes Download::installationResult(const Bytes* isdpAid, const Failure* error) {
    Session& s = *m_session;
    es10::ProfileInstallationResultData d;
    d.transactionId = s.transactionId;
    d.notificationMetadata.seqNumber = m_store.nextSequenceNumber();
    d.notificationMetadata.operation = {0x07, static_cast<std::uint8_t>(NotificationEvent::Install)};
    d.notificationMetadata.notificationAddress = s.serverAddress;
    if (s.metadata) d.notificationMetadata.iccid = s.metadata->iccid;
    d.smdpOid = s.smdpOid;
    if (error) {
        d.error = es10::ProfileInstallationResultData::Error{static_cast<int>(error->command), static_cast<int>(error->reason),
                                                             std::nullopt};
    } else {
        d.success = es10::ProfileInstallationResultData::Success{*isdpAid, kSimaResponseOk};
    }
    es10::ProfileInstallationResult pir;
    pir.dataRaw = d.encode();
    pir.euiccSignPir = rspSign(m_id.key.get(), pir.dataRaw);
    const Bytes out = pir.encode();
    Notification n;
    n.seqNumber = d.notificationMetadata.seqNumber;
    n.event = NotificationEvent::Install;
    n.address = s.serverAddress;
    n.iccid = s.metadata ? s.metadata->iccid : Bytes{};
    n.pending = out;
    m_store.addNotification(std::move(n));
    return out;
}

Bytes Download::loadBoundProfilePackage(ByteView segment) {
    if (!m_session || !m_session->prepared) throw SwError(sw::kConditionsOfUseNotSatisfied);
    Bytes result;
    try {
        result = loadSegment(segment);
        if (result.empty()) return result;
    } catch (const Failure& f) {
        // Nothing of the package stays: the session ends, the ISD-P is not kept (§5.7.6).
        result = installationResult(nullptr, &f);
    } catch (const std::exception&) {  // anything unforeseen ends the download the same way
        const Failure f{m_session->command, Why::UnknownError};
        result = installationResult(nullptr, &f);
    }
    m_session.reset();
    return result;
}

// One segment; empty while more are expected, the BF37 when the package is installed. Throws Failure.
Bytes Download::loadSegment(ByteView seg) {
    using Kind = es10::BppSegmenter::Kind;
    Session& s = *m_session;
    s.loading = true;
    // Which BPP command the segment belongs to, from what came before (for the error report).
    Cmd cmd = Cmd::InitialiseSecureChannel;
    if (s.last) {
        switch (*s.last) {
        case Kind::InitialiseSecureChannel: cmd = Cmd::ConfigureIsdp; break;
        case Kind::ConfigureIsdp: case Kind::StoreMetadataHeader: cmd = Cmd::StoreMetadata; break;
        case Kind::StoreMetadataSegment:
            if (s.a1Left || (!seg.empty() && seg[0] == 0x88)) cmd = Cmd::StoreMetadata;
            else if (!seg.empty() && seg[0] == 0xA2) cmd = Cmd::ReplaceSessionKeys;
            else cmd = Cmd::LoadProfileElements;
            break;
        case Kind::ReplaceSessionKeys: cmd = Cmd::LoadProfileElements; break;
        case Kind::ProfileElementsHeader: case Kind::ProfileElementSegment: cmd = Cmd::LoadProfileElements; break;
        }
    }
    s.command = cmd;
    Kind kind;
    try {
        kind = s.segmenter.accept(seg);
    } catch (const es10::Es10Error&) {
        throw Failure{cmd, Why::Scp03tStructureError};
    }
    s.last = kind;
    // The TLVs inside a sequence (A0 / A2): each 87, decrypted and concatenated.
    auto open87s = [&](ByteView whole, Bsp& bsp, Cmd c) {
        Bytes plain;
        try {
            for (const tlv::Tlv& t : tlv::parseAll(tlv::parseOne(whole).value)) append(plain, bsp.unwrapEncrypted(t.raw));
        } catch (const BspError&) {
            throw Failure{c, Why::Scp03tSecurityError};
        } catch (const ParseError&) {
            throw Failure{c, Why::Scp03tStructureError};
        }
        return plain;
    };

    switch (kind) {
    case Kind::InitialiseSecureChannel: {
        std::size_t off = 0;
        tlv::readTag(seg, off);  // BF36, checked by the segmenter
        const std::size_t bppLen = tlv::readLength(seg, off);
        if (bppLen > kMaxUpp + 64 * 1024) throw Failure{cmd, Why::InsufficientMemoryForProfile};
        const ByteView bf23 = seg.subspan(off);
        // remoteOpId and the CRT first: the codec refuses other values without saying which.
        if (const auto op = tlv::find(tlv::parseOne(bf23).value, 0x82); op && (op->value.size() != 1 || op->value[0] != 1))
            throw Failure{cmd, Why::UnsupportedRemoteOperationType};
        es10::InitialiseSecureChannel isc;
        try {
            isc = es10::InitialiseSecureChannel::decode(bf23);
        } catch (const ParseError&) {
            throw Failure{cmd, Why::IncorrectInputValues};
        }
        if (isc.keyType != kKeyTypeAes || isc.keyLength != kKeyLength128) throw Failure{cmd, Why::UnsupportedCrtValues};
        if (isc.transactionId != s.transactionId) throw Failure{cmd, Why::InvalidTransactionId};
        if (!rspVerify(s.dppb->publicKey().get(), isc.signedData(s.euiccOtpk), isc.smdpSign))
            throw Failure{cmd, Why::InvalidSignature};
        // ECKA with otSK.EUICC and otPK.DP, then the KDF (§2.6.4.1).
        Bytes z;
        try {
            z = m_otk->sharedSecret(isc.smdpOtpk);
        } catch (const std::exception&) {
            throw Failure{cmd, Why::IncorrectInputValues};
        }
        s.bsp.emplace(deriveSessionKeys(z, isc.hostId, m_id.eid, isc.keyType, isc.keyLength));
        return {};
    }
    case Kind::ConfigureIsdp: {
        const Bytes plain = open87s(seg, *s.bsp, Cmd::ConfigureIsdp);
        try {
            const tlv::Tlv t = tlv::parseOne(plain);
            if (t.tag != es10::kTagConfigureIsdp) throw Failure{Cmd::ConfigureIsdp, Why::IncorrectInputValues};
        } catch (const ParseError&) {
            throw Failure{Cmd::ConfigureIsdp, Why::IncorrectInputValues};
        }
        s.isdpAid = m_store.allocateIsdpAid();  // held by the session until the profile installs
        return {};
    }
    case Kind::StoreMetadataHeader: {
        std::size_t off = 0;
        tlv::readTag(seg, off);
        s.a1Left = tlv::readLength(seg, off);
        if (s.a1Left == 0) throw Failure{Cmd::StoreMetadata, Why::IncorrectInputValues};
        return {};
    }
    case Kind::StoreMetadataSegment: {
        try {
            append(s.metadataBytes, s.bsp->unwrapMacOnly(seg));
        } catch (const BspError&) {
            throw Failure{Cmd::StoreMetadata, Why::Scp03tSecurityError};
        }
        s.a1Left -= std::min(s.a1Left, seg.size());
        if (s.a1Left) return {};
        try {
            s.metadata = es10::StoreMetadata::decode(s.metadataBytes);
        } catch (const ParseError&) {
            throw Failure{Cmd::StoreMetadata, Why::IncorrectInputValues};
        }
        if (m_store.findByIccid(s.metadata->iccid)) throw Failure{Cmd::StoreMetadata, Why::IccidAlreadyExistsOnEuicc};
        // §2.9.2.2: PPR1/PPR2 only as the RAT allows them for the Profile Owner.
        if (!m_id.rat.allows(s.metadata->profilePolicyRules, s.metadata->profileOwner))
            throw Failure{Cmd::StoreMetadata, Why::PprNotAllowed};
        return {};
    }
    case Kind::ReplaceSessionKeys: {
        const Bytes plain = open87s(seg, *s.bsp, Cmd::ReplaceSessionKeys);
        es10::ReplaceSessionKeys k;
        try {
            k = es10::ReplaceSessionKeys::decode(plain);
        } catch (const ParseError&) {
            throw Failure{Cmd::ReplaceSessionKeys, Why::IncorrectInputValues};
        }
        s.ppk.emplace(k.ppkEnc, k.ppkCmac, k.initialMcv);
        return {};
    }
    case Kind::ProfileElementsHeader:
        if (s.segmenter.complete()) throw Failure{Cmd::LoadProfileElements, Why::IncorrectInputValues};  // no 86 at all
        return {};
    case Kind::ProfileElementSegment: {
        Bsp& bsp = s.ppk ? *s.ppk : *s.bsp;
        try {
            append(s.upp, bsp.unwrapEncrypted(seg));
        } catch (const BspError&) {
            throw Failure{Cmd::LoadProfileElements, Why::Scp03tSecurityError};
        }
        if (s.upp.size() > kMaxUpp) throw Failure{Cmd::LoadProfileElements, Why::InsufficientMemoryForProfile};
        if (!s.segmenter.complete()) return {};
        return finishInstall();
    }
    }
    throw Failure{cmd, Why::UnknownError};
}

// After the last 86: the UPP becomes the profile's USIM (SAIP), the ICCIDs agree, the store keeps it.
Bytes Download::finishInstall() {
    Session& s = *m_session;
    saip::InstalledProfile usim;
    try {
        usim = saip::install(s.upp);
    } catch (const saip::SaipError& e) {
        throw Failure{Cmd::LoadProfileElements, static_cast<Why>(e.reason > 0 && e.reason < 128 ? e.reason : 127)};
    }
    if (usim.iccid != s.metadata->iccid) throw Failure{Cmd::LoadProfileElements, Why::DataMismatch};
    InstalledProfile p;
    p.isdpAid = *s.isdpAid;
    p.metadata = *s.metadata;
    p.smdpAddress = s.serverAddress;
    p.smdpOid = s.smdpOid;
    p.usim = std::shared_ptr<vicc::Card>(std::move(usim.usim));
    m_store.install(std::move(p));
    m_otk.reset();  // the key pair served its package (§5.7.5: not reused after an install)
    return installationResult(&*s.isdpAid, nullptr);
}

// ---- CancelSession (§5.7.14) --------------------------------------------------------------------------

Bytes Download::cancelSession(ByteView command) {
    const auto req = es10::CancelSessionRequest::decode(command);  // Es10Error -> 6A80
    es10::CancelSessionResponse r;
    if (!m_session || req.transactionId != m_session->transactionId) {
        r.error = kCancelInvalidTransactionId;
        return r.encode();
    }
    // CancelSessionReason: endUserRejection(0) .. loadBppExecutionError(5), undefinedReason(127).
    if (!((req.reason >= 0 && req.reason <= 5) || req.reason == 127)) {
        r.error = kCancelUndefinedError;
        return r.encode();
    }
    es10::CancelSessionResponse::Ok ok;
    ok.signedPart = es10::EuiccCancelSessionSigned{m_session->transactionId, m_session->smdpOid, req.reason};
    ok.signedRaw = ok.signedPart.encode();
    ok.signature = rspSign(m_id.key.get(), ok.signedRaw);
    r.ok = std::move(ok);
    m_session.reset();  // and with it any half-loaded package
    return r.encode();
}

}  // namespace vpcsc::euicc
