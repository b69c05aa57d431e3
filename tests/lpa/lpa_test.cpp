// The LPA core (lpa/): the ES10 transport's exact APDUs (lpac's framing, research notes §2.3)
// against a scripted card, the ES10 client against vicc's EuiccCard in-process, and the small
// conversions (ICCID, AID, hashCc, SM-DP+ address).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <chrono>
#include <deque>
#include <thread>
#include <random>
#include <string>
#include <vector>

#include "lpa/activation_code.hpp"
#include "lpa/download.hpp"
#include "lpa/es10_channel.hpp"
#include "lpa/es10_client.hpp"
#include "lpa/es9_client.hpp"
#include "lpa/es9_transport.hpp"
#include "lpa/output.hpp"
#include "lpa/transport.hpp"
#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/euicc_card.hpp"

using namespace vpcsc;
using namespace vpcsc::lpa;
using euicc::test::h;
using euicc::test::hx;

namespace {

// A card that answers from a script and records every command.
struct Scripted {
    std::vector<std::string> sent;
    std::deque<std::string> answers;
    FunctionTransport transport{[this](ByteView apdu) {
        sent.push_back(hx(apdu));
        if (answers.empty()) return h("6F00");
        Bytes r = h(answers.front());
        answers.pop_front();
        return r;
    }};
};

const std::string kOpen = "80AA00000AA9088100820101830107";  // TERMINAL CAPABILITY as lpac sends it

}  // namespace

TEST_CASE("lpa: the channel opens, frames STORE DATA and closes exactly as lpac does") {
    Scripted card;
    card.answers = {"9000", "019000", "9000"};
    {
        Es10Channel ch(card.transport);
        CHECK(ch.channel() == 1);
        REQUIRE(card.sent == std::vector<std::string>{kOpen, "0070000001", "01A4040010A0000005591010FFFFFFFF8900000100"});

        // One block: P1 91, P2 00, no Le; the response arrives with 61xx and GET RESPONSE 81 C0.
        card.answers = {"6112", "BF3E125A1089049032123451234512345678901235" "9000"};
        CHECK(hx(ch.transmit(h("BF3E035C015A"))) == "BF3E125A1089049032123451234512345678901235");
        CHECK(card.sent[3] == "81E2910006BF3E035C015A");
        CHECK(card.sent[4] == "81C0000012");

        // 250 bytes in blocks of 120: P1 11/11/91, P2 00/01/02; a long answer over two GET RESPONSEs.
        Bytes cmd = tlv::encode(0xBF36, Bytes(246, 0xAB));
        REQUIRE(cmd.size() == 250);
        card.sent.clear();
        card.answers = {"9000", "9000", "6100", std::string(512, 'C') + "6105", "0102030405" "9000"};
        const Bytes r = ch.transmit(cmd);
        CHECK(r.size() == 261);
        CHECK(hx(ByteView(r).subspan(256)) == "0102030405");
        REQUIRE(card.sent.size() == 5);
        CHECK(card.sent[0] == "81E2110078" + hx(ByteView(cmd).subspan(0, 120)));
        CHECK(card.sent[1] == "81E2110178" + hx(ByteView(cmd).subspan(120, 120)));
        CHECK(card.sent[2] == "81E291020A" + hx(ByteView(cmd).subspan(240)));
        CHECK(card.sent[3] == "81C0000000");
        CHECK(card.sent[4] == "81C0000005");

        // Any status word other than 9000/61xx is a transport error carrying it.
        card.sent.clear();
        card.answers = {"6A88"};
        try {
            ch.transmit(h("BF4300"));
            FAIL("no error");
        } catch (const Es10TransportError& e) {
            CHECK(e.sw == 0x6A88);
        }
        card.sent.clear();
        card.answers = {"9000"};
    }
    CHECK(card.sent == std::vector<std::string>{"0070800100"});  // MANAGE CHANNEL close on exit
}

