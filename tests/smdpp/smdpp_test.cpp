// vicc-smdpp over HTTPS, in-process on an ephemeral port: a whole download with the BPP taken apart
// as the eUICC would (both curves), then every refusal with its SGP.22 status code.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

#include "tests/lib/tap_skip.hpp"
#include "tests/smdpp/harness.hpp"
#include "common/log.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::smdpp;
using namespace vpcsc::smdpp::test;

namespace {

// The BPP as the eUICC sees it (SGP.22 §2.5.5 / §5.7.6): smdpSign, then every segment unwrapped
// with the keys derived from our one-time key; returns StoreMetadata and the UPP it carried.
struct Unwrapped {
    es10::InitialiseSecureChannel isc;
    Bytes configureIsdp, storeMetadata, upp;
    bool replaced = false;
};

Unwrapped unwrap(ByteView bpp, const SoftEuicc& e, const std::string& curve) {
    Unwrapped u;
    const tlv::Tlv top = tlv::parseOne(bpp);
    REQUIRE(top.tag == 0xBF36);
    const auto parts = tlv::parseAll(top.value);
    REQUIRE(parts.size() >= 4);
    REQUIRE(parts[0].tag == 0xBF23);
    u.isc = es10::InitialiseSecureChannel::decode(parts[0].raw);
    const auto dppb = vicc::crypto::Certificate::fromDer(pkiFile(curve, "dppb.der"));
    CHECK(euicc::rspVerify(dppb.publicKey().get(), u.isc.signedData(e.otk->publicPoint()), u.isc.smdpSign));
    const Bytes eid = h(*euicc::eidOf(vicc::crypto::Certificate::fromDer(e.id.euiccCertificate)));
    euicc::Bsp bsp(euicc::deriveSessionKeys(e.otk->sharedSecret(u.isc.smdpOtpk), u.isc.hostId, eid));
    std::optional<euicc::Bsp> ppk;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        for (const tlv::Tlv& seg : tlv::parseAll(parts[i].value)) {
            switch (parts[i].tag) {
            case 0xA0: append(u.configureIsdp, bsp.unwrapEncrypted(seg.raw)); break;
            case 0xA1: append(u.storeMetadata, bsp.unwrapMacOnly(seg.raw)); break;
            case 0xA2: {
                const auto rsk = es10::ReplaceSessionKeys::decode(bsp.unwrapEncrypted(seg.raw));
                ppk.emplace(rsk.ppkEnc, rsk.ppkCmac, rsk.initialMcv);
                u.replaced = true;
                break;
            }
            case 0xA3: append(u.upp, (ppk ? *ppk : bsp).unwrapEncrypted(seg.raw)); break;
            default: FAIL("unexpected BPP part " << parts[i].tag);
            }
        }
    }
    return u;
}

}  // namespace

