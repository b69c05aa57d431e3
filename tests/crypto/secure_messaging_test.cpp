// Secure messaging: the ICAO Doc 9303 Part 11 Appendix D.4 worked example (BAC session keys,
// SSC 887022120C06C226: SELECT EF.COM, READ BINARY of 4 then 18 bytes) from both sides, AES and
// 3DES round trips, and every error the codec reports.
#include <catch2/catch.hpp>

#include <functional>

#include "common/sw.hpp"
#include "common/tlv.hpp"
#include "tests/crypto/helpers.hpp"
#include "vicc/crypto/authenticate.hpp"
#include "vicc/crypto/mac.hpp"
#include "vicc/crypto/secure_messaging.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

namespace {

SmSession icaoSession() {
    return SmSession(BlockCipher::TripleDes, h("979EC13B1CBFE9DCD01AB0FED307EAE5"),
                     h("F1CB1F1FB5ADF208806B89DC579DC1F8"), h("887022120C06C226"));
}

SmSession aesSession() {
    return SmSession(BlockCipher::Aes, h("000102030405060708090A0B0C0D0E0F"),
                     h("F0E0D0C0B0A090807060504030201000"), Bytes(16, 0x00));
}

CommandApdu cmd(const std::string& hex) { return CommandApdu::parse(h(hex)); }
std::string enc(const CommandApdu& c) { return hx(c.encode()); }
std::string enc(const ResponseApdu& r) { return hx(r.encode()); }

std::uint16_t swOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const SwError& e) {
        return e.sw;
    }
    return 0x9000;
}

struct Step {
    const char* plainCommand;
    const char* protectedCommand;
    const char* plainResponse;
    const char* protectedResponse;
};

