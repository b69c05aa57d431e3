// ES10 codecs (vicc/euicc/es10): exact bytes of a real eUICC's EUICCInfo1/2 (a sysmoEUICC1 as
// pySim's shell tests record it), lpac's captured STORE DATA payloads (research notes §2.3), round
// trips of the download messages, the BPP segmentation lpac uses and the eUICC's segment checks.
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/bsp.hpp"
#include "vicc/euicc/es10.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using namespace vpcsc::euicc::es10;
using test::h;
using test::hx;

namespace {
const char* const kSki = "F54172BDF98A95D65CBEB88A38A1C11D800A85C3";
const char* const kInfo1 =
    "bf20358203020300a9160414f54172bdf98a95d65cbeb88a38a1c11d800a85c3aa160414f54172bdf98a95d65cbeb88a38a1c11d800a85c3";
const char* const kInfo2 =
    "bf227d810302030182030203008303230623840d810108820400045bf8830224198505067f36f3c086030f0100870302030088020398"
    "a9160414f54172bdf98a95d65cbeb88a38a1c11d800a85c3aa160414f54172bdf98a95d65cbeb88a38a1c11d800a85c3"
    "9902064004030100000c0f5359534d4f434f4d2d544553542d31";

Bytes fakeCert(std::uint8_t fill) { return tlv::encode(0x30, Bytes(40, fill)); }

ServerSigned1 serverSigned1() {
    return {h("00112233445566778899AABBCCDDEEFF"), Bytes(16, 0xC1), "127.0.0.1:8443", Bytes(16, 0x5C)};
}

CtxParams1 ctx(std::optional<std::string> mid) {
    CtxParams1 c;
    c.matchingId = std::move(mid);
    c.deviceInfo.tac = h("35290611");
    c.deviceInfo.deviceCapabilities = {};
    return c;
}
}  // namespace

TEST_CASE("EUICCInfo1/2 of a real eUICC decode and re-encode byte for byte", "[euicc][es10]") {
    const EuiccInfo1 i1 = EuiccInfo1::decode(h(kInfo1));
    CHECK(hx(i1.svn) == "020300");
    REQUIRE(i1.ciPkIdsForVerification.size() == 1);
    CHECK(hx(i1.ciPkIdsForVerification[0]) == kSki);
    CHECK(i1.ciPkIdsForSigning == i1.ciPkIdsForVerification);
    CHECK(hx(i1.encode()) == hx(h(kInfo1)));

    const EuiccInfo2 i2 = EuiccInfo2::decode(h(kInfo2));
    CHECK(hx(i2.profileVersion) == "020301");
    CHECK(hx(i2.euiccFirmwareVer) == "230623");
    CHECK(hx(i2.extCardResource) == "810108820400045BF883022419");
    CHECK(hx(i2.uiccCapability) == "067F36F3C0");
    CHECK(i2.ts102241Version == std::optional<Bytes>(h("0f0100")));
    CHECK(hx(i2.rspCapability) == "0398");
    CHECK(i2.forbiddenProfilePolicyRules == std::optional<Bytes>(h("0640")));
    CHECK_FALSE(i2.euiccCategory);
    CHECK(hx(i2.ppVersion) == "010000");
    CHECK(i2.sasAccreditationNumber == "SYSMOCOM-TEST-1");
    CHECK(hx(i2.encode()) == hx(h(kInfo2)));
}

TEST_CASE("EUICCInfo decoders refuse malformed input", "[euicc][es10]") {
    CHECK_THROWS_AS(EuiccInfo1::decode(h("bf2000")), Es10Error);                       // svn missing
    CHECK_THROWS_AS(EuiccInfo1::decode(h("bf200582030203")), Es10Error);               // truncated
    CHECK_THROWS_AS(EuiccInfo1::decode(h("bf200982020203a900aa00")), Es10Error);        // svn 2 bytes
    CHECK_THROWS_AS(EuiccInfo1::decode(h("bf200c8203020300a9030501ffaa00")), Es10Error);  // list element not 04
    CHECK_THROWS_AS(EuiccInfo1::decode(h("bf22058203020300")), Es10Error);              // wrong outer tag
    Bytes trailing = h(kInfo1);
    trailing.push_back(0x00);
    CHECK_THROWS_AS(EuiccInfo1::decode(trailing), Es10Error);
    Bytes info2 = h(kInfo2);
    info2.resize(info2.size() - 1);
    CHECK_THROWS_AS(EuiccInfo2::decode(info2), Es10Error);
    // an extension field after the known ones is tolerated
    const EuiccInfo1 i1 = EuiccInfo1::decode(h("bf200c8203020300a900aa00bf7700"));
    CHECK(i1.ciPkIdsForSigning.empty());
}

