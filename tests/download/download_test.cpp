// The eUICC side of a profile download (vicc/euicc/download): a whole TS.48 download on both
// curves through EuiccCard APDUs, the signatures each side checks, and every error path with the
// SGP.22 code it must produce (DownloadErrorCode §5.7.5, BppCommandId/ErrorReason §5.7.6,
// CancelSessionResponse §5.7.14).
#include <catch2/catch.hpp>

#include "tests/lib/tap_skip.hpp"
#include "tests/download/harness.hpp"
#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using namespace vpcsc::euicc::test;
using Cmd = es10::BppCommandId;
using Why = es10::InstallErrorReason;

namespace {

const char* const kUpp = "TS48V1-A-UNIQUE.der";

// A UPP-shaped payload for the error paths that end before the installer runs.
Bytes syntheticUpp(std::size_t n = 2500) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 31 + 7);
    return b;
}
const Bytes kIccid = h("98001032547698103214");

es10::ProfileInstallationResult pirOf(const Bytes& r) { return es10::ProfileInstallationResult::decode(r); }

void checkError(const Bytes& result, Cmd cmd, Why why) {
    const auto pir = pirOf(result);
    REQUIRE(pir.data.error);
    CHECK(pir.data.error->bppCommandId == static_cast<int>(cmd));
    CHECK(pir.data.error->errorReason == static_cast<int>(why));
}

}  // namespace

TEST_CASE("download: a TS.48 profile end to end through the card's APDUs, both curves", "[download]") {
    const auto upp = ts48(kUpp);
    if (!upp) {
        VPCSC_SKIP("no TS.48 UPP (set VPCSC_TS48_DIR)");
        return;
    }
    for (const char* curve : {"nist", "brp"}) {
        for (bool rsk : {false, true}) {
            INFO(curve << " ReplaceSessionKeys " << rsk);
            CardTarget t(curve);
            const Smdp dp(curve);
            const auto p = prepare(t, dp);
            const auto euiccCert = vicc::crypto::Certificate::fromDer(p.auth.ok->euiccCertificate);
            // the SM-DP+'s check of euiccSignature2 (over euiccSigned2 || 5F37 40 smdpSignature2)
            Bytes signed2 = p.prep.ok->euiccSigned2Raw;
            append(signed2, es10::signatureTlv(p.request.smdpSignature2));
            CHECK(rspVerify(euiccCert.publicKey().get(), signed2, p.prep.ok->euiccSignature2));
            CHECK(p.prep.ok->euiccSigned2.transactionId == dp.transactionId);
            CHECK(p.prep.ok->euiccSigned2.euiccOtpk.size() == 65);
            CHECK_FALSE(p.prep.ok->euiccSigned2.hashCc);

            const Bytes iccid = uppIccid(*upp);
            const auto segs = dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(iccid), rsk);
            // BF36+BF23, A0, A1, 88, [A2], A3, 12 x 86 (the notes' real run with osmo-smdpp, which always
            // sends A2, had 18)
            CHECK(segs.size() == (rsk ? 18u : 17u));
            const auto [at, result] = load(t, segs);
            CHECK(at == segs.size() - 1);  // every segment 90 00 without data but the last
            const auto pir = pirOf(result);
            CHECK(rspVerify(euiccCert.publicKey().get(), pir.dataRaw, pir.euiccSignPir));
            CHECK(pir.data.transactionId == dp.transactionId);
            CHECK(hx(pir.data.notificationMetadata.operation) == "0780");
            CHECK(pir.data.notificationMetadata.notificationAddress == "127.0.0.1:8443");
            CHECK(pir.data.notificationMetadata.iccid == iccid);
            CHECK(pir.data.notificationMetadata.seqNumber == 1);
            CHECK(hx(*pir.data.smdpOid) == "88370A");  // 2.999.10
            {
                INFO("bppCommandId/errorReason " << (pir.data.error ? pir.data.error->bppCommandId : -1) << "/"
                                                 << (pir.data.error ? pir.data.error->errorReason : -1));
                REQUIRE(pir.data.success);
                CHECK(hx(pir.data.success->isdpAid) == "A0000005591010FFFFFFFF8900001000");
                CHECK(hx(pir.data.success->simaResponse) == "3007A0053003800100");
                // what the LPA sees next through ES10b/c: the profile (disabled), the notification
                const auto list = es10::ProfileInfoListResponse::decode(t.ok(h("BF2D00")));
                REQUIRE(list.profiles.size() == 1);
                CHECK(list.profiles[0].iccid == iccid);
                CHECK(hx(*list.profiles[0].isdpAid) == "A0000005591010FFFFFFFF8900001000");
                CHECK(list.profiles[0].profileState == 0);
                CHECK(list.profiles[0].profileName == "TS.48 test");
                const auto notes = es10::ListNotificationResponse::decode(t.ok(h("BF2800")));
                REQUIRE(notes.notifications.size() == 1);
                CHECK(notes.notifications[0].seqNumber == 1);
                CHECK(notes.notifications[0].notificationAddress == "127.0.0.1:8443");
                const auto pending = es10::RetrieveNotificationsListResponse::decode(
                    t.ok(es10::RetrieveNotificationsListRequest{1, std::nullopt}.encode()));
                REQUIRE(pending.notifications.size() == 1);
                CHECK(pending.notifications[0] == result);  // the BF37 exactly as signed
                // the same package again: its ICCID is on the eUICC now (at the only 88)
                const auto p2 = prepare(t, dp);
                const auto [at2, r2] = load(t, dp.bpp(p2.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(iccid), rsk));
                CHECK(at2 == 3);
                checkError(r2, Cmd::StoreMetadata, Why::IccidAlreadyExistsOnEuicc);
                CHECK(es10::ProfileInfoListResponse::decode(t.ok(h("BF2D00"))).profiles.size() == 1);
            }
            // the session is over: another segment has nothing to belong to
            std::uint16_t sw = 0;
            t.es10(segs.back(), sw);
            CHECK(sw == 0x6985);
        }
    }
}

