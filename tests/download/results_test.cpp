// The download result codecs (vicc/euicc/download/results.hpp): exact DER of SGP.22's
// ProfileInstallationResult, NotificationMetadata and CancelSession, OIDs, and the decoders'
// refusals.
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/download/results.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::es10;
using vpcsc::euicc::test::h;
using vpcsc::euicc::test::hx;

TEST_CASE("results: OBJECT IDENTIFIER content octets", "[download][results]") {
    CHECK(hx(oidContent("2.999.10")) == "88370A");
    CHECK(hx(oidContent("1.2.840.10045.3.1.7")) == "2A8648CE3D030107");  // prime256v1
    CHECK(hx(oidContent("2.23.146.1.2.1.5")) == "67811201020105");
    CHECK(oidText(h("88370A")) == "2.999.10");
    CHECK(oidText(h("2A8648CE3D030107")) == "1.2.840.10045.3.1.7");
    CHECK(oidText(h("00")) == "0.0");
    CHECK_THROWS_AS(oidContent(""), std::invalid_argument);
    CHECK_THROWS_AS(oidContent("2"), std::invalid_argument);
    CHECK_THROWS_AS(oidContent("1.40"), std::invalid_argument);
    CHECK_THROWS_AS(oidContent("2..3"), std::invalid_argument);
    CHECK_THROWS_AS(oidContent("2.x"), std::invalid_argument);
    CHECK(oidText(h("8837")) == "2.999");
    CHECK_THROWS_AS(oidText(h("88B7")), Es10Error);     // last subidentifier unterminated
    CHECK_THROWS_AS(oidText(h("80010A")), Es10Error);   // non-minimal
    CHECK_THROWS_AS(oidText({}), Es10Error);
    CHECK_THROWS_AS(oidText(h("FFFFFFFFFFFFFFFFFF7F")), Es10Error);  // beyond 64 bits
}

TEST_CASE("results: ProfileInstallationResult DER", "[download][results]") {
    ProfileInstallationResultData d;
    d.transactionId = h("0102");
    d.notificationMetadata.seqNumber = 1;
    d.notificationMetadata.notificationAddress = "a.b";
    d.notificationMetadata.iccid = h("98001032547698103214");
    d.smdpOid = h("88370A");
    d.success = ProfileInstallationResultData::Success{h("A0000005591010FFFFFFFF8900001000"), h("3007A0053003800100")};
    const std::string ok = "BF2745" "80020102" "BF2F18" "800101" "81020780" "0C03612E62" "5A0A98001032547698103214"
                           "060388370A" "A21F" "A01D" "4F10A0000005591010FFFFFFFF8900001000" "04093007A0053003800100";
    CHECK(hx(d.encode()) == ok);
    const auto back = ProfileInstallationResultData::decode(h(ok));
    CHECK(back.encode() == d.encode());
    ProfileInstallationResult pir{d.encode(), d, Bytes(64, 0xAB)};
    const Bytes enc = pir.encode();
    CHECK(hx(ByteView(enc).first(4)) == "BF37818B");  // (3 + 69) + (3 + 64) = 0x8B
    const auto pirBack = ProfileInstallationResult::decode(enc);
    CHECK(pirBack.dataRaw == d.encode());
    CHECK(pirBack.euiccSignPir == Bytes(64, 0xAB));

    d.success.reset();
    d.error = ProfileInstallationResultData::Error{5, 13, std::nullopt};
    d.notificationMetadata.iccid.reset();
    d.smdpOid.reset();
    CHECK(hx(d.encode()) == "BF271D" "80020102" "BF2F0C" "800101" "81020780" "0C03612E62" "A208A10680010581010D");
    CHECK(ProfileInstallationResultData::decode(d.encode()).error->errorReason == 13);
    d.success = ProfileInstallationResultData::Success{};
    CHECK_THROWS_AS(d.encode(), std::invalid_argument);  // both
    CHECK_THROWS_AS(ProfileInstallationResultData::decode(h("BF2700")), Es10Error);
    CHECK_THROWS_AS(ProfileInstallationResult::decode(h("BF3703BF2700")), Es10Error);
}

TEST_CASE("results: CancelSession DER (AUTOMATIC TAGS: 80 tid, 81 smdpOid, 82 reason)", "[download][results]") {
    CHECK(hx(CancelSessionRequest{h("0102"), 0}.encode()) == "BF4107800201028101" "00");
    const auto req = CancelSessionRequest::decode(h("BF410780020102810105"));
    CHECK(req.reason == 5);
    CHECK_THROWS_AS(CancelSessionRequest::decode(h("BF4100")), Es10Error);
    CHECK_THROWS_AS((CancelSessionRequest{Bytes{}, 0}.encode()), std::invalid_argument);
    EuiccCancelSessionSigned s{h("0102"), h("88370A"), 127};
    CHECK(hx(s.encode()) == "300C" "80020102" "810388370A" "82017F");
    CancelSessionResponse r;
    r.ok = CancelSessionResponse::Ok{s.encode(), s, Bytes(64, 1)};
    const auto back = CancelSessionResponse::decode(r.encode());
    CHECK(back.ok->signedRaw == s.encode());
    CHECK(back.ok->signedPart.reason == 127);
    CHECK(hx(CancelSessionResponse{std::nullopt, 127}.encode()) == "BF410381017F");
    CHECK(*CancelSessionResponse::decode(h("BF4103810105")).error == 5);
    CHECK_THROWS_AS(CancelSessionResponse::decode(h("BF4100")), Es10Error);
}