TEST_CASE("lpac's ES10 payloads: command tags, GetEID, GetEuiccChallenge", "[euicc][es10]") {
    CHECK(commandTag(h("BF3E035C015A")) == kTagGetEid);
    CHECK(commandTag(h("BF2E00")) == kTagGetEuiccChallenge);
    CHECK(commandTag(h("BF2000")) == kTagGetEuiccInfo1);
    CHECK(commandTag(h("BF2200")) == kTagGetEuiccInfo2);
    CHECK(commandTag(h("BF2D00")) == 0xBF2D);
    CHECK(commandTag(h("BF3111A00C5A0A98001032547698103214810100")) == 0xBF31);
    CHECK_THROWS_AS(commandTag(h("BF2E")), Es10Error);
    CHECK_THROWS_AS(commandTag(h("BF2E0000")), Es10Error);
    CHECK_THROWS_AS(commandTag({}), Es10Error);

    const GetEidRequest req = GetEidRequest::decode(h("BF3E035C015A"));
    CHECK(req.tagList == std::optional<Bytes>(h("5A")));
    CHECK_FALSE(GetEidRequest::decode(h("BF3E00")).tagList);
    const Bytes eid = h("89049032123451234512345678901235");
    CHECK(hx(encodeEidResponse(eid)) == "BF3E125A1089049032123451234512345678901235");
    CHECK(decodeEidResponse(h("BF3E125A1089049032123451234512345678901235")) == eid);
    CHECK_THROWS_AS(decodeEidResponse(h("BF3E035A0189")), Es10Error);

    const Bytes ch = h("000102030405060708090A0B0C0D0E0F");
    CHECK(hx(encodeEuiccChallengeResponse(ch)) == "BF2E1280100" "00102030405060708090A0B0C0D0E0F");
    CHECK(decodeEuiccChallengeResponse(encodeEuiccChallengeResponse(ch)) == ch);
    CHECK_THROWS_AS(encodeEuiccChallengeResponse(Bytes(15)), std::invalid_argument);
}

