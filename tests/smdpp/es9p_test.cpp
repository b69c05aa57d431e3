// The ES9+ JSON codec (smdpp/es9p): RFC 4648 base64 vectors and strictness, transactionId hex, every
// body both ways, and what the decoders refuse.
#include <catch2/catch.hpp>

#include "smdpp/es9p.hpp"

using namespace vpcsc;
using namespace vpcsc::smdpp::es9p;

namespace {
Bytes b(const std::string& s) { return Bytes(s.begin(), s.end()); }
}  // namespace

TEST_CASE("es9p: base64 is RFC 4648 §10's", "[smdpp][es9p]") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (auto [plain, enc] : vectors) {
        CHECK(base64Encode(b(plain)) == enc);
        CHECK(base64Decode(enc) == b(plain));
    }
    const Bytes all = [] { Bytes x; for (int i = 0; i < 256; ++i) x.push_back(static_cast<std::uint8_t>(i)); return x; }();
    CHECK(base64Decode(base64Encode(all)) == all);
    CHECK(base64Encode(fromHex("FBFF")) == "+/8=");
}

TEST_CASE("es9p: base64 decoding is strict", "[smdpp][es9p]") {
    for (const char* bad : {"Zg=", "Zg", "Zh==", "Zm9=", "Zm9v\n", "Zm9v YmFy", "Z===", "====", "=Zm9", "Zg==Zg==", "Zm9v*mFy", "Zm=v"}) {
        INFO(toHex(b(bad)));  // hex: one input has a newline
        CHECK_THROWS_AS(base64Decode(bad), Es9Error);
    }
}

TEST_CASE("es9p: transactionId is 1..16 bytes of hex, upper case out", "[smdpp][es9p]") {
    CHECK(transactionIdToHex(fromHex("0a1b")) == "0A1B");
    CHECK(transactionIdFromHex("0a1B") == fromHex("0A1B"));
    CHECK(transactionIdFromHex("00112233445566778899AABBCCDDEEFF").size() == 16);
    for (const char* bad : {"", "0", "ABC", "00112233445566778899AABBCCDDEEFF00", "0G", "0x12", " 12"}) {
        INFO(bad);
        CHECK_THROWS_AS(transactionIdFromHex(bad), Es9Error);
    }
}

TEST_CASE("es9p: requests round-trip with SGP.22's field names", "[smdpp][es9p]") {
    InitiateAuthenticationRequest ia{Bytes(16, 0xAB), fromHex("BF2000"), "smdp.example.com:8443"};
    const std::string text = ia.encode();
    CHECK(text == R"({"euiccChallenge":"q6urq6urq6urq6urq6urqw==","euiccInfo1":"vyAA","smdpAddress":"smdp.example.com:8443"})");
    const auto back = InitiateAuthenticationRequest::decode(text);
    CHECK(back.euiccChallenge == ia.euiccChallenge);
    CHECK(back.euiccInfo1 == ia.euiccInfo1);
    CHECK(back.smdpAddress == ia.smdpAddress);

    AuthenticateClientRequest ac{fromHex("01020304"), fromHex("BF3800")};
    CHECK(ac.encode() == R"({"authenticateServerResponse":"vzgA","transactionId":"01020304"})");
    CHECK(AuthenticateClientRequest::decode(ac.encode()).authenticateServerResponse == ac.authenticateServerResponse);
    GetBoundProfilePackageRequest gb{fromHex("01"), fromHex("BF2100")};
    CHECK(gb.encode() == R"({"prepareDownloadResponse":"vyEA","transactionId":"01"})");
    CHECK(GetBoundProfilePackageRequest::decode(gb.encode()).transactionId == fromHex("01"));
    HandleNotificationRequest hn{fromHex("BF3700")};
    CHECK(hn.encode() == R"({"pendingNotification":"vzcA"})");
    CancelSessionRequest cs{fromHex("FF"), fromHex("BF4100")};
    CHECK(cs.encode() == R"({"cancelSessionResponse":"v0EA","transactionId":"FF"})");
    CHECK(CancelSessionRequest::decode(cs.encode()).cancelSessionResponse == cs.cancelSessionResponse);
}

