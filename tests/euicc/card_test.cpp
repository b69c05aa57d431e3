// The euicc card's APDU layer with the exact APDUs lpac sends (research notes §2.3): TERMINAL
// CAPABILITIES, MANAGE CHANNEL, SELECT ISD-R, STORE DATA (one and several blocks), 61xx + GET
// RESPONSE with CLA 8x, and the first ES10 functions including AuthenticateServer against the
// test PKI (the server side built here with the DPauth key, both curves).
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/signature.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using test::h;
using test::hx;

namespace {

EuiccCard makeCard() { return EuiccCard(EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist")); }

std::string tx(EuiccCard& card, const std::string& apdu) { return hx(card.process(h(apdu))); }

// Sends an ES10 command on channel 1 in blocks of `mss` bytes and fetches the answer with GET
// RESPONSE as lpac does; returns response data + final SW.
Bytes sendEs10(EuiccCard& card, ByteView cmd, std::size_t mss = 120) {
    std::uint8_t block = 0;
    Bytes r;
    for (std::size_t off = 0; off < cmd.size(); off += mss, ++block) {
        const std::size_t n = std::min(mss, cmd.size() - off);
        const bool last = off + n == cmd.size();
        Bytes apdu{0x81, 0xE2, static_cast<std::uint8_t>(last ? 0x91 : 0x11), block, static_cast<std::uint8_t>(n)};
        append(apdu, cmd.subspan(off, n));
        r = card.process(apdu);
        if (!last) REQUIRE(hx(r) == "9000");
    }
    Bytes data;
    while (r.size() == 2 && r[0] == 0x61) {
        r = card.process(Bytes{0x81, 0xC0, 0x00, 0x00, r[1]});
        data.insert(data.end(), r.begin(), r.end() - 2);
        r.erase(r.begin(), r.end() - 2);
    }
    data.insert(data.end(), r.begin(), r.end());
    return data;
}

void openIsdR(EuiccCard& card) {
    REQUIRE(tx(card, "80AA00000AA9088100820101830107") == "9000");
    REQUIRE(tx(card, "0070000001") == "019000");
    const std::string sel = tx(card, "01A4040010A0000005591010FFFFFFFF8900000100");
    REQUIRE(sel == "6116");
}

}  // namespace

TEST_CASE("euicc: identity from the test PKI; ATR offers T=0", "[euicc][card]") {
    const auto id = EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist");
    CHECK(hx(id.eid) == "89049032123451234512345678901235");
    REQUIRE(id.ciPkIds.size() == 1);
    CHECK(id.ciPkIds[0] == subjectKeyId(Certificate::fromDer(test::pkiFile("nist", "ci.der"))));
    EuiccCard card(id);
    CHECK(hx(card.atr()) == "3B9F96801FC78031E073FE211B633A204E8300900093");
    CHECK((card.atr()[3] & 0x0F) == 0x00);  // TD1: T=0 first
    CHECK_THROWS(EuiccIdentity::fromPkiDirectory("/nonexistent"));
}

TEST_CASE("euicc: lpac's chip info sequence", "[euicc][card]") {
    EuiccCard card = makeCard();
    card.powerOn();
    openIsdR(card);
    CHECK(tx(card, "81C0000016") == "6F148410A0000005591010FFFFFFFF8900000100A5009000");
    // GetEID, one block, answered over 61 15 + GET RESPONSE 81 C0
    CHECK(tx(card, "81E2910006BF3E035C015A") == "6115");
    CHECK(tx(card, "81C0000015") == "BF3E125A10890490321234512345123456789012359000");
    // GetRAT: the default Rules Authorisation Table, one rule: 80 pprIds ppr1+ppr2, A1 operators
    // {mccMnc EEEEEE (any)}, 82 pprFlags consentRequired (SGP.22 §2.9.2.2)
    CHECK(tx(card, "81E2910003BF4300") == "6118");
    CHECK(tx(card, "81C0000018") == "BF4315A013301180020560A10730058003EEEEEE820207809000");
    const Bytes info2 = sendEs10(card, h("BF2200"));
    REQUIRE(hx(ByteView(info2).last(2)) == "9000");
    const auto i2 = es10::EuiccInfo2::decode(ByteView(info2).first(info2.size() - 2));
    CHECK(i2.ciPkIdsForVerification == EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist").ciPkIds);
    CHECK(i2.sasAccreditationNumber == "VPCSC-TEST-ONLY");
    CHECK(tx(card, "0070800100") == "9000");
    CHECK(tx(card, "81E2910003BF2000") == "6881");  // channel 1 is closed now
}

TEST_CASE("euicc: GetEuiccChallenge and GetEuiccInfo1 as a download starts", "[euicc][card]") {
    EuiccCard card = makeCard();
    openIsdR(card);
    const Bytes c1 = sendEs10(card, h("BF2E00"));
    const Bytes c2 = sendEs10(card, h("BF2E00"));
    REQUIRE(c1.size() == 2 + 3 + 16 + 2);
    CHECK(hx(ByteView(c1).first(5)) == "BF2E128010");
    CHECK(c1 != c2);  // fresh every time
    const Bytes i1 = sendEs10(card, h("BF2000"));
    const auto info1 = es10::EuiccInfo1::decode(ByteView(i1).first(i1.size() - 2));
    CHECK(hx(info1.svn) == "020200");
    CHECK(info1.ciPkIdsForSigning.size() == 1);
}

TEST_CASE("euicc: STORE DATA blocks, sequence errors and the channel rules", "[euicc][card]") {
    EuiccCard card = makeCard();
    openIsdR(card);
    // GetEID in two blocks of 3 bytes (LPAC_CUSTOM_ES10X_MSS small)
    CHECK(hx(sendEs10(card, h("BF3E035C015A"), 3)) == "BF3E125A10890490321234512345123456789012359000");
    // a block number out of sequence resets the chain
    CHECK(tx(card, "81E2110003BF3E03") == "9000");
    CHECK(tx(card, "81E2910203" "5C015A") == "6A86");
    CHECK(tx(card, "81E2910003" "5C015A") == "6A88");  // a fresh chain: not an ES10 function
    // malformed ES10 TLV
    CHECK(tx(card, "81E2910002BF3E") == "6A80");
    // STORE DATA before SELECT on another channel
    CHECK(tx(card, "0070000001") == "029000");
    CHECK(tx(card, "82E2910003BF2000") == "6985");
    // CLA 0x is not STORE DATA's class; unknown INS
    CHECK(tx(card, "01E2910003BF2000") == "6D00");
    CHECK(tx(card, "81CA000000") == "6D00");
    // GET RESPONSE with nothing pending; SELECT of another AID
    CHECK(tx(card, "81C0000010") == "6985");
    CHECK(tx(card, "01A4040010A0000005591010FFFFFFFF8900000200") == "6A82");
    CHECK(tx(card, "81E2910003BF2000") == "6985");  // ISD-R no longer selected on channel 1
    // all three logical channels, then no more
    CHECK(tx(card, "0070000001") == "039000");
    CHECK(tx(card, "0070000001") == "6881");
    CHECK(tx(card, "FF00000000") == "6E00");
    card.reset();
    CHECK(tx(card, "81E2910003BF2000") == "6881");  // reset closes logical channels
    CHECK(tx(card, "00A4040010A0000005591010FFFFFFFF8900000100").substr(0, 2) == "61");  // basic channel works too
    CHECK(tx(card, "80E2910003BF4100") == "6A80");  // CancelSession without its fields
}

TEST_CASE("euicc: long responses come in GET RESPONSE pieces; Le in the command is honoured", "[euicc][card]") {
    EuiccCard card = makeCard();
    openIsdR(card);
    CHECK(tx(card, "81E2910003BF2200").substr(0, 2) == "61");
    const std::string first = tx(card, "81C0000010");  // ask for 16 bytes only
    CHECK(first.size() == 2 * 16 + 4);
    CHECK(first.substr(first.size() - 4, 2) == "61");
    // with Le in the STORE DATA itself the data come at once
    const std::string direct = tx(card, "81E2910006BF3E035C015A00");
    CHECK(direct == "BF3E125A10890490321234512345123456789012359000");
}

namespace {

struct Server {
    std::string curve;
    vicc::crypto::PkeyPtr dpauthKey;
    Bytes dpauthCert;
    explicit Server(const std::string& c)
        : curve(c), dpauthKey(loadPrivateKeyPem(test::pkiText(c, "dpauth.key"))), dpauthCert(test::pkiFile(c, "dpauth.der")) {}
    // AuthenticateServerRequest as the SM-DP+ (initiateAuthentication) and lpac build it.
    es10::AuthenticateServerRequest request(ByteView euiccChallenge) const {
        es10::AuthenticateServerRequest r;
        r.serverSigned1 = {h("0123456789ABCDEF0123456789ABCDEF"), Bytes(euiccChallenge.begin(), euiccChallenge.end()),
                           "127.0.0.1:8443", h("000102030405060708090A0B0C0D0E0F")};
        r.serverSigned1Raw = r.serverSigned1.encode();
        r.serverSignature1 = rspSign(dpauthKey.get(), r.serverSigned1Raw);
        r.euiccCiPkIdToBeUsed = subjectKeyId(Certificate::fromDer(test::pkiFile(curve, "ci.der")));
        r.serverCertificate = dpauthCert;
        r.ctxParams1.matchingId = "DEMO";
        r.ctxParams1.deviceInfo.tac = h("35290611");
        r.ctxParams1Raw = r.ctxParams1.encode();
        return r;
    }
};

es10::AuthenticateServerResponse authenticate(EuiccCard& card, const es10::AuthenticateServerRequest& req) {
    const Bytes resp = sendEs10(card, req.encode());
    REQUIRE(hx(ByteView(resp).last(2)) == "9000");
    return es10::AuthenticateServerResponse::decode(ByteView(resp).first(resp.size() - 2));
}

Bytes challenge(EuiccCard& card) {
    const Bytes r = sendEs10(card, h("BF2E00"));
    return es10::decodeEuiccChallengeResponse(ByteView(r).first(r.size() - 2));
}

}  // namespace

TEST_CASE("euicc: AuthenticateServer with the test PKI on both curves", "[euicc][card][auth]") {
    for (const char* c : {"nist", "brp"}) {
        INFO(c);
        EuiccCard card(EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/" + c));
        const Server dp(c);
        openIsdR(card);
        const auto req = dp.request(challenge(card));
        const auto resp = authenticate(card, req);
        REQUIRE(resp.ok);
        const auto& s1 = resp.ok->euiccSigned1;
        CHECK(s1.transactionId == req.serverSigned1.transactionId);
        CHECK(s1.serverAddress == "127.0.0.1:8443");
        CHECK(s1.serverChallenge == req.serverSigned1.serverChallenge);
        CHECK(s1.ctxParams1 == req.ctxParams1Raw);
        CHECK(es10::EuiccInfo2::decode(s1.euiccInfo2).sasAccreditationNumber == "VPCSC-TEST-ONLY");
        // the SM-DP+ side of authenticateClient: the chain, the EID and the signature
        const Certificate euiccCert = Certificate::fromDer(resp.ok->euiccCertificate);
        const Certificate eumCert = Certificate::fromDer(resp.ok->eumCertificate);
        const Certificate ci = Certificate::fromDer(test::pkiFile(c, "ci.der"));
        CHECK(verifyChain(euiccCert, {eumCert}, {ci}, RspRole::Euicc).ok);
        CHECK(rspVerify(euiccCert.publicKey().get(), resp.ok->euiccSigned1Raw, resp.ok->euiccSignature1));
        CHECK_FALSE(rspVerify(euiccCert.publicKey().get(), req.serverSigned1Raw, resp.ok->euiccSignature1));

        SECTION("the challenge is single use") {
            const auto again = authenticate(card, req);
            REQUIRE(again.error);
            CHECK(again.error->code == 6);  // euiccChallengeMismatch
            CHECK(again.error->transactionId == req.serverSigned1.transactionId);
        }
    }
}

TEST_CASE("euicc: AuthenticateServer refuses bad servers with SGP.22 error codes", "[euicc][card][auth]") {
    EuiccCard card = makeCard();
    const Server dp("nist");
    openIsdR(card);
    SECTION("serverSignature1 does not verify: invalidSignature(2)") {
        auto req = dp.request(challenge(card));
        req.serverSignature1[10] ^= 0x01;
        CHECK(authenticate(card, req).error->code == 2);
    }
    SECTION("signed over a different challenge: euiccChallengeMismatch(6)") {
        challenge(card);
        CHECK(authenticate(card, dp.request(Bytes(16, 0x42))).error->code == 6);
    }
    SECTION("CERT.DPpb instead of CERT.DPauth: invalidCertificate(1)") {
        auto req = dp.request(challenge(card));
        req.serverCertificate = test::pkiFile("nist", "dppb.der");
        CHECK(authenticate(card, req).error->code == 1);
    }
    SECTION("a DPauth of another CI (the brainpool PKI): invalidCertificate(1)") {
        auto req = Server("brp").request(challenge(card));
        req.euiccCiPkIdToBeUsed = subjectKeyId(Certificate::fromDer(test::pkiFile("nist", "ci.der")));
        CHECK(authenticate(card, req).error->code == 1);
    }
    SECTION("a CI the eUICC does not know: ciPKUnknown(7)") {
        auto req = dp.request(challenge(card));
        req.euiccCiPkIdToBeUsed = Bytes(20, 0xF5);
        CHECK(authenticate(card, req).error->code == 7);
    }
    SECTION("garbage certificate: invalidCertificate(1)") {
        auto req = dp.request(challenge(card));
        req.serverCertificate = tlv::encode(0x30, Bytes(10, 0x01));
        CHECK(authenticate(card, req).error->code == 1);
    }
    SECTION("a truncated request: 6A80") {
        Bytes enc = dp.request(challenge(card)).encode();
        enc.resize(enc.size() - 1);
        CHECK(hx(sendEs10(card, enc)) == "6A80");
    }
}
