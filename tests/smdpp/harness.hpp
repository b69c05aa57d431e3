// The vicc-smdpp tests' two ends: the server in-process on an ephemeral loopback port (HTTPS on the
// build tree's test PKI, profiles from the TS.48 directory), an httplib client that verifies the
// server against the CI (matchingId DEMO built in), and a software eUICC signing with the PKI's euicc.key (so that every field
// can be made wrong on purpose). Certificates for the error paths are re-signed copies.
#pragma once

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "smdpp/credentials.hpp"
#include "smdpp/es9p.hpp"
#include "smdpp/http_server.hpp"
#include "smdpp/smdp.hpp"
#include "tests/euicc/helpers.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/bsp.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/download/results.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/identity.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp::test {

using euicc::test::h;
using euicc::test::hx;
using euicc::test::pkiFile;
using euicc::test::pkiText;
namespace es10 = euicc::es10;

inline const std::string kProfile = "DEMO";  // the built-in demo profile (saip::demoProfile)
inline const std::string kTs48Profile = "TS48V1-A-UNIQUE";  // a TS.48 file name, as its matchingId
inline const std::string kAddress = "testsmdpplus1.example.com";  // what the LPA was told

inline std::string pkiDir(const std::string& curve) { return std::string(VPCSC_EUICC_PKI_DIR) + "/" + curve; }