// ICAO 9303 Part 11 Appendix D.4
const Step kIcaoSteps[] = {
    {"00A4020C02011E", "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "9000",
     "990290008E08FA855A5D4C50A8ED9000"},
    {"00B0000004", "0CB000000D9701048E08ED6705417E96BA5500", "60145F019000",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"},
    {"00B0000412", "0CB000040D9701128E082EA28A70F3C7B53500", "04303130365F36063034303030305C0261759000",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"},
};

}  // namespace

TEST_CASE("ICAO 9303 BAC secure messaging, terminal side", "[crypto][sm]") {
    SmSession terminal = icaoSession();
    for (const Step& s : kIcaoSteps) {
        CHECK(enc(terminal.wrapCommand(cmd(s.plainCommand))) == s.protectedCommand);
        CHECK(enc(terminal.unwrapResponse(ResponseApdu::parse(h(s.protectedResponse)))) == s.plainResponse);
    }
    CHECK(hx(terminal.ssc()) == "887022120C06C22C");
}

TEST_CASE("ICAO 9303 BAC secure messaging, card side", "[crypto][sm]") {
    SmSession card = icaoSession();
    for (const Step& s : kIcaoSteps) {
        CHECK(enc(card.unwrapCommand(cmd(s.protectedCommand))) == s.plainCommand);
        CHECK(enc(card.wrapResponse(ResponseApdu::parse(h(s.plainResponse)))) == s.protectedResponse);
    }
}

TEST_CASE("SM round trips, AES and 3DES, every APDU case", "[crypto][sm]") {
    for (int aes = 0; aes < 2; ++aes) {
        SmSession terminal = aes ? aesSession() : icaoSession();
        SmSession card = terminal;
        const CommandApdu plain[] = {
            cmd("00A40000"),                              // case 1
            cmd("00CA010100"),                            // case 2, Le 00 = 256
            cmd("80E2000003010203"),                      // case 3, proprietary class
            cmd("00B1000004540200007F"),                  // odd INS: DO 85
            cmd("042A9E9A0F" + std::string(30, 'A') + "00"),  // CLA 04 (SM bits replaced)
            CommandApdu{0x00, 0xB0, 0x00, 0x00, {}, 1000, false},    // two-byte DO 97
            CommandApdu{0x40, 0xD6, 0x00, 0x00, Bytes(600, 0x5A), 65536, false},  // extended, channel 4
        };
        for (const CommandApdu& c : plain) {
            const CommandApdu wrapped = terminal.wrapCommand(c);
            CommandApdu expected = c;
            expected.cla = plainClass(smClass(c.cla));
            CHECK(card.unwrapCommand(wrapped) == expected);
            const ResponseApdu response{Bytes(c.ins == 0xB1 ? 17 : 3, 0x42), 0x6282};
            const ResponseApdu protectedResponse = card.wrapResponse(response);
            CHECK(protectedResponse.sw == 0x6282);
            CHECK(terminal.unwrapResponse(protectedResponse) == response);
            CHECK(terminal.ssc() == card.ssc());
        }
        CHECK(hx(terminal.ssc()).size() == (aes ? 32u : 16u));
    }
}

TEST_CASE("SM class bytes and header authentication", "[crypto][sm]") {
    CHECK(smClass(0x00) == 0x0C);
    CHECK(smClass(0x03) == 0x0F);
    CHECK(smClass(0x08) == 0x0C);
    CHECK(smClass(0x45) == 0x65);
    CHECK(smClass(0x80) == 0x80);
    CHECK(plainClass(0x0C) == 0x00);
    CHECK(plainClass(0x65) == 0x45);
    CHECK_THROWS_AS(smClass(0x20), std::invalid_argument);
    // The terminal authenticated the header (CLA 0C); a CLA rewritten to 08 (b4-b3 = 10, header
    // not processed) makes the card leave the header out of the MAC, which then fails.
    SmSession terminal = icaoSession(), card = icaoSession();
    CommandApdu wrapped = terminal.wrapCommand(cmd("00B0000004"));
    wrapped.cla = 0x08;
    CHECK(swOf([&] { card.unwrapCommand(wrapped); }) == 0x6988);
}

TEST_CASE("AES SM: IV is E(K_enc, SSC), MAC is CMAC truncated to 8 bytes", "[crypto][sm]") {
    SmSession terminal = aesSession();
    const CommandApdu wrapped = terminal.wrapCommand(cmd("00D600000401020304"));
    const SymmetricKey kEnc(BlockCipher::Aes, h("000102030405060708090A0B0C0D0E0F"));
    const SymmetricKey kMac(BlockCipher::Aes, h("F0E0D0C0B0A090807060504030201000"));
    const Bytes ssc1 = h("00000000000000000000000000000001");
    const Bytes cryptogram = encryptCbc(kEnc, encryptEcb(kEnc, ssc1), h("01020304800000000000000000000000"));
    Bytes do87 = h("871101");
    append(do87, cryptogram);
    Bytes n = ssc1;
    append(n, h("0CD6000080000000000000000000000000"));
    n.pop_back();  // the padded header is exactly one 16-byte block
    append(n, do87);
    Bytes expected = do87;
    append(expected, h("8E08"));
    append(expected, smMac(kMac, padIso9797M2(n, 16)));
    CHECK(hx(wrapped.data) == hx(expected));
    CHECK(wrapped.cla == 0x0C);
    CHECK(wrapped.ne == 256u);
}

TEST_CASE("SM errors: bad MAC, missing and malformed data objects", "[crypto][sm]") {
    auto protectedSelect = [] { return icaoSession().wrapCommand(cmd("00A4020C02011E")); };
    auto unwrap = [](CommandApdu c) { return swOf([&] { icaoSession().unwrapCommand(c); }); };
    auto withData = [](const std::string& hex) { return cmd("0CA4020C" + hx(Bytes{static_cast<std::uint8_t>(hex.size() / 2)}) + hex + "00"); };

    CHECK(unwrap(protectedSelect()) == 0x9000);

    CommandApdu badMac = protectedSelect();
    badMac.data.back() ^= 0x01;
    CHECK(unwrap(badMac) == 0x6988);

    CommandApdu badCryptogram = protectedSelect();
    badCryptogram.data[4] ^= 0x01;  // inside DO 87: the MAC no longer matches
    CHECK(unwrap(badCryptogram) == 0x6988);

    CommandApdu wrongHeader = protectedSelect();
    wrongHeader.p1 = 0x04;  // header is authenticated
    CHECK(unwrap(wrongHeader) == 0x6988);

    CHECK(unwrap(withData("8709016375432908C044F6")) == 0x6987);            // no 8E
    CHECK(unwrap(cmd("0CA4020C")) == 0x6987);                                // no data at all
    CHECK(unwrap(withData("8709016375432908C044F68E08BF8B92D635FF24")) == 0x6988);  // truncated 8E
    CHECK(unwrap(withData("87FF")) == 0x6988);                               // bad length
    CHECK(unwrap(withData("8E08BF8B92D635FF24F88709016375432908C044F6")) == 0x6988);  // 87 after 8E
    CHECK(unwrap(withData("5301008E08BF8B92D635FF24F8")) == 0x6988);          // unknown DO
    CHECK(unwrap(withData("990290008E08BF8B92D635FF24F8")) == 0x6988);        // 99 in a command
    CHECK(unwrap(withData("970100970100" "8E08BF8B92D635FF24F8")) == 0x6988);  // repeated 97
    CHECK(unwrap(cmd("00A4020C02011E")) == 0x6987);                          // no SM indicated
    CHECK(unwrap(cmd("04A4020C02011E")) == 0x6882);                          // proprietary SM

    // Correct MAC but a padding-content indicator other than 01.
    const SymmetricKey kMac(BlockCipher::TripleDes, h("F1CB1F1FB5ADF208806B89DC579DC1F8"));
    auto craft = [&](const std::string& objects) {
        Bytes n = h("887022120C06C227" "0CA4020C80000000");
        append(n, h(objects));
        return withData(objects + "8E08" + hx(retailMac(kMac, padIso9797M2(n, 8))));
    };
    CHECK(unwrap(craft("8709016375432908C044F6")) == 0x9000);  // the crafting is right
    CHECK(unwrap(craft("8709026375432908C044F6")) == 0x6988);  // indicator 02
    CHECK(unwrap(craft("87016375432908")) == 0x6988);          // cryptogram not a block multiple
    CHECK(unwrap(craft("870101")) == 0x6988);                  // indicator only
    CHECK(unwrap(craft("8700")) == 0x6988);                    // empty 87
    CHECK(unwrap(craft("97030000FF")) == 0x6988);              // Le of three bytes
    CHECK(unwrap(craft("8109011E")) == 0x6988);                // truncated 81
    CHECK(enc(icaoSession().unwrapCommand(craft("8102011E"))) == "00A4020C02011E");  // plain DO 81
    // Bad padding inside a correct cryptogram: encipher a block without 80.
    const SymmetricKey kEnc(BlockCipher::TripleDes, h("979EC13B1CBFE9DCD01AB0FED307EAE5"));
    CHECK(unwrap(craft("870901" + hx(encryptCbcZeroIv(kEnc, h("011E000000000000"))))) == 0x6988);
}

TEST_CASE("SM response errors on the terminal side", "[crypto][sm]") {
    auto unwrapResponse = [](const std::string& hex) {
        SmSession terminal = icaoSession();
        terminal.wrapCommand(cmd("00A4020C02011E"));
        return swOf([&] { terminal.unwrapResponse(ResponseApdu::parse(h(hex))); });
    };
    CHECK(unwrapResponse("990290008E08FA855A5D4C50A8ED9000") == 0x9000);
    CHECK(unwrapResponse("990290008E08FA855A5D4C50A8EC9000") == 0x6988);  // bad MAC
    CHECK(unwrapResponse("990290009000") == 0x6987);                      // no 8E
    CHECK(unwrapResponse("8E08FA855A5D4C50A8ED9000") == 0x6987);          // no 99
    CHECK(unwrapResponse("9902908E08FA855A5D4C50A8ED9000") == 0x6988);    // malformed
    // An SM error answered in plain passes through for the caller to see.
    SmSession terminal = icaoSession();
    terminal.wrapCommand(cmd("00A4020C02011E"));
    CHECK(terminal.unwrapResponse(ResponseApdu{{}, 0x6988}).sw == 0x6988);
}

TEST_CASE("SM session parameters", "[crypto][sm]") {
    CHECK_THROWS_AS(SmSession(BlockCipher::Aes, Bytes(16), Bytes(16), Bytes(8)), std::invalid_argument);
    CHECK_THROWS_AS(SmSession(BlockCipher::TripleDes, Bytes(16), Bytes(24), Bytes(8)), std::invalid_argument);
    CHECK_THROWS_AS(SmSession(BlockCipher::TripleDes, Bytes(16), Bytes(16), Bytes(16)), std::invalid_argument);
    SmSession wrap(BlockCipher::TripleDes, Bytes(16, 1), Bytes(16, 2), h("00000000000000FF"));
    wrap.wrapCommand(cmd("00A40000"));
    CHECK(hx(wrap.ssc()) == "0000000000000100");
    SmSession top(BlockCipher::TripleDes, Bytes(16, 1), Bytes(16, 2), h("FFFFFFFFFFFFFFFF"));
    top.wrapCommand(cmd("00A40000"));
    CHECK(hx(top.ssc()) == "0000000000000000");
}