TEST_CASE("smdpp: a whole download over HTTPS, the BPP bound to the eUICC's one-time key", "[smdpp]") {
    std::vector<std::string> profiles{kProfile};
    if (haveTs48())
        profiles.push_back(kTs48Profile);
    else
        VPCSC_SKIP("the TS.48 case: no profiles in " << ts48Dir());
    for (const char* curve : {"nist", "brp"}) {
        for (bool ppk : {true, false}) {
          for (const std::string& mid : profiles) {
            SECTION(std::string(curve) + (ppk ? " with PPKs " : " with session keys ") + mid) {
                SmdpConfig cfg;
                cfg.replaceSessionKeys = ppk;
                Server s(curve, cfg);
                SoftEuicc e(curve);
                const auto ia = initiate(s, e);
                REQUIRE(ia.status.ok());
                CHECK(ia.transactionId.size() == 16);
                // serverSigned1 signed with SK.DPauth over exactly what the eUICC will verify.
                const auto s1 = es10::ServerSigned1::decode(ia.serverSigned1);
                CHECK(s1.transactionId == ia.transactionId);
                CHECK(s1.euiccChallenge == e.challenge);
                CHECK(s1.serverAddress == kAddress);
                CHECK(s1.serverChallenge.size() == 16);
                REQUIRE(ia.serverSignature1.size() == 67);
                CHECK(hx(ByteView(ia.serverSignature1).first(3)) == "5F3740");
                const auto dpauth = vicc::crypto::Certificate::fromDer(ia.serverCertificate);
                CHECK(ia.serverCertificate == pkiFile(curve, "dpauth.der"));
                CHECK(euicc::rspVerify(dpauth.publicKey().get(), ia.serverSigned1, ByteView(ia.serverSignature1).subspan(3)));
                const Bytes ciSki = euicc::subjectKeyId(vicc::crypto::Certificate::fromDer(pkiFile(curve, "ci.der")));
                CHECK(ia.euiccCiPkIdToBeUsed == tlv::encode(0x04, ciSki));
                CHECK(s.smdp->sessions().size() == 1);

                SoftEuicc::Auth auth;
                auth.matchingId = mid;
                const auto ac = authenticate(s, e, ia, auth);
                REQUIRE(codeOf(ac.status) == "ok");
                CHECK(ac.transactionId == ia.transactionId);
                CHECK(ac.smdpCertificate == pkiFile(curve, "dppb.der"));
                const auto md = es10::StoreMetadata::decode(ac.profileMetadata);
                const Bytes upp = profileFor(mid);
                REQUIRE(!upp.empty());
                CHECK(md.iccid == euicc::saip::iccidOf(upp));
                CHECK(md.profileName == mid);
                CHECK(md.serviceProviderName == "vpcsc");
                // notification configuration: install/enable/disable/delete to our address.
                REQUIRE(md.notificationConfigurationInfo);
                CHECK(hx(*md.notificationConfigurationInfo) == "301F800204F08119" + hx(Bytes(kAddress.begin(), kAddress.end())));
                const auto s2 = es10::SmdpSigned2::decode(ac.smdpSigned2);
                CHECK(s2.transactionId == ia.transactionId);
                CHECK(!s2.ccRequiredFlag);
                Bytes covered = ac.smdpSigned2;
                append(covered, es10::signatureTlv(e.signature1));
                const auto dppb = vicc::crypto::Certificate::fromDer(ac.smdpCertificate);
                CHECK(euicc::rspVerify(dppb.publicKey().get(), covered, ByteView(ac.smdpSignature2).subspan(3)));

                const auto bpp = bindProfile(s, e, ac);
                REQUIRE(codeOf(bpp.status) == "ok");
                CHECK(bpp.transactionId == ia.transactionId);
                const Unwrapped u = unwrap(bpp.boundProfilePackage, e, curve);
                CHECK(u.isc.transactionId == ia.transactionId);
                CHECK(std::string(u.isc.hostId.begin(), u.isc.hostId.end()) == "vicc-smdpp");
                CHECK(hx(u.configureIsdp).rfind("BF24", 0) == 0);
                CHECK(u.storeMetadata == ac.profileMetadata);
                CHECK(u.replaced == ppk);
                CHECK(u.upp == upp);
                for (const auto& seg : es10::segmentBoundProfilePackage(bpp.boundProfilePackage))
                    if (seg[0] == 0x86 || seg[0] == 0x87 || seg[0] == 0x88) CHECK(seg.size() <= 1020);

                // The install notification: 204, verified with the session's CERT.EUICC.
                const Bytes pir = e.installResult(ia.transactionId, md.iccid);
                const auto sum = s.smdp->handleNotification(es9p::HandleNotificationRequest{pir});
                CHECK(sum.kind == "install-result");
                CHECK(sum.verified);
                CHECK(sum.detail == "seq=7 event=install iccid=" + hx(md.iccid) + " result=success");
                CHECK(s.smdp->sessions().size() == 0);

                // Single use: the same request again finds no session.
                auto again = s.post(es9p::kPathGetBoundProfilePackage,
                                    es9p::GetBoundProfilePackageRequest{ac.transactionId, e.prepareDownload(ac)}.encode());
                REQUIRE(again);
                CHECK(codeOf(es9p::decodeStatus(again->body)) == "8.10.1/3.9");
            }
          }
        }
    }
}