TEST_CASE("es9p: responses carry header.functionExecutionStatus", "[smdpp][es9p]") {
    InitiateAuthenticationResponse ok;
    ok.transactionId = fromHex("0A0B");
    ok.serverSigned1 = fromHex("3000");
    ok.serverSignature1 = fromHex("5F3700");
    ok.euiccCiPkIdToBeUsed = fromHex("0400");
    ok.serverCertificate = fromHex("3000");
    const std::string text = ok.encode();
    CHECK(text == R"({"euiccCiPKIdToBeUsed":"BAA=","header":{"functionExecutionStatus":{"status":"Executed-Success"}},)"
                  R"("serverCertificate":"MAA=","serverSignature1":"XzcA","serverSigned1":"MAA=","transactionId":"0A0B"})");
    const auto back = InitiateAuthenticationResponse::decode(text);
    CHECK(back.status.ok());
    CHECK(back.serverSignature1 == ok.serverSignature1);

    FunctionExecutionStatus failed{StatusCodeData{"8.10.1", "3.9", std::nullopt, "unknown"}};
    const std::string f = encodeStatusOnly(failed);
    CHECK(f == R"({"header":{"functionExecutionStatus":{"status":"Failed","statusCodeData":{"message":"unknown","reasonCode":"3.9","subjectCode":"8.10.1"}}}})");
    const auto st = decodeStatus(f);
    REQUIRE(st.failure);
    CHECK(st.failure->subjectCode == "8.10.1");
    CHECK(st.failure->reasonCode == "3.9");
    // A failed response has no payload; decode does not ask for it.
    AuthenticateClientResponse ac;
    ac.status = failed;
    ac.transactionId = fromHex("01");
    const auto acBack = AuthenticateClientResponse::decode(ac.encode());
    CHECK(!acBack.status.ok());
    CHECK(acBack.transactionId.empty());
    GetBoundProfilePackageResponse gb;
    gb.transactionId = fromHex("01");
    gb.boundProfilePackage = fromHex("BF3600");
    CHECK(GetBoundProfilePackageResponse::decode(gb.encode()).boundProfilePackage == gb.boundProfilePackage);
}

TEST_CASE("es9p: what the decoders refuse", "[smdpp][es9p]") {
    auto kind = [](const std::string& body) -> std::string {
        try {
            AuthenticateClientRequest::decode(body);
            return "accepted";
        } catch (const Es9Error& e) {
            return e.notJson ? "not-json" : e.mandatoryMissing ? "missing" : "invalid";
        }
    };
    CHECK(kind("") == "not-json");
    CHECK(kind("{") == "not-json");
    CHECK(kind("[1,2]") == "not-json");
    CHECK(kind("\"x\"") == "not-json");
    CHECK(kind("{}") == "missing");
    CHECK(kind(R"({"transactionId":"01"})") == "missing");
    CHECK(kind(R"({"transactionId":"01","authenticateServerResponse":null})") == "missing");
    CHECK(kind(R"({"transactionId":1,"authenticateServerResponse":"vzgA"})") == "invalid");
    CHECK(kind(R"({"transactionId":"0","authenticateServerResponse":"vzgA"})") == "invalid");
    CHECK(kind(R"({"transactionId":"01","authenticateServerResponse":"vzg"})") == "invalid");
    CHECK(kind(R"({"transactionId":"01","authenticateServerResponse":["vzgA"]})") == "invalid");
    CHECK(kind(R"({"transactionId":"01","authenticateServerResponse":"vzgA","extra":1})") == "accepted");
    // euiccChallenge is exactly 16 bytes.
    CHECK_THROWS_AS(InitiateAuthenticationRequest::decode(R"({"smdpAddress":"a","euiccChallenge":"AAAA","euiccInfo1":"vyAA"})"), Es9Error);
    // A response without a header, or with an unknown status.
    CHECK_THROWS_AS(decodeStatus("{}"), Es9Error);
    CHECK_THROWS_AS(decodeStatus(R"({"header":{"functionExecutionStatus":{"status":"Maybe"}}})"), Es9Error);
    CHECK_THROWS_AS(decodeStatus(R"({"header":{"functionExecutionStatus":{"status":"Failed"}}})"), Es9Error);
}

TEST_CASE("es9p: a message with invalid UTF-8 still encodes", "[smdpp][es9p]") {
    FunctionExecutionStatus failed{StatusCodeData{"1.1", "2.1", std::nullopt, std::string("bad \xff byte")}};
    const std::string f = encodeStatusOnly(failed);
    CHECK(f.find("bad \xef\xbf\xbd byte") != std::string::npos);
    CHECK(decodeStatus(f).failure->reasonCode == "2.1");
}