TEST_CASE("download: the store after a download, the notification, ICCID checks (direct)", "[download]") {
    const auto upp = ts48(kUpp);
    if (!upp) {
        VPCSC_SKIP("no TS.48 UPP");
        return;
    }
    DirectTarget t("nist");
    const Smdp dp("nist");
    const Bytes iccid = uppIccid(*upp);
    SECTION("installed disabled, with its metadata, SM-DP+ and notification") {
        const auto p = prepare(t, dp);
        const auto [at, result] = load(t, dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(iccid, "one")));
        REQUIRE(pirOf(result).data.success);
        REQUIRE(t.store.profiles().size() == 1);
        const auto& prof = t.store.profiles()[0];
        CHECK_FALSE(prof.enabled);
        CHECK(prof.metadata.profileName == "one");
        CHECK(prof.smdpAddress == "127.0.0.1:8443");
        CHECK(hx(prof.smdpOid) == "88370A");
        CHECK(prof.usim != nullptr);
        REQUIRE(t.store.notifications().size() == 1);
        CHECK(t.store.notifications()[0].event == NotificationEvent::Install);
        CHECK(t.store.notifications()[0].pending == result);
        CHECK(t.store.notifications()[0].address == "127.0.0.1:8443");

        // the same ICCID again: installFailedDueToIccidAlreadyExistsOnEuicc at StoreMetadata
        const auto p2 = prepare(t, dp);
        const auto segs = dp.bpp(p2.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(iccid, "two"));
        const auto [at2, r2] = load(t, segs);
        CHECK(at2 == 3);  // the (only) 88
        checkError(r2, Cmd::StoreMetadata, Why::IccidAlreadyExistsOnEuicc);
        CHECK(t.store.profiles().size() == 1);
        CHECK(t.store.notifications().size() == 2);
    }
    SECTION("StoreMetadata names another ICCID than the package: installFailedDueToDataMismatch") {
        const auto p = prepare(t, dp);
        const auto [at, result] = load(t, dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(kIccid)));
        checkError(result, Cmd::LoadProfileElements, Why::DataMismatch);
        CHECK(t.store.profiles().empty());
    }
}

