// The download session on the eUICC (download.hpp). PrepareDownload, LoadBoundProfilePackage and
// CancelSession are being built (issue 7); until then they answer 6A88 like any unknown function.
#include "vicc/euicc/download/download.hpp"

#include "common/sw.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc {

struct Download::Session {
    Bytes transactionId;
    std::string serverAddress;
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

Bytes Download::authenticateServer(ByteView command, const es10::EuiccInfo2& info2) {
    const auto req = es10::AuthenticateServerRequest::decode(command);  // Es10Error -> 6A80
    m_session.reset();
    auto fail = [&](std::int64_t code) {  // AuthenticateErrorCode, SGP.22 §5.7.13
        es10::AuthenticateServerResponse r;
        r.error = es10::AuthenticateServerResponse::Error{req.serverSigned1.transactionId, code};
        return r.encode();
    };
    constexpr std::int64_t kInvalidCertificate = 1, kInvalidSignature = 2, kEuiccChallengeMismatch = 6,
                           kCiPkUnknown = 7;
    // The CI the server wants us to use must be one we can sign and verify with.
    std::size_t ci = 0;
    while (ci < m_id.ciPkIds.size() && m_id.ciPkIds[ci] != req.euiccCiPkIdToBeUsed) ++ci;
    if (ci == m_id.ciPkIds.size()) return fail(kCiPkUnknown);
    // CERT.DPauth.ECDSA: chains to that CI, valid now, role SM-DP+ authentication.
    std::optional<Certificate> dpauth;
    try {
        dpauth = Certificate::fromDer(req.serverCertificate);
    } catch (const std::exception&) {
        return fail(kInvalidCertificate);
    }
    if (!verifyChain(*dpauth, {}, {m_id.trustedCis[ci]}, RspRole::DpAuth).ok) return fail(kInvalidCertificate);
    if (!rspVerify(dpauth->publicKey().get(), req.serverSigned1Raw, req.serverSignature1)) return fail(kInvalidSignature);
    if (!m_euiccChallenge || req.serverSigned1.euiccChallenge != *m_euiccChallenge) return fail(kEuiccChallengeMismatch);
    m_euiccChallenge.reset();  // one use

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
    m_session = std::make_unique<Session>(Session{req.serverSigned1.transactionId, req.serverSigned1.serverAddress});
    return r.encode();
}

Bytes Download::prepareDownload(ByteView) { throw SwError(sw::kReferencedDataNotFound); }
Bytes Download::loadBoundProfilePackage(ByteView) { throw SwError(sw::kReferencedDataNotFound); }
Bytes Download::cancelSession(ByteView) { throw SwError(sw::kReferencedDataNotFound); }

}  // namespace vpcsc::euicc