TEST_CASE("smdpp: HTTP level: 204 for notifications, 400 for what is not ES9+ JSON", "[smdpp]") {
    Server s;
    SoftEuicc e;
    auto res = s.post(es9p::kPathHandleNotification, es9p::HandleNotificationRequest{e.installResult(h("01"), h("98001032547698103214"))}.encode());
    REQUIRE(res);
    CHECK(res->status == 204);
    CHECK(res->body.empty());
    CHECK(res->get_header_value("X-Admin-Protocol") == "gsma/rsp/v2.2.0");

    // Missing or wrong Content-Type, wrong X-Admin-Protocol, not JSON: HTTP 400 with a Failed header.
    res = s.post(es9p::kPathInitiateAuthentication, e.initiate().encode(), "text/plain");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(codeOf(es9p::decodeStatus(res->body)) == "1.1/2.1");
    {
        auto cli = s.client();
        httplib::Headers hd{{"X-Admin-Protocol", "http/1.1"}};
        res = cli->Post(std::string(es9p::kPathInitiateAuthentication).c_str(), hd, e.initiate().encode(), "application/json");
        REQUIRE(res);
        CHECK(res->status == 400);
        // No Content-Type at all.
        httplib::Request req;
        req.method = "POST";
        req.path = std::string(es9p::kPathInitiateAuthentication);
        req.body = e.initiate().encode();
        auto raw = cli->send(req);
        REQUIRE(raw);
        CHECK(raw->status == 400);
    }
    res = s.post(es9p::kPathInitiateAuthentication, "{not json", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    // The X-Admin-Protocol header is optional.
    res = s.post(es9p::kPathInitiateAuthentication, e.initiate().encode(), "application/json;charset=UTF-8", false);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(codeOf(es9p::decodeStatus(res->body)) == "ok");
    // JSON with a field missing or malformed: HTTP 200, SGP.22 1.1/2.2 and 1.1/2.1.
    res = s.post(es9p::kPathAuthenticateClient, R"({"transactionId":"0102"})");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(codeOf(es9p::decodeStatus(res->body)) == "1.1/2.2");
    res = s.post(es9p::kPathAuthenticateClient, R"({"transactionId":"0102","authenticateServerResponse":"%%%%"})");
    REQUIRE(res);
    CHECK(codeOf(es9p::decodeStatus(res->body)) == "1.1/2.1");
    // Other paths and methods.
    res = s.post("/gsma/rsp2/es9plus/nothing", "{}");
    REQUIRE(res);
    CHECK(res->status == 404);
    auto get = s.client()->Get(std::string(es9p::kPathInitiateAuthentication).c_str());
    REQUIRE(get);
    CHECK(get->status == 405);
    // The body limit.
    res = s.post(es9p::kPathHandleNotification, std::string(300 * 1024, 'x'));
    REQUIRE(res);
    CHECK(res->status == 413);
}

TEST_CASE("smdpp: initiateAuthentication refusals", "[smdpp]") {
    Server s;
    SoftEuicc e;
    auto code = [&](const es9p::InitiateAuthenticationRequest& r) {
        auto res = s.post(es9p::kPathInitiateAuthentication, r.encode());
        REQUIRE(res);
        CHECK(res->status == 200);
        return codeOf(es9p::decodeStatus(res->body));
    };
    CHECK(code(e.initiate()) == "ok");
    CHECK(code(e.initiate("TESTSMDPPLUS1.example.com")) == "ok");  // DNS names ignore case
    CHECK(code(e.initiate("127.0.0.1:8443")) == "8.8.1/3.8");
    CHECK(code(e.initiate("testsmdpplus1.example.com:443")) == "8.8.1/3.8");
    auto info1 = euicc::EuiccCard(e.id).euiccInfo1();
    auto withInfo = [&](const es10::EuiccInfo1& i) { return es9p::InitiateAuthenticationRequest{e.challenge, i.encode(), kAddress}; };
    auto other = info1;
    other.ciPkIdsForSigning = {Bytes(20, 0x11)};
    CHECK(code(withInfo(other)) == "8.8.2/3.1");
    other = info1;
    other.ciPkIdsForVerification = {Bytes(20, 0x11)};
    CHECK(code(withInfo(other)) == "8.8.4/3.7");
    other = info1;
    other.svn = h("010000");
    CHECK(code(withInfo(other)) == "8.8.3/3.1");
    CHECK(code(es9p::InitiateAuthenticationRequest{e.challenge, h("BF2002820302"), kAddress}) == "1.1/2.1");
    CHECK(s.smdp->sessions().size() == 2);
}

TEST_CASE("smdpp: authenticateClient refusals", "[smdpp]") {
    Server s;
    const std::string curve = "nist";
    auto run = [&](SoftEuicc& e, const SoftEuicc::Auth& o = {}) {
        const auto ia = initiate(s, e);
        const auto ac = authenticate(s, e, ia, o);
        return codeOf(ac.status);
    };
    SoftEuicc good;
    CHECK(run(good) == "ok");

    SECTION("unknown and replayed transactionId") {
        SoftEuicc e;
        const auto ia = initiate(s, e);
        auto post = [&](ByteView tid) {
            auto res = s.post(es9p::kPathAuthenticateClient, es9p::AuthenticateClientRequest{Bytes(tid.begin(), tid.end()),
                                                                                              e.authenticateServer(ia)}.encode());
            REQUIRE(res);
            return codeOf(es9p::decodeStatus(res->body));
        };
        CHECK(post(h("00112233445566778899AABBCCDDEEFF")) == "8.10.1/3.9");
        CHECK(post(ia.transactionId) == "ok");
        CHECK(post(ia.transactionId) == "8.10.1/3.9");  // replay
        // euiccSigned1 naming another session than the request.
        SoftEuicc e2;
        const auto ia2 = initiate(s, e2);
        SoftEuicc::Auth o;
        o.transactionId = ia.transactionId;
        CHECK(codeOf(authenticate(s, e2, ia2, o).status) == "8.10.1/3.9");
    }
    SECTION("signature and serverChallenge") {
        SoftEuicc e;
        SoftEuicc::Auth o;
        o.badSignature = true;
        CHECK(run(e, o) == "8.1/6.1");
        o = {};
        o.serverChallenge = Bytes(16, 0x55);
        CHECK(run(e, o) == "8.1/6.1");
        // A refusal ends the session: the right answer afterwards finds nothing.
        const auto ia = initiate(s, e);
        o = {};
        o.badSignature = true;
        CHECK(codeOf(authenticate(s, e, ia, o).status) == "8.1/6.1");
        CHECK(codeOf(authenticate(s, e, ia).status) == "8.10.1/3.9");
    }
    SECTION("matchingId: unknown, missing, or a path") {
        for (const char* mid : {"NOPE", "../ts48-upp/TS48V1-A-UNIQUE", "TS48V1-A-UNIQUE.der", "DEMO.der", "demo", "", "a/b", "%2e%2e"}) {
            SoftEuicc e;
            SoftEuicc::Auth o;
            o.matchingId = mid;
            INFO(mid);
            CHECK(run(e, o) == "8.2.6/3.8");
        }
        SoftEuicc e;
        SoftEuicc::Auth o;
        o.matchingId = std::nullopt;
        CHECK(run(e, o) == "8.2.6/3.8");
    }
    SECTION("certificates: expired, wrong chain, EID not permitted, another CI") {
        const std::string eumKey = pkiText(curve, "eum.key"), ciKey = pkiText(curve, "ci.key");
        SoftEuicc expired;
        expired.euiccCert = reissue(expired.euiccCert, eumKey, [](X509* x) { setValidity(x, -30, -1); });
        CHECK(run(expired) == "8.1.3/6.3");
        SoftEuicc notYet;
        notYet.euiccCert = reissue(notYet.euiccCert, eumKey, [](X509* x) { setValidity(x, 1, 30); });
        CHECK(run(notYet) == "8.1.3/6.3");
        SoftEuicc eumExpired;
        eumExpired.eumCert = reissue(eumExpired.eumCert, ciKey, [](X509* x) { setValidity(x, -30, -1); });
        CHECK(run(eumExpired) == "8.1.2/6.3");
        // CERT.EUICC signed by another key than the EUM's (same names): the chain does not verify.
        SoftEuicc wrongSigner;
        wrongSigner.euiccCert = reissue(wrongSigner.euiccCert, pkiText(curve, "dpauth.key"), [](X509*) {});
        CHECK(run(wrongSigner) == "8.1.3/6.1");
        // CERT.EUM re-signed by the DPauth key: names right, signature wrong.
        SoftEuicc eumWrong;
        eumWrong.eumCert = reissue(eumWrong.eumCert, pkiText(curve, "dpauth.key"), [](X509*) {});
        CHECK(run(eumWrong) == "8.1.2/6.1");
        // An EID outside the EUM's permitted prefix (89049032): still correctly signed by the EUM.
        SoftEuicc foreignEid;
        foreignEid.euiccCert = reissue(foreignEid.euiccCert, eumKey, [](X509* x) { setSerialNumber(x, "89001012012341234012345678901224"); });
        CHECK(run(foreignEid) == "8.1.3/6.1");
        // The EUM and eUICC of the other curve's PKI: another CI than euiccCiPKIdToBeUsed.
        SoftEuicc otherCi;
        SoftEuicc brp("brp");
        otherCi.eumCert = brp.eumCert;
        CHECK(run(otherCi) == "8.11.1/3.9");
        // Garbage instead of certificates.
        SoftEuicc garbage;
        garbage.euiccCert = h("3003020101");
        CHECK(run(garbage) == "8.1.3/6.1");
        // And the unchanged eUICC still passes.
        SoftEuicc fine;
        CHECK(run(fine) == "ok");
    }
    SECTION("a malformed authenticateServerResponse and the eUICC's own error") {
        SoftEuicc e;
        auto ia = initiate(s, e);
        auto res = s.post(es9p::kPathAuthenticateClient, es9p::AuthenticateClientRequest{ia.transactionId, h("BF3803A10100")}.encode());
        REQUIRE(res);
        CHECK(codeOf(es9p::decodeStatus(res->body)) == "1.1/2.1");
        ia = initiate(s, e);
        es10::AuthenticateServerResponse err;
        err.error = es10::AuthenticateServerResponse::Error{ia.transactionId, 2};
        res = s.post(es9p::kPathAuthenticateClient, es9p::AuthenticateClientRequest{ia.transactionId, err.encode()}.encode());
        REQUIRE(res);
        CHECK(codeOf(es9p::decodeStatus(res->body)) == "8.1/6.1");
    }
}

TEST_CASE("smdpp: getBoundProfilePackage refusals and the confirmation code", "[smdpp]") {
    SECTION("euiccSignature2") {
        Server s;
        SoftEuicc e;
        const auto ac = authenticate(s, e, initiate(s, e));
        CHECK(codeOf(bindProfile(s, e, ac, std::nullopt, true).status) == "8.1/6.1");
        CHECK(codeOf(bindProfile(s, e, ac).status) == "8.10.1/3.9");  // the session ended with the refusal
    }
    SECTION("before authenticateClient, or unknown") {
        Server s;
        SoftEuicc e;
        const auto ia = initiate(s, e);
        es9p::AuthenticateClientResponse fake;
        fake.transactionId = ia.transactionId;
        fake.smdpSigned2 = es10::SmdpSigned2{ia.transactionId, false, std::nullopt}.encode();
        fake.smdpSignature2 = es10::signatureTlv(Bytes(64, 1));
        CHECK(codeOf(bindProfile(s, e, fake).status) == "8.10.1/3.9");
    }
    SECTION("confirmation code required") {
        SmdpConfig cfg;
        cfg.confirmationCode = "1234";
        Server s("nist", cfg);
        auto flow = [&](std::optional<std::string> cc) {
            SoftEuicc e;
            const auto ac = authenticate(s, e, initiate(s, e));
            REQUIRE(ac.status.ok());
            CHECK(es10::SmdpSigned2::decode(ac.smdpSigned2).ccRequiredFlag);
            return codeOf(bindProfile(s, e, ac, cc).status);
        };
        CHECK(flow(std::nullopt) == "8.2.7/2.2");
        CHECK(flow(std::string("4321")) == "8.2.7/3.8");
        CHECK(flow(std::string("12345")) == "8.2.7/3.8");
        CHECK(flow(std::string("1234")) == "ok");
    }
}

TEST_CASE("smdpp: sessions expire", "[smdpp]") {
    SmdpConfig cfg;
    cfg.sessionTtl = std::chrono::milliseconds(150);
    Server s("nist", cfg);
    SoftEuicc e;
    const auto ia = initiate(s, e);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(s.smdp->sessions().size() == 0);
    CHECK(codeOf(authenticate(s, e, ia).status) == "8.10.1/3.9");
}

TEST_CASE("smdpp: session store capacity", "[smdpp]") {
    SessionStore store(std::chrono::seconds(60), 2);
    Session a, b, c;
    a.transactionId = h("01");
    b.transactionId = h("02");
    c.transactionId = h("03");
    CHECK(store.put(a));
    CHECK(store.put(b));
    CHECK(!store.put(c));
    CHECK(store.put(a));  // replacing one is fine
    CHECK(store.take(h("01")));
    CHECK(!store.take(h("01")));
    CHECK(store.put(c));
}

TEST_CASE("smdpp: cancelSession", "[smdpp]") {
    Server s;
    const std::string oid = euicc::registeredId(vicc::crypto::Certificate::fromDer(pkiFile("nist", "dpauth.der")));
    REQUIRE(oid == "2.999.10");
    auto cancel = [&](ByteView tid, const Bytes& response) {
        auto res = s.post(es9p::kPathCancelSession, es9p::CancelSessionRequest{Bytes(tid.begin(), tid.end()), response}.encode());
        REQUIRE(res);
        CHECK(res->status == 200);
        return codeOf(es9p::decodeStatus(res->body));
    };
    {
        SoftEuicc e;
        const auto ac = authenticate(s, e, initiate(s, e));
        CHECK(cancel(ac.transactionId, e.cancelSession(ac.transactionId, oid)) == "ok");
        CHECK(cancel(ac.transactionId, e.cancelSession(ac.transactionId, oid)) == "8.10.1/3.9");
        CHECK(codeOf(bindProfile(s, e, ac).status) == "8.10.1/3.9");
    }
    {
        SoftEuicc e;
        const auto ac = authenticate(s, e, initiate(s, e));
        CHECK(cancel(ac.transactionId, e.cancelSession(ac.transactionId, "2.999.11")) == "8.8/3.10");
    }
    {
        SoftEuicc e;
        const auto ac = authenticate(s, e, initiate(s, e));
        Bytes bad = e.cancelSession(ac.transactionId, oid);
        bad[bad.size() - 1] ^= 0x01;  // the signature's last byte
        CHECK(cancel(ac.transactionId, bad) == "8.1/6.1");
    }
    {
        SoftEuicc e;
        const auto ia = initiate(s, e);  // no CERT.EUICC known yet: nothing to verify with
        CHECK(cancel(ia.transactionId, e.cancelSession(ia.transactionId, oid)) == "8.1/6.1");
        CHECK(cancel(h("00"), e.cancelSession(h("00"), oid)) == "8.10.1/3.9");
    }
}

TEST_CASE("smdpp: notifications are verified, never refused", "[smdpp]") {
    Server s;
    SoftEuicc e;
    // No download session: the PIR cannot be verified, but it is still taken (204).
    auto sum = s.smdp->handleNotification({e.installResult(h("0102"), h("98001032547698103214"))});
    CHECK(sum.kind == "install-result");
    CHECK(!sum.verified);
    // OtherSignedNotification: BF2F, signature, CERT.EUICC, CERT.EUM.
    es10::NotificationMetadata nm;
    nm.seqNumber = 9;
    nm.operation = h("0640");  // enable
    nm.notificationAddress = kAddress;
    nm.iccid = h("98001032547698103214");
    const Bytes tbs = nm.encode();
    auto other = [&](ByteView sig) {
        return tlv::Builder().addRaw(tbs).add(0x5F37, sig).addRaw(e.euiccCert).addRaw(e.eumCert).wrap(0x30);
    };
    Bytes sig = euicc::rspSign(e.id.key.get(), tbs);
    sum = s.smdp->handleNotification({other(sig)});
    CHECK(sum.kind == "other");
    CHECK(sum.verified);
    CHECK(sum.detail == "seq=9 event=enable iccid=98001032547698103214");
    sig[0] ^= 1;
    sum = s.smdp->handleNotification({other(sig)});
    CHECK(!sum.verified);
    for (const char* junk : {"", "00", "BF3700", "3000", "BF37035F3700", "30820000"}) {
        sum = s.smdp->handleNotification({h(junk)});
        CHECK(!sum.verified);
    }
}

TEST_CASE("smdpp: concurrent sessions on one server", "[smdpp]") {
    Server s;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 3; ++i) {
                SoftEuicc e;
                try {
                    if (authenticate(s, e, initiate(s, e)).status.ok()) ++ok;
                } catch (const std::exception&) {
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 18);
    CHECK(s.smdp->sessions().size() == 18);
}

TEST_CASE("smdpp: one log line per request, without keys or profile data", "[smdpp]") {
    std::mutex m;
    std::vector<std::string> lines;
    vpcsc::log::setSink([&](vpcsc::log::Level, std::string_view text) {
        std::lock_guard lock(m);
        lines.emplace_back(text);
    });
    {
        Server s;
        SoftEuicc e;
        const auto ia = initiate(s, e);
        auto res = s.post(es9p::kPathAuthenticateClient, es9p::AuthenticateClientRequest{h("0011"), e.authenticateServer(ia)}.encode());
        REQUIRE(res);
    }
    vpcsc::log::setSink(nullptr);
    std::vector<std::string> requests;
    for (const auto& l : lines)
        if (l.find("POST /gsma/rsp2/es9plus/") != std::string::npos) requests.push_back(l);
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].find("POST /gsma/rsp2/es9plus/initiateAuthentication tid=") != std::string::npos);
    CHECK(requests[0].find("-> 200 Executed-Success") != std::string::npos);
    CHECK(requests[1].find("authenticateClient tid=0011 -> 200 Failed 8.10.1/3.9") != std::string::npos);
    const std::string key = pkiText("nist", "dpauth.key");
    const std::string keyLine = key.substr(key.find('\n') + 1, 40);  // base64 of the key material
    for (const auto& l : lines) {
        CHECK(l.find("PRIVATE") == std::string::npos);
        CHECK(l.find(keyLine) == std::string::npos);
    }
}