TEST_CASE("download: every TS.48 package, both curves (direct)", "[download]") {
    std::size_t seen = 0;
    for (const char* name : {"TS48V1-A-UNIQUE.der", "TS48V1-B-UNIQUE.der", "TS48V2-SAIP2-1-BERTLV-UNIQUE.der",
                             "TS48V3-SAIP2-3-NOBERTLV-UNIQUE.der", "TS48V4-SAIP2-1A-NOBERTLV-UNIQUE.der",
                             "TS48V4-SAIP2-3-BERTLV-UNIQUE.der", "TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der",
                             "TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der"}) {
        const auto upp = ts48(name);
        if (!upp) continue;
        ++seen;
        for (const char* curve : {"nist", "brp"}) {
            INFO(name << " " << curve);
            DirectTarget t(curve);
            const Smdp dp(curve);
            const auto p = prepare(t, dp);
            const auto segs = dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, *upp, metadataFor(uppIccid(*upp)), true);
            const auto [at, result] = load(t, segs);
            CHECK(at == segs.size() - 1);
            const auto pir = pirOf(result);
            CHECK(pir.data.success);
            CHECK(t.store.profiles().size() == 1);
        }
    }
    if (!seen) VPCSC_SKIP("no TS.48 UPP");
}

TEST_CASE("download: StoreMetadata over two 88 segments (a 1024-byte icon)", "[download][bpp]") {
    for (bool direct : {false, true}) {
        INFO("direct " << direct);
        auto t = makeTarget(direct, "brp");
        const Smdp dp("brp");
        auto md = metadataFor(kIccid);
        md.iconType = 1;
        md.icon = Bytes(1024, 0x89);
        const auto p = prepare(*t, dp);
        const auto segs = dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, syntheticUpp(), md);
        REQUIRE(segs[3][0] == 0x88);
        REQUIRE(segs[4][0] == 0x88);
        const auto [at, result] = load(*t, segs);
        CHECK(at == segs.size() - 1);  // past StoreMetadata: the installer refuses the synthetic payload
        const auto pir = pirOf(result);
        REQUIRE(pir.data.error);
        CHECK(pir.data.error->bppCommandId == 5);
        CHECK(pir.data.notificationMetadata.iccid == kIccid);  // the metadata was read from both 88s
    }
}