TEST_CASE("AuthenticateServer request and response", "[euicc][es10]") {
    AuthenticateServerRequest req;
    req.serverSigned1 = serverSigned1();
    req.serverSignature1 = Bytes(64, 0xAB);
    req.euiccCiPkIdToBeUsed = h(kSki);
    req.serverCertificate = fakeCert(0x11);
    req.ctxParams1 = ctx("DEMO");
    const Bytes enc = req.encode();
    CHECK(hx(ByteView(enc).first(4)) == "BF3881DD");  // 221 bytes: 81 xx length
    const auto back = AuthenticateServerRequest::decode(enc);
    CHECK(back.serverSigned1.transactionId == req.serverSigned1.transactionId);
    CHECK(back.serverSigned1.serverAddress == "127.0.0.1:8443");
    CHECK(back.serverSigned1Raw == req.serverSigned1.encode());
    CHECK(back.ctxParams1.matchingId == std::optional<std::string>("DEMO"));
    CHECK(hx(back.ctxParams1.deviceInfo.tac) == "35290611");
    CHECK(hx(back.ctxParams1Raw) == "A0108004" "44454D4F" "A1088004352906" "11A100");
    CHECK(back.encode() == enc);
    // lpac without a matchingId (activation code without one)
    req.ctxParams1 = ctx(std::nullopt);
    CHECK_FALSE(AuthenticateServerRequest::decode(req.encode()).ctxParams1.matchingId);

    SECTION("malformed requests") {
        AuthenticateServerRequest r = req;
        r.serverSignature1 = Bytes(63, 0xAB);
        CHECK_THROWS_AS(AuthenticateServerRequest::decode(r.encode()), Es10Error);
        r = req;
        r.serverSigned1.euiccChallenge = Bytes(8, 1);
        CHECK_THROWS_AS(AuthenticateServerRequest::decode(r.encode()), Es10Error);
        r = req;
        r.ctxParams1.deviceInfo.tac = h("3529061100");
        CHECK_THROWS_AS(AuthenticateServerRequest::decode(r.encode()), Es10Error);
        Bytes cut = req.encode();
        cut.resize(cut.size() - 3);
        CHECK_THROWS_AS(AuthenticateServerRequest::decode(cut), Es10Error);
    }

    AuthenticateServerResponse ok;
    EuiccSigned1 s1{req.serverSigned1.transactionId, "127.0.0.1:8443", Bytes(16, 0x5C), h(kInfo2), req.ctxParams1.encode()};
    ok.ok = AuthenticateServerResponse::Ok{{}, s1, Bytes(64, 0xEE), fakeCert(0x22), fakeCert(0x33)};
    const auto okBack = AuthenticateServerResponse::decode(ok.encode());
    REQUIRE(okBack.ok);
    CHECK(okBack.ok->euiccSigned1Raw == s1.encode());
    CHECK(okBack.ok->euiccSigned1.serverAddress == "127.0.0.1:8443");
    CHECK(okBack.ok->eumCertificate == fakeCert(0x33));
    CHECK(EuiccInfo2::decode(okBack.ok->euiccSigned1.euiccInfo2).sasAccreditationNumber == "SYSMOCOM-TEST-1");

    AuthenticateServerResponse err;
    err.error = AuthenticateServerResponse::Error{h("0102"), 8};  // 8: ciPKUnknown
    CHECK(hx(err.encode()) == "BF3809A10780020102020108");
    const auto errBack = AuthenticateServerResponse::decode(h("BF3809A10780020102020108"));
    REQUIRE(errBack.error);
    CHECK(errBack.error->code == 8);
    err.error->code = 127;
    CHECK(hx(err.encode()) == "BF3809A1078002010202017F");
    err.error->code = 128;
    CHECK(hx(err.encode()) == "BF380AA108800201020202008" "0");
    CHECK_THROWS_AS(AuthenticateServerResponse::decode(h("BF3802A200")), Es10Error);
    CHECK_THROWS_AS(AuthenticateServerResponse::decode(h("BF3804A100A100")), Es10Error);
}

TEST_CASE("PrepareDownload request and response", "[euicc][es10]") {
    PrepareDownloadRequest req;
    req.smdpSigned2 = {h("0011"), false, std::nullopt};
    req.smdpSignature2 = Bytes(64, 0x77);
    req.smdpCertificate = fakeCert(0x44);
    CHECK(hx(req.smdpSigned2.encode()) == "3007800200110101" "00");
    auto back = PrepareDownloadRequest::decode(req.encode());
    CHECK_FALSE(back.hashCc);
    CHECK_FALSE(back.smdpSigned2.ccRequiredFlag);
    req.smdpSigned2.ccRequiredFlag = true;
    req.hashCc = Bytes(32, 0xCC);
    back = PrepareDownloadRequest::decode(req.encode());
    CHECK(back.smdpSigned2.ccRequiredFlag);
    CHECK(back.hashCc == std::optional<Bytes>(Bytes(32, 0xCC)));
    CHECK(back.smdpCertificate == fakeCert(0x44));
    // BOOLEAN must be DER (00 or FF)
    Bytes enc = req.encode();
    const auto pos = hx(enc).find("0101FF");
    REQUIRE(pos != std::string::npos);
    enc[pos / 2 + 2] = 0x01;
    CHECK_THROWS_AS(PrepareDownloadRequest::decode(enc), Es10Error);

    PrepareDownloadResponse ok;
    const auto otpk = EckaKeyPair::generate(RspCurve::NistP256).publicPoint();
    ok.ok = PrepareDownloadResponse::Ok{{}, EuiccSigned2{h("0011"), otpk, std::nullopt}, Bytes(64, 0x55)};
    const auto okBack = PrepareDownloadResponse::decode(ok.encode());
    REQUIRE(okBack.ok);
    CHECK(okBack.ok->euiccSigned2.euiccOtpk == otpk);
    CHECK(hx(ByteView(okBack.ok->euiccSigned2Raw).first(7)) == "304880020011" "5F");
    PrepareDownloadResponse err;
    err.error = PrepareDownloadResponse::Error{h("0011"), 127};
    CHECK(hx(err.encode()) == "BF2109A1078002001102017F");
    CHECK(PrepareDownloadResponse::decode(err.encode()).error->code == 127);
    CHECK_THROWS_AS(PrepareDownloadResponse::decode(h("BF2100")), Es10Error);
}