TEST_CASE("lpa: --mss sets the block size; channel 2 uses CLA 82") {
    Scripted card;
    card.answers = {"9000", "029000", "6120", "9000", "9000", "9000"};  // SELECT's 61xx is accepted
    Es10Channel ch(card.transport, 6);
    CHECK(card.sent[2] == "02A4040010A0000005591010FFFFFFFF8900000100");
    ch.transmit(h("BF2D055C035A9F70"));  // 8 bytes → 6 + 2
    REQUIRE(card.sent.size() == 5);
    CHECK(card.sent[3] == "82E2110006BF2D055C035A");
    CHECK(card.sent[4] == "82E29101029F70");
}

TEST_CASE("lpa: a MANAGE CHANNEL answer other than <ch> 90 00, or a failed SELECT, is an error") {
    Scripted a;
    a.answers = {"9000", "6881"};
    CHECK_THROWS_AS(Es10Channel(a.transport), Es10TransportError);
    Scripted b;
    b.answers = {"9000", "9000"};
    CHECK_THROWS_AS(Es10Channel(b.transport), Es10TransportError);
    Scripted c;
    c.answers = {"9000", "019000", "6A82", "9000"};
    CHECK_THROWS_AS(Es10Channel(c.transport), Es10TransportError);
    CHECK(c.sent.back() == "0070800100");  // the channel it opened is closed again
    Scripted d;
    CHECK_THROWS_AS(Es10Channel(d.transport, 5), std::invalid_argument);
    CHECK(d.sent.empty());
}

TEST_CASE("lpa: chip info and empty lists from vicc's EuiccCard in-process") {
    const std::string dir = std::string(VPCSC_EUICC_PKI_DIR) + "/nist";
    euicc::EuiccCard card(euicc::EuiccIdentity::fromPkiDirectory(dir));
    card.powerOn();
    FunctionTransport t([&](ByteView apdu) { return card.process(apdu); });
    Es10Channel ch(t);
    Es10Client c(ch);
    // The EID in the test PKI's eUICC certificate (subject serialNumber).
    const euicc::EuiccIdentity id = euicc::EuiccIdentity::fromPkiDirectory(dir);
    CHECK(hx(c.getEid()) == hx(id.eid));
    const auto info2 = c.getEuiccInfo2();
    REQUIRE(info2.ciPkIdsForVerification.size() == 1);
    CHECK(hx(info2.ciPkIdsForVerification[0]) == hx(id.ciPkIds[0]));
    CHECK(c.getEuiccChallenge().size() == 16);
    CHECK(tlv::parseOne(c.getEuiccInfo1Raw()).tag == 0xBF20);
}

TEST_CASE("lpa: ICCID and ISD-P AID arguments as lpac takes them") {
    // lpac's capture (notes §2.3): ICCID 89000123456789012341 travels as 5A 0A 98001032547698103214.
    CHECK(hx(iccidFromString("89000123456789012341")) == "98001032547698103214");
    CHECK(iccidToString(h("98001032547698103214")) == "89000123456789012341");
    CHECK(hx(iccidFromString("8949449999999990023")) == "989444999999990920F3");
    CHECK(iccidToString(h("989444999999990920F3")) == "8949449999999990023");
    CHECK_THROWS_AS(iccidFromString("89000123456789O12341"), std::invalid_argument);
    CHECK_THROWS_AS(iccidFromString("1234"), std::invalid_argument);
    const auto aid = profileIdFromString("A0000005591010FFFFFFFF8900001000");
    CHECK(aid.kind == euicc::es10::ProfileIdentifier::Kind::IsdpAid);
    CHECK(hx(aid.encode()) == "4F10A0000005591010FFFFFFFF8900001000");
    CHECK(hx(profileIdFromString("89000123456789012341").encode()) == "5A0A98001032547698103214");
    // IMEI 35-290611-123456-7 (TAC 35290611) in deviceInfo: BCD, swapped nibbles, F filler.
    CHECK(hx(imeiFromString("352906111234567")) == "53926011214365F7");
    CHECK(hx(imeiFromString("3529061112345678")) == "5392601121436587");
    CHECK_THROWS_AS(imeiFromString("35290611123456789"), std::invalid_argument);
    CHECK_THROWS_AS(imeiFromString("3529061112345a7"), std::invalid_argument);
    CHECK(eventName(0x80) == "install");
    CHECK(eventName(0x30) == "disable,delete");
}