TEST_CASE("download: PrepareDownload refuses with SGP.22 DownloadErrorCode", "[download][prepare]") {
    for (bool direct : {false, true}) {
        INFO("direct " << direct);
        auto t = makeTarget(direct, "nist");
        Smdp dp("nist");
        auto prepareWith = [&](const es10::PrepareDownloadRequest& req) {
            return es10::PrepareDownloadResponse::decode(t->ok(req.encode()));
        };
        auto authenticate = [&] {
            const Bytes challenge = es10::decodeEuiccChallengeResponse(t->ok(h("BF2E00")));
            const auto r = es10::AuthenticateServerResponse::decode(t->ok(dp.authenticateServer(challenge).encode()));
            REQUIRE(r.ok);
            return r.ok->euiccSignature1;
        };
        SECTION("no session: noSessionContext(4)") {
            const auto r = prepareWith(dp.prepareDownload(Bytes(64, 1)));
            REQUIRE(r.error);
            CHECK(r.error->code == 4);
            CHECK(r.error->transactionId == dp.transactionId);
        }
        SECTION("smdpSignature2 does not verify: invalidSignature(2)") {
            auto req = dp.prepareDownload(authenticate());
            req.smdpSignature2[5] ^= 0x40;
            CHECK(prepareWith(req).error->code == 2);
        }
        SECTION("signed over another euiccSignature1: invalidSignature(2)") {
            authenticate();
            CHECK(prepareWith(dp.prepareDownload(Bytes(64, 0x33))).error->code == 2);
        }
        SECTION("another transactionId, correctly signed: invalidTransactionId(5)") {
            const Bytes sig1 = authenticate();
            Smdp other("nist");
            other.transactionId = h("FFEEDDCCBBAA99887766554433221100");
            const auto r = prepareWith(other.prepareDownload(sig1));
            CHECK(r.error->code == 5);
        }
        SECTION("CERT.DPpb of another CI: invalidCertificate(1)") {
            const Bytes sig1 = authenticate();
            Smdp brp("brp");
            brp.transactionId = dp.transactionId;
            CHECK(prepareWith(brp.prepareDownload(sig1)).error->code == 1);
        }
        SECTION("CERT.DPauth (role dp-auth) in place of CERT.DPpb: invalidCertificate(1)") {
            const Bytes sig1 = authenticate();
            auto req = dp.prepareDownload(sig1);
            req.smdpCertificate = dp.dpauthCert;
            Bytes toSign = req.smdpSigned2Raw;
            append(toSign, es10::signatureTlv(sig1));
            req.smdpSignature2 = rspSign(dp.dpauthKey.get(), toSign);
            CHECK(prepareWith(req).error->code == 1);
        }
        SECTION("an expired CERT.DPpb: invalidCertificate(1)") {
            const Bytes sig1 = authenticate();
            dp.dppbCert = reissued("nist", dp.dppbCert, [](X509* x) {
                X509_gmtime_adj(X509_getm_notBefore(x), -3 * 86400);
                X509_gmtime_adj(X509_getm_notAfter(x), -86400);
            });
            CHECK(prepareWith(dp.prepareDownload(sig1)).error->code == 1);
        }
        SECTION("CERT.DPpb of another SM-DP+ (OID 2.999.11): invalidCertificate(1)") {
            const Bytes sig1 = authenticate();
            dp.dppbCert = reissued("nist", dp.dppbCert, [](X509* x) {
                X509_EXTENSION_free(X509_delete_ext(x, X509_get_ext_by_NID(x, NID_subject_alt_name, -1)));
                X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, "RID:2.999.11");
                X509_add_ext(x, ext, -1);
                X509_EXTENSION_free(ext);
            });
            CHECK(prepareWith(dp.prepareDownload(sig1)).error->code == 1);
            // the same re-issue with the right OID is accepted: the check above is the OID's
            dp.dppbCert = reissued("nist", test::pkiFile("nist", "dppb.der"), [](X509*) {});
            CHECK(prepareWith(dp.prepareDownload(sig1)).ok);
        }
        SECTION("ccRequiredFlag without hashCc: undefinedError(127); with it, hashCc is signed") {
            const Bytes sig1 = authenticate();
            CHECK(prepareWith(dp.prepareDownload(sig1, std::nullopt, true)).error->code == 127);
            const Bytes hashCc(32, 0xCC);
            const auto r = prepareWith(dp.prepareDownload(sig1, std::nullopt, true, hashCc));
            REQUIRE(r.ok);
            CHECK(r.ok->euiccSigned2.hashCc == hashCc);
        }
        SECTION("bppEuiccOtpk: the retained key pair is reused, an unknown one is not") {
            const Bytes sig1 = authenticate();
            const auto first = prepareWith(dp.prepareDownload(sig1));
            REQUIRE(first.ok);
            const Bytes otpk = first.ok->euiccSigned2.euiccOtpk;
            // a new session (the SM-DP+ retries the bound BPP)
            const Bytes sig1b = authenticate();
            const auto again = prepareWith(dp.prepareDownload(sig1b, otpk));
            CHECK(again.ok->euiccSigned2.euiccOtpk == otpk);
            const auto fresh = prepareWith(dp.prepareDownload(sig1b, EckaKeyPair::generate(RspCurve::NistP256).publicPoint()));
            CHECK(fresh.ok->euiccSigned2.euiccOtpk != otpk);
            CHECK(prepareWith(dp.prepareDownload(sig1b)).ok->euiccSigned2.euiccOtpk != fresh.ok->euiccSigned2.euiccOtpk);
        }
        SECTION("a malformed request: 6A80") {
            std::uint16_t sw = 0;
            t->es10(h("BF2103800101"), sw);
            CHECK(sw == 0x6A80);
        }
    }
}