namespace {
// A BPP built as SGP.22 §2.5.5 describes, with real BSP segments (the SM-DP+ side in miniature).
struct TestBpp {
    Bytes bpp;
    Bytes upp;
    SessionKeys keys;
};

TestBpp buildBpp(bool withReplaceSessionKeys, std::size_t uppSize) {
    const Bytes eid = h("89049032123451234512345678901235");
    const auto card = EckaKeyPair::generate(RspCurve::NistP256), dp = EckaKeyPair::generate(RspCurve::NistP256);
    InitialiseSecureChannel isc;
    isc.transactionId = h("00112233445566778899AABBCCDDEEFF");
    isc.hostId = h("6D61686C7A656974");
    isc.smdpOtpk = dp.publicPoint();
    isc.smdpSign = Bytes(64, 0x5A);
    const SessionKeys keys = deriveSessionKeys(dp.sharedSecret(card.publicPoint()), isc.hostId, eid);
    Bsp bsp(keys);
    tlv::Builder a0, a1, a2, a3;
    a0.addRaw(bsp.wrapEncrypted(0x87, h("BF2400")));
    StoreMetadata md;
    md.iccid = h("98001032547698103214");
    md.serviceProviderName = "vpcsc";
    md.profileName = "Test profile";
    md.profileClass = 2;
    const Bytes mdEnc = md.encode();
    for (std::size_t off = 0; off < mdEnc.size(); off += 20)
        a1.addRaw(bsp.wrapMacOnly(0x88, ByteView(mdEnc).subspan(off, std::min<std::size_t>(20, mdEnc.size() - off))));
    Bytes upp(uppSize);
    for (std::size_t i = 0; i < upp.size(); ++i) upp[i] = static_cast<std::uint8_t>(i * 13 + 1);
    Bsp ppk(keys);
    if (withReplaceSessionKeys) {
        const ReplaceSessionKeys rsk{Bytes(16, 0x22), Bytes(16, 0x00), Bytes(16, 0x11)};
        a2.addRaw(bsp.wrapEncrypted(0x87, rsk.encode()));
        ppk = Bsp(rsk.ppkEnc, rsk.ppkCmac, rsk.initialMcv);
    }
    Bsp& profile = withReplaceSessionKeys ? ppk : bsp;
    for (std::size_t off = 0; off < upp.size(); off += Bsp::kMaxPlaintext)
        a3.addRaw(profile.wrapEncrypted(0x86, ByteView(upp).subspan(off, std::min(Bsp::kMaxPlaintext, upp.size() - off))));
    tlv::Builder all;
    all.addRaw(isc.encode()).add(0xA0, a0).add(0xA1, a1);
    if (withReplaceSessionKeys) all.add(0xA2, a2);
    all.add(0xA3, a3);
    return {all.wrap(kTagBoundProfilePackage), upp, keys};
}
}  // namespace