inline std::string ts48Dir() {
    const char* env = std::getenv("VPCSC_TS48_DIR");
    return env && *env ? env : VPCSC_TS48_DEFAULT_DIR;
}
inline bool haveTs48() { return std::filesystem::exists(ts48Dir() + "/" + kTs48Profile + ".der"); }
// The UPP a matchingId names: DEMO is built in, others are TS.48 files.
inline Bytes profileFor(const std::string& matchingId) {
    if (matchingId == kProfile) return euicc::saip::demoProfile();
    std::ifstream in(ts48Dir() + "/" + matchingId + ".der", std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A copy of a certificate, changed by `edit`, signed with the PEM key `issuerKey`.
template <class Edit>
Bytes reissue(const Bytes& der, const std::string& issuerKeyPem, Edit edit) {
    const auto c = vicc::crypto::Certificate::fromDer(der);
    vicc::crypto::X509Ptr x(X509_dup(c.get()));
    edit(x.get());
    const auto key = euicc::loadPrivateKeyPem(issuerKeyPem);
    if (X509_sign(x.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
    return vicc::crypto::Certificate(std::move(x)).toDer();
}
// Validity from now + fromDays to now + toDays.
inline void setValidity(X509* x, long fromDays, long toDays) {
    X509_gmtime_adj(X509_getm_notBefore(x), fromDays * 86400);
    X509_gmtime_adj(X509_getm_notAfter(x), toDays * 86400);
}
// The subject serialNumber (the EID of a CERT.EUICC).
inline void setSerialNumber(X509* x, const std::string& value) {
    X509_NAME* name = X509_get_subject_name(x);
    const int i = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);
    if (i >= 0) X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, i));  // delete hands the entry back
    X509_NAME_add_entry_by_NID(name, NID_serialNumber, MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, i >= 0 ? i : -1, 0);
}

// vicc-smdpp on 127.0.0.1:<ephemeral> (HTTPS unless plain), one curve's test PKI.
struct Server {
    std::unique_ptr<Smdp> smdp;
    std::unique_ptr<Es9Server> es9;
    std::thread thread;
    int port = 0;
    std::string curve;

    explicit Server(const std::string& c = "nist", SmdpConfig config = {}, bool tls = true,
                    std::chrono::seconds requestTimeout = std::chrono::seconds(60))
        : curve(c) {
        config.address = kAddress;
        ProfileDirectory profiles(ts48Dir());
        profiles.setDemoSource([] { return euicc::saip::demoProfile(); });
        smdp = std::make_unique<Smdp>(config, Credentials::fromDirectory(pkiDir(c)), std::move(profiles));
        ServerOptions opt;
        opt.port = 0;
        opt.tls = tls;
        opt.threads = 16;
        opt.ioTimeout = std::chrono::seconds(30);  // a loaded CI machine must not turn into failures
        opt.requestTimeout = requestTimeout;
        es9 = std::make_unique<Es9Server>(*smdp, opt);
        port = es9->bind();
        thread = std::thread([this] { es9->run(); });
        while (!es9->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~Server() {
        es9->stop();
        thread.join();
    }

    // An HTTPS client that verifies CERT.DP.TLS against the CI for host "localhost".
    std::unique_ptr<httplib::SSLClient> client() const {
        auto cli = std::make_unique<httplib::SSLClient>("localhost", port);
        const std::string ci = pkiText(curve, "ci.pem");
        vicc::crypto::BioPtr bio = vicc::crypto::memoryBio(ByteView(reinterpret_cast<const std::uint8_t*>(ci.data()), ci.size()));
        X509_STORE* store = X509_STORE_new();
        X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        X509_STORE_add_cert(store, x);
        X509_free(x);
        cli->set_ca_cert_store(store);  // the client owns it from here
        cli->enable_server_certificate_verification(true);
        cli->set_connection_timeout(20);  // includes the TLS handshake
        cli->set_read_timeout(30);
        cli->set_write_timeout(30);
        return cli;
    }

    httplib::Result post(std::string_view path, const std::string& body, const char* contentType = "application/json",
                         bool adminHeader = true) const {
        auto cli = client();
        httplib::Headers headers;
        if (adminHeader) headers.emplace("X-Admin-Protocol", "gsma/rsp/v2.2.0");
        return cli->Post(std::string(path).c_str(), headers, body, contentType);
    }
};

// The eUICC end, in software: the test PKI's identity and key, fields overridable.
struct SoftEuicc {
    euicc::EuiccIdentity id;
    Bytes euiccCert, eumCert;  // what goes into AuthenticateServerResponse
    Bytes info2;               // BF22 raw
    Bytes challenge = vicc::crypto::randomBytes(16);
    Bytes signature1;          // of the last authenticateServer
    std::optional<euicc::EckaKeyPair> otk;
    euicc::RspCurve curve;

    explicit SoftEuicc(const std::string& c = "nist")
        : id(euicc::EuiccIdentity::fromPkiDirectory(pkiDir(c))),
          euiccCert(id.euiccCertificate),
          eumCert(id.eumCertificate),
          info2(euicc::EuiccCard(id).euiccInfo2().encode()),
          curve(c == "nist" ? euicc::RspCurve::NistP256 : euicc::RspCurve::BrainpoolP256r1) {}

    es9p::InitiateAuthenticationRequest initiate(const std::string& address = kAddress) const {
        return {challenge, euicc::EuiccCard(id).euiccInfo1().encode(), address};
    }

    struct Auth {
        std::optional<std::string> matchingId = kProfile;
        std::optional<Bytes> serverChallenge;  // instead of the one signed by the server
        std::optional<Bytes> transactionId;
        bool badSignature = false;
    };
    // AuthenticateServerResponse (BF38 A0) to initiateAuthentication's answer.
    Bytes authenticateServer(const es9p::InitiateAuthenticationResponse& ia, const Auth& o) {
        const auto s1 = es10::ServerSigned1::decode(ia.serverSigned1);
        es10::CtxParams1 ctx;
        ctx.matchingId = o.matchingId;
        ctx.deviceInfo.tac = h("35290611");
        es10::EuiccSigned1 e1{o.transactionId.value_or(s1.transactionId), s1.serverAddress,
                              o.serverChallenge.value_or(s1.serverChallenge), info2, ctx.encode()};
        const Bytes raw = e1.encode();
        signature1 = euicc::rspSign(id.key.get(), raw);
        Bytes sig = signature1;
        if (o.badSignature) sig[5] ^= 0x01;
        es10::AuthenticateServerResponse r;
        r.ok = es10::AuthenticateServerResponse::Ok{raw, e1, sig, euiccCert, eumCert};
        return r.encode();
    }
    Bytes authenticateServer(const es9p::InitiateAuthenticationResponse& ia) { return authenticateServer(ia, Auth{}); }

    // PrepareDownloadResponse (BF21 A0) to authenticateClient's answer.
    Bytes prepareDownload(const es9p::AuthenticateClientResponse& ac, std::optional<std::string> cc = std::nullopt,
                          bool badSignature = false) {
        const auto s2 = es10::SmdpSigned2::decode(ac.smdpSigned2);
        otk = euicc::EckaKeyPair::generate(curve);
        es10::EuiccSigned2 e2{s2.transactionId, otk->publicPoint(), std::nullopt};
        if (cc) {
            Bytes in = vicc::crypto::digest(vicc::crypto::DigestAlgorithm::Sha256,
                                            ByteView(reinterpret_cast<const std::uint8_t*>(cc->data()), cc->size()));
            append(in, s2.transactionId);
            e2.hashCc = vicc::crypto::digest(vicc::crypto::DigestAlgorithm::Sha256, in);
        }
        const Bytes raw = e2.encode();
        Bytes covered = raw;
        append(covered, ac.smdpSignature2);  // already the 5F37 TLV
        Bytes sig = euicc::rspSign(id.key.get(), covered);
        if (badSignature) sig[7] ^= 0x80;
        es10::PrepareDownloadResponse r;
        r.ok = es10::PrepareDownloadResponse::Ok{raw, e2, sig};
        return r.encode();
    }

    // CancelSessionResponse (BF41 A0) signed by the eUICC.
    Bytes cancelSession(ByteView tid, const std::string& smdpOid, std::int64_t reason = 0) const {
        es10::CancelSessionResponse r;
        es10::EuiccCancelSessionSigned s{Bytes(tid.begin(), tid.end()), es10::oidContent(smdpOid), reason};
        const Bytes raw = s.encode();
        r.ok = es10::CancelSessionResponse::Ok{raw, s, euicc::rspSign(id.key.get(), raw)};
        return r.encode();
    }

    // ProfileInstallationResult (BF37) for a download session, signed by the eUICC.
    Bytes installResult(ByteView tid, ByteView iccid, bool badSignature = false) const {
        es10::ProfileInstallationResult pir;
        pir.data.transactionId = Bytes(tid.begin(), tid.end());
        pir.data.notificationMetadata.seqNumber = 7;
        pir.data.notificationMetadata.notificationAddress = kAddress;
        pir.data.notificationMetadata.iccid = Bytes(iccid.begin(), iccid.end());
        pir.data.success = es10::ProfileInstallationResultData::Success{h("A0000005591010FFFFFFFF8900001000"), h("3000")};
        pir.dataRaw = pir.data.encode();
        pir.euiccSignPir = euicc::rspSign(id.key.get(), pir.dataRaw);
        if (badSignature) pir.euiccSignPir[3] ^= 0x10;
        return pir.encode();
    }
};

// Decoded JSON answers of a whole successful session up to the BPP.
struct Flow {
    es9p::InitiateAuthenticationResponse ia;
    es9p::AuthenticateClientResponse ac;
    es9p::GetBoundProfilePackageResponse bpp;
};

inline std::string failure(const httplib::Result& res) {
    if (res) return "HTTP " + std::to_string(res->status);
    return "no response (" + httplib::to_string(res.error()) + ")";
}

inline es9p::InitiateAuthenticationResponse initiate(const Server& s, SoftEuicc& e) {
    auto res = s.post(es9p::kPathInitiateAuthentication, e.initiate().encode());
    if (!res || res->status != 200) throw std::runtime_error("initiateAuthentication: " + failure(res));
    return es9p::InitiateAuthenticationResponse::decode(res->body);
}

inline es9p::AuthenticateClientResponse authenticate(const Server& s, SoftEuicc& e, const es9p::InitiateAuthenticationResponse& ia,
                                                     const SoftEuicc::Auth& o = {}) {
    auto res = s.post(es9p::kPathAuthenticateClient,
                      es9p::AuthenticateClientRequest{ia.transactionId, e.authenticateServer(ia, o)}.encode());
    if (!res || res->status != 200) throw std::runtime_error("authenticateClient: " + failure(res));
    return es9p::AuthenticateClientResponse::decode(res->body);
}

inline es9p::GetBoundProfilePackageResponse bindProfile(const Server& s, SoftEuicc& e, const es9p::AuthenticateClientResponse& ac,
                                                        std::optional<std::string> cc = std::nullopt, bool badSignature = false) {
    auto res = s.post(es9p::kPathGetBoundProfilePackage,
                      es9p::GetBoundProfilePackageRequest{ac.transactionId, e.prepareDownload(ac, cc, badSignature)}.encode());
    if (!res || res->status != 200) throw std::runtime_error("getBoundProfilePackage: " + failure(res));
    return es9p::GetBoundProfilePackageResponse::decode(res->body);
}

inline std::string codeOf(const es9p::FunctionExecutionStatus& st) {
    return st.failure ? st.failure->subjectCode + "/" + st.failure->reasonCode : "ok";
}

}  // namespace vpcsc::smdpp::test
