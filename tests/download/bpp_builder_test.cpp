// The SM-DP+'s Bound Profile Package builder (vicc/euicc/download/bpp_builder.hpp): the structure
// of SGP.22 §2.5.5 as lpac segments it, smdpSign verifiable with CERT.DPpb over the data §5.5.2
// names, and every segment opening with the keys the eUICC derives on its side, on both curves,
// with and without ReplaceSessionKeys.
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/download/bpp_builder.hpp"
#include "vicc/euicc/signature.hpp"
#include "vicc/crypto/x509.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using test::h;
using test::hx;

namespace {

es10::StoreMetadata metadata(std::size_t iconBytes = 0) {
    es10::StoreMetadata md;
    md.iccid = h("98001032547698103214");
    md.serviceProviderName = "vpcsc";
    md.profileName = "Builder test";
    md.profileClass = 0;
    if (iconBytes) {
        md.iconType = 1;
        md.icon = Bytes(iconBytes, 0xA5);
    }
    return md;
}

Bytes pattern(std::size_t n) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
    return b;
}

}  // namespace

TEST_CASE("bpp builder: SGP.22 §2.5.5 structure, smdpSign and BSP on both curves", "[download][bpp]") {
    for (const char* curveName : {"nist", "brp"}) {
        for (bool rsk : {false, true}) {
            INFO(curveName << " ReplaceSessionKeys " << rsk);
            const RspCurve curve = std::string(curveName) == "nist" ? RspCurve::NistP256 : RspCurve::BrainpoolP256r1;
            const auto dppbKey = loadPrivateKeyPem(test::pkiText(curveName, "dppb.key"));
            const auto dppbCert = vicc::crypto::Certificate::fromDer(test::pkiFile(curveName, "dppb.der"));
            const auto euicc = EckaKeyPair::generate(curve);
            const auto smdp = EckaKeyPair::generate(curve);
            BppInput in;
            in.transactionId = h("0123456789ABCDEF0123456789ABCDEF");
            in.hostId = h("6D61686C7A656974");
            in.eid = h("89049032123451234512345678901235");
            in.euiccOtpk = euicc.publicPoint();
            in.metadata = metadata(1024);  // > one 88: two segments
            if (rsk) in.replaceSessionKeys = randomProfileProtectionKeys();
            in.upp = pattern(2 * Bsp::kMaxPlaintext + 5);  // three 86
            const Bytes bpp = buildBoundProfilePackage(in, smdp, dppbKey.get());

            const auto segs = es10::segmentBoundProfilePackage(bpp);
            // BF36+BF23, A0, A1 header, 88 x2, [A2], A3 header, 86 x3
            REQUIRE(segs.size() == (rsk ? 10u : 9u));
            es10::BppSegmenter checker;
            for (const Bytes& s : segs) {
                CHECK(s.size() <= Bsp::kMaxSegment + 4);
                checker.accept(s);
            }
            CHECK(checker.complete());

            // BF23: remoteOpId 1, tid, CRT 88/10/hostId, smdpOtpk, smdpSign by DPpb over §5.5.2's data
            std::size_t off = 0;
            tlv::readTag(segs[0], off);
            tlv::readLength(segs[0], off);
            const auto isc = es10::InitialiseSecureChannel::decode(ByteView(segs[0]).subspan(off));
            CHECK(isc.remoteOpId == 1);
            CHECK(isc.transactionId == in.transactionId);
            CHECK(isc.keyType == 0x88);
            CHECK(isc.keyLength == 0x10);
            CHECK(isc.hostId == in.hostId);
            CHECK(isc.smdpOtpk == smdp.publicPoint());
            CHECK(rspVerify(dppbCert.publicKey().get(), isc.signedData(in.euiccOtpk), isc.smdpSign));
            CHECK_FALSE(rspVerify(dppbCert.publicKey().get(), isc.signedData(smdp.publicPoint()), isc.smdpSign));

            // The eUICC's side of the keys: ECKA with its otSK and the SM-DP+'s otPK.
            Bsp card(deriveSessionKeys(euicc.sharedSecret(isc.smdpOtpk), isc.hostId, in.eid));
            std::size_t i = 1;
            CHECK(hx(card.unwrapEncrypted(tlv::parseOne(segs[i++]).children().next()->raw)) == "BF2400");
            CHECK(hx(segs[i++]).substr(0, 2) == "A1");
            Bytes md = card.unwrapMacOnly(segs[i++]);
            CHECK(md.size() == Bsp::kMaxMacOnlyData);
            append(md, card.unwrapMacOnly(segs[i++]));
            CHECK(md == in.metadata.encode());
            std::optional<Bsp> ppk;
            if (rsk) {
                const auto k = es10::ReplaceSessionKeys::decode(card.unwrapEncrypted(tlv::parseOne(segs[i++]).children().next()->raw));
                CHECK(k.ppkEnc == in.replaceSessionKeys->ppkEnc);
                CHECK(k.ppkCmac == in.replaceSessionKeys->ppkCmac);
                CHECK(k.initialMcv == in.replaceSessionKeys->initialMcv);
                ppk.emplace(k.ppkEnc, k.ppkCmac, k.initialMcv);
            }
            CHECK(hx(segs[i++]).substr(0, 2) == "A3");
            Bsp& prof = ppk ? *ppk : card;
            Bytes upp;
            for (; i < segs.size(); ++i) append(upp, prof.unwrapEncrypted(segs[i]));
            CHECK(upp == in.upp);
        }
    }
}

TEST_CASE("bpp builder: refuses bad inputs", "[download][bpp]") {
    const auto key = loadPrivateKeyPem(test::pkiText("nist", "dppb.key"));
    const auto smdp = EckaKeyPair::generate(RspCurve::NistP256);
    BppInput in;
    in.transactionId = h("01");
    in.hostId = h("01");
    in.eid = h("89049032123451234512345678901235");
    in.euiccOtpk = EckaKeyPair::generate(RspCurve::NistP256).publicPoint();
    in.metadata = metadata();
    in.upp = pattern(10);
    CHECK_NOTHROW(buildBoundProfilePackage(in, smdp, key.get()));
    auto bad = in;
    bad.transactionId.clear();
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.eid.pop_back();
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.euiccOtpk.pop_back();
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.upp.clear();
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.metadata.iccid.pop_back();
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.hostId = Bytes(17, 1);
    CHECK_THROWS_AS(buildBoundProfilePackage(bad, smdp, key.get()), std::invalid_argument);
    bad = in;
    bad.euiccOtpk = EckaKeyPair::generate(RspCurve::BrainpoolP256r1).publicPoint();  // not on P-256
    CHECK_THROWS(buildBoundProfilePackage(bad, smdp, key.get()));
    CHECK_THROWS_AS(buildBoundProfilePackage(in, smdp, nullptr), std::invalid_argument);
}
