// vicc-smdpp against the vicc eUICC's real download code (vicc/euicc/download: AuthenticateServer,
// PrepareDownload, LoadBoundProfilePackage in lpac's segments, CancelSession), with the requests
// an LPA builds from the ES9+ answers: DEMO installs on both curves and its signed result verifies.
#include <catch2/catch.hpp>

#include "tests/smdpp/harness.hpp"
#include "vicc/euicc/download/download.hpp"
#include "vicc/euicc/profile_store.hpp"

using namespace vpcsc;
using namespace vpcsc::smdpp;
using namespace vpcsc::smdpp::test;

namespace {

struct Card {
    euicc::EuiccIdentity id;
    es10::EuiccInfo2 info2;
    euicc::ProfileStore store;
    euicc::Download download{id, store};
    explicit Card(const std::string& curve)
        : id(euicc::EuiccIdentity::fromPkiDirectory(pkiDir(curve))), info2(euicc::EuiccCard(id).euiccInfo2()) {}
};

// What the LPA does between the two ends (SGP.22 §3.1.3, lpac's sequence).
struct Lpa {
    const Server& s;
    Card& card;

    es9p::InitiateAuthenticationResponse initiate() {
        const Bytes challenge = es10::decodeEuiccChallengeResponse(card.download.getEuiccChallenge());
        auto res = s.post(es9p::kPathInitiateAuthentication,
                          es9p::InitiateAuthenticationRequest{challenge, euicc::EuiccCard(card.id).euiccInfo1().encode(), kAddress}.encode());
        REQUIRE(res);
        return es9p::InitiateAuthenticationResponse::decode(res->body);
    }
    es9p::AuthenticateClientResponse authenticate(const es9p::InitiateAuthenticationResponse& ia, const std::string& mid) {
        es10::CtxParams1 ctx;
        ctx.matchingId = mid;
        ctx.deviceInfo.tac = h("35290611");
        const Bytes bf38 = tlv::Builder()
                               .addRaw(ia.serverSigned1)
                               .addRaw(ia.serverSignature1)
                               .addRaw(ia.euiccCiPkIdToBeUsed)
                               .addRaw(ia.serverCertificate)
                               .addRaw(ctx.encode())
                               .wrap(0xBF38);
        const Bytes asr = card.download.authenticateServer(bf38, card.info2);
        auto res = s.post(es9p::kPathAuthenticateClient, es9p::AuthenticateClientRequest{ia.transactionId, asr}.encode());
        REQUIRE(res);
        return es9p::AuthenticateClientResponse::decode(res->body);
    }
    es9p::GetBoundProfilePackageResponse bind(const es9p::AuthenticateClientResponse& ac) {
        const Bytes bf21 = tlv::Builder().addRaw(ac.smdpSigned2).addRaw(ac.smdpSignature2).addRaw(ac.smdpCertificate).wrap(0xBF21);
        const Bytes pdr = card.download.prepareDownload(bf21);
        auto res = s.post(es9p::kPathGetBoundProfilePackage, es9p::GetBoundProfilePackageRequest{ac.transactionId, pdr}.encode());
        REQUIRE(res);
        return es9p::GetBoundProfilePackageResponse::decode(res->body);
    }
};

}  // namespace

TEST_CASE("smdpp interop: the vicc eUICC downloads DEMO through vicc-smdpp", "[smdpp][interop]") {
    for (const char* curve : {"nist", "brp"}) {
        INFO(curve);
        Server s(curve);
        Card card(curve);
        Lpa lpa{s, card};
        const auto ia = lpa.initiate();
        REQUIRE(codeOf(ia.status) == "ok");
        const auto ac = lpa.authenticate(ia, "DEMO");
        REQUIRE(codeOf(ac.status) == "ok");
        const auto bpp = lpa.bind(ac);
        REQUIRE(codeOf(bpp.status) == "ok");
        const auto segments = es10::segmentBoundProfilePackage(bpp.boundProfilePackage);
        REQUIRE(segments.size() >= 6);
        Bytes result;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            result = card.download.loadBoundProfilePackage(segments[i]);
            if (i + 1 < segments.size()) REQUIRE(result.empty());
        }
        const auto pir = es10::ProfileInstallationResult::decode(result);
        CHECK(pir.data.transactionId == ia.transactionId);
        CHECK(pir.data.notificationMetadata.notificationAddress == kAddress);
        INFO("bppCommandId " << (pir.data.error ? pir.data.error->bppCommandId : -1) << " errorReason "
                             << (pir.data.error ? pir.data.error->errorReason : -1));
        REQUIRE(pir.data.success);
        REQUIRE(card.store.profiles().size() == 1);
        const auto md = es10::StoreMetadata::decode(ac.profileMetadata);
        CHECK(card.store.findByIccid(md.iccid) != nullptr);
        const auto sum = s.smdp->handleNotification(es9p::HandleNotificationRequest{result});
        CHECK(sum.verified);
        CHECK(sum.detail == "seq=" + std::to_string(pir.data.notificationMetadata.seqNumber) + " event=install iccid=" +
                                hx(md.iccid) + " result=success");
    }
}

TEST_CASE("smdpp interop: the eUICC's CancelSession is accepted; an unknown matchingId is refused", "[smdpp][interop]") {
    Server s;
    Card card("nist");
    Lpa lpa{s, card};
    auto ia = lpa.initiate();
    auto ac = lpa.authenticate(ia, "DEMO");
    REQUIRE(codeOf(ac.status) == "ok");
    const Bytes bf41 = card.download.cancelSession(es10::CancelSessionRequest{ia.transactionId, 0}.encode());
    auto res = s.post(es9p::kPathCancelSession, es9p::CancelSessionRequest{ia.transactionId, bf41}.encode());
    REQUIRE(res);
    CHECK(codeOf(es9p::decodeStatus(res->body)) == "ok");
    CHECK(s.smdp->sessions().size() == 0);

    ia = lpa.initiate();
    ac = lpa.authenticate(ia, "NO-SUCH-PROFILE");
    CHECK(codeOf(ac.status) == "8.2.6/3.8");
}