TEST_CASE("lpa: hashCc = SHA-256(SHA-256(CC) || transactionId)") {
    // Computed with Python's hashlib.
    CHECK(hx(hashConfirmationCode("12345678", h("0123456789ABCDEF0123456789ABCDEF"))) ==
          "A1370440A38BA522A1518B10200EC765DA6A7B2E5AFD2A696DE8592FD4A0928F");
}

TEST_CASE("lpa: SM-DP+ addresses are host[:port], used verbatim") {
    CHECK(parseAddress("127.0.0.1:8443").host == "127.0.0.1");
    CHECK(parseAddress("127.0.0.1:8443").port == 8443);
    CHECK(parseAddress("testsmdpplus1.example.com").port == 443);
    CHECK(parseAddress("[::1]:9443").host == "::1");
    CHECK(parseAddress("[::1]:9443").port == 9443);
    for (const char* bad : {"", ":443", "host:", "host:0", "host:65536", "host:12a", "ho st", "host/path", "[::1"})
        CHECK_THROWS_AS(parseAddress(bad), std::invalid_argument);
}

TEST_CASE("lpa: activation codes as SGP.22 §4.1 writes them") {
    ActivationCode ac = parseActivationCode("LPA:1$rsp.example.com$04386-AGYFT-A74Y8-3F815");
    CHECK(ac.smdpAddress == "rsp.example.com");
    CHECK(ac.matchingId == "04386-AGYFT-A74Y8-3F815");
    CHECK(!ac.smdpOid);
    CHECK(!ac.confirmationCodeRequired);
    ac = parseActivationCode("1$127.0.0.1:8443$$1.3.6.1.4.1.31746$1");  // no scheme, empty token
    CHECK(ac.smdpAddress == "127.0.0.1:8443");
    CHECK(ac.matchingId.empty());
    CHECK(ac.smdpOid == std::optional<std::string>("1.3.6.1.4.1.31746"));
    CHECK(ac.confirmationCodeRequired);
    ac = parseActivationCode("lpa:1$[::1]:9443$DEMO$$");  // empty OID and flag fields
    CHECK(ac.smdpAddress == "[::1]:9443");
    CHECK(!ac.smdpOid);
    CHECK(!ac.confirmationCodeRequired);
    for (const char* bad : {"", "LPA:", "1", "1$host", "2$host$id", "LPA:1$$id", "1$ho st$id", "1$host:0$id",
                            "1$host$id$1.x", "1$host$id$1.$1", "1$host$id$.1", "1$host$id$1.2$yes",
                            "1$host$id$1.2$1$extra", "1$host$i\td", "1$host$\xC3\xA9"})
        CHECK_THROWS_AS(parseActivationCode(bad), std::invalid_argument);
    CHECK_THROWS_AS(parseActivationCode("1$host$" + std::string(250, 'A')), std::invalid_argument);
}