TEST_CASE("download: AuthenticateServer keeps the SM-DP+ and checks ctxParams1", "[download][auth]") {
    auto t = makeTarget(false, "nist");
    const Smdp dp("nist");
    SECTION("a matchingId that cannot be an Activation Code's: undefinedError(127)") {
        const Bytes challenge = es10::decodeEuiccChallengeResponse(t->ok(h("BF2E00")));
        const auto r = es10::AuthenticateServerResponse::decode(t->ok(dp.authenticateServer(challenge, "A$B").encode()));
        REQUIRE(r.error);
        CHECK(r.error->code == 127);
    }
    SECTION("a CERT.DPauth without an SM-DP+ OID: invalidOid(5)") {
        Smdp noOid("nist");
        noOid.dpauthCert = reissued("nist", noOid.dpauthCert, [](X509* x) {
            X509_EXTENSION_free(X509_delete_ext(x, X509_get_ext_by_NID(x, NID_subject_alt_name, -1)));
        });
        const Bytes challenge = es10::decodeEuiccChallengeResponse(t->ok(h("BF2E00")));
        const auto r = es10::AuthenticateServerResponse::decode(t->ok(noOid.authenticateServer(challenge).encode()));
        REQUIRE(r.error);
        CHECK(r.error->code == 5);
    }
    SECTION("no matchingId (SM-DS / default SM-DP+ use case) is fine") {
        const Bytes challenge = es10::decodeEuiccChallengeResponse(t->ok(h("BF2E00")));
        auto req = dp.authenticateServer(challenge);
        req.ctxParams1.matchingId.reset();
        req.ctxParams1Raw = req.ctxParams1.encode();
        CHECK(es10::AuthenticateServerResponse::decode(t->ok(req.encode())).ok);
    }
    SECTION("a new AuthenticateServer ends the session before it") {
        const auto p = prepare(*t, dp);
        const auto segs = dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, syntheticUpp(), metadataFor(kIccid));
        CHECK(t->ok(segs[0]).empty());
        const Bytes challenge = es10::decodeEuiccChallengeResponse(t->ok(h("BF2E00")));
        CHECK(es10::AuthenticateServerResponse::decode(t->ok(dp.authenticateServer(challenge).encode())).ok);
        std::uint16_t sw = 0;
        t->es10(segs[1], sw);
        CHECK(sw == 0x6985);  // not prepared
    }
}