TEST_CASE("BoundProfilePackage: lpac's segmentation, the eUICC's checks and the BSP", "[euicc][es10][bpp]") {
    for (bool rsk : {false, true}) {
        INFO("ReplaceSessionKeys " << rsk);
        const TestBpp t = buildBpp(rsk, 2500);
        const auto segs = segmentBoundProfilePackage(t.bpp);
        // BF36+BF23, A0, A1 header, 88 x n, [A2], A3 header, 86 x 3
        const std::size_t n88 = segs.size() - (rsk ? 1 : 0) - 4 - 3;
        CHECK(n88 >= 2);
        CHECK(hx(ByteView(segs[0]).first(2)) == "BF36");
        CHECK(segs[2].size() <= 3);
        BppSegmenter seg;
        Bsp card(t.keys);
        std::optional<Bsp> ppk;
        Bytes metadata, upp;
        std::vector<BppSegmenter::Kind> kinds;
        for (const Bytes& s : segs) {
            CHECK(s.size() <= Bsp::kMaxSegment + 4);
            const auto k = seg.accept(s);
            kinds.push_back(k);
            switch (k) {
            case BppSegmenter::Kind::InitialiseSecureChannel: {
                std::size_t off = 0;
                tlv::readTag(s, off);
                tlv::readLength(s, off);
                const auto isc = InitialiseSecureChannel::decode(ByteView(s).subspan(off));
                CHECK(hx(isc.hostId) == "6D61686C7A656974");
                CHECK(isc.signedData(Bytes(65, 4)).size() == 3 + 18 + 2 + 15 + 3 * 2 + 65 * 2 + 1);
                break;
            }
            case BppSegmenter::Kind::ConfigureIsdp:
                CHECK(hx(card.unwrapEncrypted(tlv::parseOne(s).children().next()->raw)) == "BF2400");
                break;
            case BppSegmenter::Kind::StoreMetadataSegment: append(metadata, card.unwrapMacOnly(s)); break;
            case BppSegmenter::Kind::ReplaceSessionKeys: {
                const auto r = ReplaceSessionKeys::decode(card.unwrapEncrypted(tlv::parseOne(s).children().next()->raw));
                ppk.emplace(r.ppkEnc, r.ppkCmac, r.initialMcv);
                break;
            }
            case BppSegmenter::Kind::ProfileElementSegment: append(upp, (ppk ? *ppk : card).unwrapEncrypted(s)); break;
            default: break;
            }
        }
        CHECK(seg.complete());
        CHECK(kinds.front() == BppSegmenter::Kind::InitialiseSecureChannel);
        CHECK(kinds.back() == BppSegmenter::Kind::ProfileElementSegment);
        const auto md = StoreMetadata::decode(metadata);
        CHECK(hx(md.iccid) == "98001032547698103214");
        CHECK(md.profileName == "Test profile");
        CHECK(md.profileClass == std::optional<std::uint8_t>(2));
        CHECK(upp == t.upp);
    }
}

TEST_CASE("BoundProfilePackage: reordered, truncated and surplus segments are refused", "[euicc][es10][bpp]") {
    const TestBpp t = buildBpp(true, 1200);
    const auto segs = segmentBoundProfilePackage(t.bpp);
    auto run = [](const std::vector<Bytes>& s) {
        BppSegmenter seg;
        for (const Bytes& x : s) seg.accept(x);
        return seg.complete();
    };
    CHECK(run(segs));
    SECTION("last 86 missing: not complete") {
        auto s = segs;
        s.pop_back();
        CHECK_FALSE(run(s));
    }
    SECTION("two segments swapped") {
        auto s = segs;
        std::swap(s[1], s[2]);
        CHECK_THROWS_AS(run(s), Es10Error);
    }
    SECTION("a segment after the end") {
        auto s = segs;
        s.push_back(s.back());
        CHECK_THROWS_AS(run(s), Es10Error);
    }
    SECTION("A3 header that does not match what follows") {
        auto s = segs;
        for (auto& x : s)
            if (x.size() <= 4 && x[0] == 0xA3) x.back() ^= 0x01;
        CHECK_THROWS_AS(run(s), Es10Error);
    }
    SECTION("an 88 segment cut short") {
        auto s = segs;
        s[3].pop_back();
        CHECK_THROWS_AS(run(s), Es10Error);
    }
    SECTION("after an error every segment fails") {
        BppSegmenter seg;
        CHECK_THROWS_AS(seg.accept(segs[1]), Es10Error);
        CHECK_THROWS_AS(seg.accept(segs[0]), Es10Error);
    }
    SECTION("BPP without A3") {
        CHECK_THROWS_AS(segmentBoundProfilePackage(h("BF3600")), Es10Error);
    }
}

TEST_CASE("StoreMetadata and ReplaceSessionKeys", "[euicc][es10]") {
    StoreMetadata md;
    md.iccid = h("89000123456789012341");
    md.serviceProviderName = "OsmocomSPN";
    md.profileName = "TS48v1_A";
    const Bytes enc = md.encode();
    CHECK(hx(enc) == "BF25225A0A89000123456789012341910A4F736D6F636F6D53504E9208545334387631" "5F41");
    const auto back = StoreMetadata::decode(enc);
    CHECK(back.serviceProviderName == "OsmocomSPN");
    CHECK_FALSE(back.profileClass);
    CHECK_THROWS_AS(StoreMetadata::decode(h("BF25055A03890001")), Es10Error);
    const ReplaceSessionKeys r{Bytes(16, 0x22), Bytes(16, 0x00), Bytes(16, 0x11)};
    CHECK(ReplaceSessionKeys::decode(r.encode()).ppkCmac == Bytes(16, 0x11));
    CHECK_THROWS_AS(ReplaceSessionKeys::decode(h("BF2603800122")), Es10Error);
}