TEST_CASE("lpa: profile and notification requests are byte for byte lpac's (research notes §2.3)") {
    Scripted card;
    card.answers = {"9000", "019000", "9000"};
    Es10Channel ch(card.transport);
    Es10Client c(ch);
    const auto iccid = profileIdFromString("89000123456789012341");
    auto last = [&] { return card.sent.back(); };
    card.answers = {"BF2D02A0009000"};
    CHECK(c.getProfilesInfo().profiles.empty());
    CHECK(last() == "81E2910003BF2D00");
    card.answers = {"BF2802A0009000"};
    CHECK(c.listNotification().notifications.empty());
    CHECK(last() == "81E2910003BF2800");
    card.answers = {"BF31038001009000"};
    CHECK(c.enableProfile(iccid, false) == 0);
    CHECK(last() == "81E2910014BF3111A00C5A0A98001032547698103214810100");
    card.answers = {"BF31038001029000"};
    CHECK(c.enableProfile(profileIdFromString("A0000005591010FFFFFFFF8900001000"), true) == 2);
    CHECK(last() == "81E291001ABF3117A0124F10A0000005591010FFFFFFFF89000010008101FF");
    card.answers = {"BF32038001009000"};
    CHECK(c.disableProfile(iccid, false) == 0);
    CHECK(last() == "81E2910014BF3211A00C5A0A98001032547698103214810100");
    card.answers = {"BF33038001009000"};
    CHECK(c.deleteProfile(iccid) == 0);
    CHECK(last() == "81E291000FBF330C5A0A98001032547698103214");
    card.answers = {"BF30038001009000"};
    CHECK(c.removeNotification(5) == 0);
    CHECK(last() == "81E2910006BF3003800105");
    card.answers = {"BF29038001009000"};
    CHECK(c.setNickname(iccidFromString("89000123456789012341"), "nick") == 0);
    CHECK(last() == "81E2910015BF29125A0A98001032547698103214" "90046E69636B");
    card.answers = {"BF3E125A1089049032123451234512345678901235" "9000"};
    CHECK(hx(c.getEid()) == "89049032123451234512345678901235");
    CHECK(last() == "81E2910006BF3E035C015A");
    card.answers = {"6A88"};  // (only the request is checked here)
    CHECK_THROWS(c.getEuiccInfo2());
    CHECK(last() == "81E2910003BF2200");
    card.answers = {"6A88"};
    CHECK_THROWS(c.getEuiccChallenge());
    CHECK(last() == "81E2910003BF2E00");
    card.answers = {"6A88"};
    CHECK_THROWS(c.getEuiccInfo1Raw());
    CHECK(last() == "81E2910003BF2000");
    card.answers = {"BF3C028100" "9000"};
    CHECK(c.getConfiguredAddresses().rootDsAddress.empty());
    CHECK(last() == "81E2910003BF3C00");
}

TEST_CASE("lpa: a download sends lpac's ES10 sequence to the eUICC") {
    // Every ES10 command's tag, in order, through a recording wrapper around vicc's EuiccCard.
    const std::string pki = std::string(VPCSC_EUICC_PKI_DIR) + "/nist";
    euicc::EuiccCard card(euicc::EuiccIdentity::fromPkiDirectory(pki));
    card.powerOn();
    std::vector<std::string> tags;
    bool first = true;
    FunctionTransport t([&](ByteView apdu) {
        if (apdu.size() > 7 && apdu[1] == 0xE2 && apdu[3] == 0 && first) {  // block 0 of a STORE DATA chain
            tags.push_back(hx(apdu.subspan(5, apdu[5] == 0xBF ? 2 : 1)));
        }
        first = apdu[1] == 0xE2 ? (apdu[2] & 0x80) != 0 : first;  // the next command starts after P1 91
        return card.process(apdu);
    });
    Es10Channel ch(t);
    Es10Client c(ch);
    // An SM-DP+ that refuses initiateAuthentication stops the sequence after BF2E, BF20.
    struct Refusing : Es9Transport {
        HttpResult post(const std::string&, const std::string&, const std::string&) override {
            return {200, R"({"header":{"functionExecutionStatus":{"status":"Failed","statusCodeData":{"subjectCode":"8.8.1","reasonCode":"3.8"}}}})"};
        }
    } http;
    Es9Client es9(http, "127.0.0.1:8443");
    DownloadRequest req;
    req.smdpAddress = "127.0.0.1:8443";
    req.matchingId = "X";
    try {
        downloadProfile(c, es9, req);
        FAIL("no error");
    } catch (const DownloadError& e) {
        CHECK(e.step == "es9p_initiate_authentication");
        CHECK(e.es9->subjectCode == "8.8.1");
        CHECK_FALSE(e.cancelled);  // no transaction yet: nothing to cancel
    }
    CHECK(tags == std::vector<std::string>{"BF2E", "BF20"});
}