TEST_CASE("download: LoadBoundProfilePackage errors as ProfileInstallationResult", "[download][bpp]") {
    for (bool direct : {false, true}) {
        INFO("direct " << direct);
        auto t = makeTarget(direct, "nist");
        const Smdp dp("nist");
        const Bytes upp = syntheticUpp();
        auto fresh = [&](bool rsk = false) {
            const auto p = prepare(*t, dp);
            return std::make_pair(p, dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, upp, metadataFor(kIccid), rsk));
        };
        // Sends segs; the first data must come at `at` and be the error (cmd, why).
        auto expectError = [&](const std::vector<Bytes>& segs, std::size_t at, Cmd cmd, Why why) {
            const auto [i, r] = load(*t, segs);
            CHECK(i == at);
            REQUIRE_FALSE(r.empty());
            checkError(r, cmd, why);
            const auto pir = pirOf(r);
            CHECK(pir.data.transactionId == dp.transactionId);
            CHECK(rspVerify(vicc::crypto::Certificate::fromDer(test::pkiFile("nist", "euicc.der")).publicKey().get(),
                            pir.dataRaw, pir.euiccSignPir));
            // the session is closed: the next segment is refused
            std::uint16_t sw = 0;
            t->es10(segs.back(), sw);
            CHECK(sw == 0x6985);
            if (direct) {
                auto& s = static_cast<DirectTarget&>(*t).store;
                CHECK(s.profiles().empty());
                REQUIRE_FALSE(s.notifications().empty());
                CHECK(s.notifications().back().pending == r);
            }
        };
        // BF23 changed by `edit`, smdpSign made again with the DPpb key over the changed fields and
        // the eUICC's otPK, so that only the changed field is wrong.
        auto editBf23 = [&](Bytes& first, const Prepared& p, auto edit) {
            std::size_t off = 0;
            tlv::readTag(first, off);
            tlv::readLength(first, off);
            auto isc = es10::InitialiseSecureChannel::decode(ByteView(first).subspan(off));
            edit(isc);
            isc.smdpSign = rspSign(dp.dppbKey.get(), isc.signedData(p.prep.ok->euiccSigned2.euiccOtpk));
            const Bytes enc = isc.encode();
            REQUIRE(enc.size() == first.size() - off);  // same length: BF36's stays right
            first.resize(off);
            append(first, enc);
        };

        SECTION("a segment without a prepared session: 6985") {
            std::uint16_t sw = 0;
            t->es10(h("A30481020000"), sw);
            CHECK(sw == 0x6985);
        }
        SECTION("smdpSign does not verify: initialiseSecureChannel / invalidSignature") {
            auto [p, segs] = fresh();
            segs[0][segs[0].size() - 3] ^= 0x01;
            expectError(segs, 0, Cmd::InitialiseSecureChannel, Why::InvalidSignature);
        }
        SECTION("BF23 re-signed unchanged is accepted (the edits below test only their field)") {
            auto [p, segs] = fresh();
            editBf23(segs[0], p, [](es10::InitialiseSecureChannel&) {});
            CHECK(t->ok(segs[0]).empty());
            CHECK(t->ok(segs[1]).empty());
        }
        SECTION("BF23 with another transactionId: invalidTransactionId") {
            auto [p, segs] = fresh();
            editBf23(segs[0], p, [](es10::InitialiseSecureChannel& i) { i.transactionId[0] ^= 0xFF; });
            expectError(segs, 0, Cmd::InitialiseSecureChannel, Why::InvalidTransactionId);
        }
        SECTION("BF23 with keyType 89: unsupportedCrtValues") {
            auto [p, segs] = fresh();
            editBf23(segs[0], p, [](es10::InitialiseSecureChannel& i) { i.keyType = 0x89; });
            expectError(segs, 0, Cmd::InitialiseSecureChannel, Why::UnsupportedCrtValues);
        }
        SECTION("BF23 with remoteOpId 2: unsupportedRemoteOperationType") {
            auto [p, segs] = fresh();
            // 82 01 01 is the first field of BF23 (after BF36 L and BF23 L)
            const auto pos = hx(segs[0]).find("820101");
            REQUIRE(pos != std::string::npos);
            segs[0][pos / 2 + 2] = 0x02;
            expectError(segs, 0, Cmd::InitialiseSecureChannel, Why::UnsupportedRemoteOperationType);
        }
        SECTION("a MAC failure in ConfigureISDP's 87: configureISDP / scp03tSecurityError") {
            auto [p, segs] = fresh();
            segs[1].back() ^= 0x01;
            expectError(segs, 1, Cmd::ConfigureIsdp, Why::Scp03tSecurityError);
        }
        SECTION("a MAC failure in an 88: storeMetadata / scp03tSecurityError") {
            auto [p, segs] = fresh();
            segs[3][5] ^= 0x01;
            expectError(segs, 3, Cmd::StoreMetadata, Why::Scp03tSecurityError);
        }
        SECTION("a MAC failure in the second 86: loadProfileElements / scp03tSecurityError") {
            auto [p, segs] = fresh();
            segs[6][20] ^= 0x01;
            expectError(segs, 6, Cmd::LoadProfileElements, Why::Scp03tSecurityError);
        }
        SECTION("with ReplaceSessionKeys: a MAC failure in A2 / replaceSessionKeys, and in a PPK 86") {
            auto [p, segs] = fresh(true);
            REQUIRE(segs[4][0] == 0xA2);
            auto bad = segs;
            bad[4].back() ^= 0x01;
            expectError(bad, 4, Cmd::ReplaceSessionKeys, Why::Scp03tSecurityError);
            auto [p2, segs2] = fresh(true);
            segs2[7].back() ^= 0x01;
            expectError(segs2, 7, Cmd::LoadProfileElements, Why::Scp03tSecurityError);
        }
        SECTION("an 86 truncated: loadProfileElements / scp03tStructureError") {
            auto [p, segs] = fresh();
            segs[6].pop_back();
            expectError(segs, 6, Cmd::LoadProfileElements, Why::Scp03tStructureError);
        }
        SECTION("two 86 swapped: the MAC chain breaks") {
            auto [p, segs] = fresh();
            std::swap(segs[5], segs[6]);
            expectError(segs, 5, Cmd::LoadProfileElements, Why::Scp03tSecurityError);
        }
        SECTION("the A3 header before A1: storeMetadata / scp03tStructureError") {
            auto [p, segs] = fresh();
            std::swap(segs[2], segs[4]);  // A1 header <-> A3 header
            expectError(segs, 2, Cmd::StoreMetadata, Why::Scp03tStructureError);
        }
        SECTION("a surplus 88 after StoreMetadata: storeMetadata / scp03tStructureError") {
            auto [p, segs] = fresh();
            segs.insert(segs.begin() + 4, segs[3]);
            expectError(segs, 4, Cmd::StoreMetadata, Why::Scp03tStructureError);
        }
        SECTION("BF36 starting with A0: initialiseSecureChannel / scp03tStructureError") {
            auto [p, segs] = fresh();
            expectError({segs[1]}, 0, Cmd::InitialiseSecureChannel, Why::Scp03tStructureError);
        }
        SECTION("an abandoned package leaves nothing; the next session starts clean") {
            auto [p, segs] = fresh();
            for (std::size_t i = 0; i < 5; ++i) CHECK(t->ok(segs[i]).empty());
            auto [p2, segs2] = fresh();
            const auto [i, r] = load(*t, segs2);
            CHECK(i == segs2.size() - 1);
            // the synthetic payload is no SAIP package: the installer refuses it at the end
            const auto pir = pirOf(r);
            REQUIRE(pir.data.error);
            CHECK(pir.data.error->bppCommandId == 5);
        }
        SECTION("a profile with this ICCID exists: storeMetadata / iccidAlreadyExistsOnEuicc") {
            if (!direct) return;
            InstalledProfile existing;
            existing.isdpAid = h("A0000005591010FFFFFFFF8900001000");
            existing.metadata = metadataFor(kIccid);
            static_cast<DirectTarget&>(*t).store.install(existing);
            auto [p, segs] = fresh();
            const auto [i, r] = load(*t, segs);
            CHECK(i == 3);
            checkError(r, Cmd::StoreMetadata, Why::IccidAlreadyExistsOnEuicc);
            CHECK(static_cast<DirectTarget&>(*t).store.profiles().size() == 1);
        }
    }
}