TEST_CASE("lpa: garbage from the card or the SM-DP+ is an error, never a crash or a hang") {
    std::mt19937 rng(0x1A7A);
    auto randomBytes = [&](std::size_t max) {
        Bytes b(rng() % (max + 1));
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    };
    // Card answers: random data with 9000, 61xx or anything; sometimes a valid-looking TLV head.
    int errors = 0;
    for (int i = 0; i < 3000; ++i) {
        FunctionTransport t([&](ByteView apdu) {
            if (apdu.size() >= 2 && apdu[1] == 0x70 && apdu[2] == 0) return h("019000");  // open
            Bytes r = randomBytes(rng() % 4 == 0 ? 300 : 40);
            if (rng() % 3 == 0 && !r.empty()) r[0] = 0xBF;
            const std::uint16_t sws[] = {0x9000, 0x9000, 0x6100, 0x6110, 0x6A88, static_cast<std::uint16_t>(rng())};
            appendBe16(r, sws[rng() % 6]);
            return r;
        });
        try {
            Es10Channel ch(t);
            Es10Client c(ch);
            switch (i % 8) {
                case 0: c.getEid(); break;
                case 1: c.getEuiccInfo2(); break;
                case 2: c.getProfilesInfo(); break;
                case 3: c.listNotification(); break;
                case 4: c.retrieveNotification(1); break;
                case 5: c.enableProfile(profileIdFromString("89000123456789012341"), false); break;
                case 6: c.getConfiguredAddresses(); break;
                default: c.loadBoundProfilePackage(randomBytes(200)); break;
            }
        } catch (const TransportError&) {
            ++errors;
        } catch (const Es10TransportError&) {
            ++errors;
        } catch (const ParseError&) {
            ++errors;
        }
    }
    CHECK(errors > 2500);  // almost all garbage is refused (the rest decoded by chance)

    // SM-DP+ answers: random bodies and statuses, JSON of the wrong shapes.
    const std::vector<std::string> bodies = {
        "", "{", "[]", "null", R"({"header":{}})", R"({"header":{"functionExecutionStatus":{"status":"Failed"}}})",
        R"({"header":{"functionExecutionStatus":{"status":"Executed-Success"}},"transactionId":"zz"})",
        R"({"header":{"functionExecutionStatus":{"status":"Executed-Success"}},"transactionId":"01","serverSigned1":"%%%"})",
        std::string(5000, '{')};
    for (std::size_t i = 0; i < bodies.size() * 3; ++i) {
        struct Fixed : Es9Transport {
            HttpResult r;
            HttpResult post(const std::string&, const std::string&, const std::string&) override { return r; }
        } http;
        http.r = {i % 3 == 0 ? 200 : i % 3 == 1 ? 500 : 204, bodies[i % bodies.size()]};
        Es9Client es9(http, "127.0.0.1:8443");
        CHECK_THROWS(es9.initiateAuthentication({Bytes(16), h("BF2000"), "127.0.0.1:8443"}));
    }
}

TEST_CASE("lpa: an ES9+ answer larger than the limit is refused, not buffered") {
    const std::string pki = std::string(VPCSC_EUICC_PKI_DIR) + "/nist/";
    httplib::SSLServer server((pki + "dptls.pem").c_str(), (pki + "dptls.key").c_str());
    REQUIRE(server.is_valid());
    // The answer's size is the function name's number: .../es9plus/<n>.
    server.Post(R"(/gsma/rsp2/es9plus/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(std::string(std::stoul(req.matches[1].str()), 'x'), "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread t([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const std::string address = "127.0.0.1:" + std::to_string(port);

    HttpsOptions options;
    options.insecure = true;
    options.timeoutSeconds = 10;
    options.maxAnswerBytes = 1000;
    HttpsEs9Transport small(options);
    CHECK(small.post(address, "1000", "{}").body == std::string(1000, 'x'));
    CHECK_THROWS_WITH(small.post(address, "1001", "{}"), Catch::Contains("answer larger than 1000 bytes, refused"));

    options.maxAnswerBytes = kMaxEs9AnswerBytes;  // the default: 8 MiB
    HttpsEs9Transport normal(options);
    CHECK(normal.post(address, "300000", "{}").body.size() == 300000);  // a large BPP fits
    CHECK_THROWS_WITH(normal.post(address, std::to_string(kMaxEs9AnswerBytes + 1), "{}"),
                      Catch::Contains("answer larger than 8388608 bytes"));
    server.stop();
    t.join();
}