TEST_CASE("download: CancelSession", "[download][cancel]") {
    for (const char* curve : {"nist", "brp"}) {
        INFO(curve);
        CardTarget t(curve);
        const Smdp dp(curve);
        auto cancel = [&](const Bytes& tid, std::int64_t reason) {
            return es10::CancelSessionResponse::decode(t.ok(es10::CancelSessionRequest{tid, reason}.encode()));
        };
        SECTION("no session: invalidTransactionId(5)") {
            const auto r = cancel(dp.transactionId, 0);
            REQUIRE(r.error);
            CHECK(*r.error == 5);
            CHECK(hx(es10::CancelSessionResponse{std::nullopt, 5}.encode()) == "BF4103810105");
        }
        SECTION("signed by the eUICC, the session ends") {
            const auto p = prepare(t, dp);
            CHECK(*cancel(h("00"), 0).error == 5);          // another transaction
            CHECK(*cancel(dp.transactionId, 6).error == 127);  // no such reason
            const auto r = cancel(dp.transactionId, 5);     // loadBppExecutionError
            REQUIRE(r.ok);
            CHECK(r.ok->signedPart.transactionId == dp.transactionId);
            CHECK(hx(r.ok->signedPart.smdpOid) == "88370A");
            CHECK(r.ok->signedPart.reason == 5);
            CHECK(hx(r.ok->signedRaw) == "301A80100123456789ABCDEF0123456789ABCDEF810388370A820105");
            const auto euiccCert = vicc::crypto::Certificate::fromDer(p.auth.ok->euiccCertificate);
            CHECK(rspVerify(euiccCert.publicKey().get(), r.ok->signedRaw, r.ok->signature));
            // no session any more: PrepareDownload noSessionContext(4), a segment 6985, cancel again 5
            const auto again = es10::PrepareDownloadResponse::decode(t.ok(dp.prepareDownload(p.auth.ok->euiccSignature1).encode()));
            CHECK(again.error->code == 4);
            std::uint16_t sw = 0;
            t.es10(h("A30481020000"), sw);
            CHECK(sw == 0x6985);
            CHECK(*cancel(dp.transactionId, 0).error == 5);
        }
    }
}

TEST_CASE("download: PPR1/PPR2 in StoreMetadata only as the RAT allows (pprNotAllowed)", "[download][bpp][rat]") {
    // SGP.22 §2.9.2.2: the eUICC checks the profile's PPRs against its Rules Authorisation Table
    // for the Profile Owner; vicc's default table allows both for any operator (vicc --rat).
    const Bytes upp = saip::demoProfile();
    auto md = metadataFor(saip::iccidOf(upp));
    md.profilePolicyRules = h("0560");    // ppr1 + ppr2
    md.profileOwner = h("800362F210");    // mccMnc 262-01
    DirectTarget t("nist");
    const Smdp dp("nist");
    auto run = [&](const es10::StoreMetadata& m) {
        const auto p = prepare(t, dp);
        return load(t, dp.bpp(p.prep.ok->euiccSigned2.euiccOtpk, upp, m));
    };
    SECTION("the default table (any): installed with its PPRs") {
        const auto [at, result] = run(md);
        REQUIRE(pirOf(result).data.success);
        REQUIRE(t.store.profiles().size() == 1);
        CHECK(t.store.profiles()[0].metadata.profilePolicyRules == md.profilePolicyRules);
    }
    SECTION("--rat none: refused at StoreMetadata, nothing installed") {
        t.id.rat = Rat::named("none");
        const auto [at, result] = run(md);
        CHECK(at == 3);  // the 88 that carries StoreMetadata
        checkError(result, Cmd::StoreMetadata, Why::PprNotAllowed);
        CHECK(t.store.profiles().empty());
        md.profilePolicyRules.reset();  // the same profile without PPRs installs
        CHECK(pirOf(run(md).second).data.success);
    }
    SECTION("a rule for another operator, or for ppr1 only") {
        t.id.rat.rules = {PprRule{kPpr1 | kPpr2, {OperatorId{h("13F020"), std::nullopt, std::nullopt}}, false}};
        checkError(run(md).second, Cmd::StoreMetadata, Why::PprNotAllowed);
        t.id.rat.rules = {PprRule{kPpr1, {OperatorId{h("62F210"), std::nullopt, std::nullopt}}, false}};
        checkError(run(md).second, Cmd::StoreMetadata, Why::PprNotAllowed);  // ppr2 not covered
        md.profilePolicyRules = h("0640");  // ppr1 alone
        CHECK(pirOf(run(md).second).data.success);
    }
}
