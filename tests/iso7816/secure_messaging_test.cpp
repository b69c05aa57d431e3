// Secure messaging through Iso7816Card (ISO 7816-4 §10): static SM keys from the image, sessions
// from MUTUAL AUTHENTICATE, 6882/6987/6988, the SM security condition, and one session per
// logical channel. The terminal side is vicc/crypto's SmSession (tested against ICAO vectors).
#include <catch2/catch.hpp>

#include "tests/iso7816/security_helpers.hpp"
#include "vicc/crypto/authenticate.hpp"
#include "vicc/crypto/kdf.hpp"
#include "vicc/crypto/secure_messaging.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

namespace {

using crypto::BlockCipher;
using crypto::SmSession;

// The static SM key 02 of vicc/cards/examples/iso7816-keys.json, SSC 0.
SmSession staticTerminal() {
    return SmSession(BlockCipher::Aes, fromHex("202122232425262728292A2B2C2D2E2F"), fromHex("303132333435363738393A3B3C3D3E3F"),
                     Bytes(16, 0x00));
}

// Protect, send, unprotect: "<data> <SW>" of the plain response.
std::string smTx(Card& card, SmSession& terminal, const std::string& apdu) {
    CommandApdu c = CommandApdu::parse(fromHex(apdu));
    c.cla = crypto::smClass(c.cla);
    const CommandApdu wrapped = terminal.wrapCommand(c);
    const ResponseApdu r = terminal.unwrapResponse(ResponseApdu::parse(card.process(wrapped.encode())));
    return toHex(r.encode());
}

std::string rawSm(Card& card, SmSession& terminal, const std::string& apdu) {
    CommandApdu c = CommandApdu::parse(fromHex(apdu));
    c.cla = crypto::smClass(c.cla);
    return toHex(card.process(terminal.wrapCommand(c).encode()));
}

}  // namespace

TEST_CASE("SM with the image's static key: commands, errors protected, SM access condition", "[sm]") {
    auto card = test::exampleCard("iso7816-keys.json");
    SmSession terminal = staticTerminal();
    CHECK(tx(*card, "00 A4 02 0C 02 2F 02") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 00") == "69 82");  // 2F02: read needs SM (SC 40)
    CHECK(smTx(*card, terminal, "00 B0 00 00 00") == "53 4D 2D 4F 4E 4C 59 90 00");
    CHECK(toHex(card->channel(0)->sm->ssc()) == toHex(terminal.ssc()));
    CHECK(smTx(*card, terminal, "00 A4 02 0C 02 2F 00") == "90 00");
    CHECK(smTx(*card, terminal, "00 B0 00 00 05") == "48 65 6C 6C 6F 90 00");
    // the PIN travels enciphered (DO 87)
    CHECK(smTx(*card, terminal, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(smTx(*card, terminal, "00 20 00 81") == "90 00");
    // an error of the command itself comes back protected (DO 99 + MAC)
    CHECK(smTx(*card, terminal, "00 A4 02 0C 02 99 99") == "6A 82");
    CHECK(smTx(*card, terminal, "00 D6 00 00 01 AA") == "90 00");
    // the SM status holds for that command only
    CHECK(tx(*card, "00 A4 02 0C 02 2F 02") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 00") == "69 82");
}

TEST_CASE("SM errors: 6987 missing objects, 6988 wrong MAC, the session ends", "[sm]") {
    auto card = test::exampleCard("iso7816-keys.json");
    SmSession terminal = staticTerminal();
    CHECK(smTx(*card, terminal, "00 A4 02 0C 02 2F 00") == "90 00");
    // a wrong MAC: plain 6988, the card drops its session
    CommandApdu c = CommandApdu::parse(fromHex("0C B0 00 00 00"));
    Bytes wrapped = terminal.wrapCommand(c).encode();
    wrapped[wrapped.size() - 2] ^= 0x01;
    CHECK(toHex(card->process(wrapped)) == "69 88");
    CHECK_FALSE(card->channel(0)->sm);
    // the terminal's session has moved on; the card restarts from SSC 0 and the MAC does not match
    CHECK(rawSm(*card, terminal, "00 B0 00 00 00") == "69 88");
    // a fresh terminal session works again
    terminal = staticTerminal();
    CHECK(smTx(*card, terminal, "00 B0 00 00 05") == "48 65 6C 6C 6F 90 00");
    // no 8E / no data objects at all: 6987
    CHECK(tx(*card, "0C B0 00 00 03 97 01 05 00") == "69 87");
    CHECK(tx(*card, "0C B0 00 00 00") == "69 87");
    CHECK(tx(*card, "0C B0 00 00 04 8E 02 00 00 00") == "69 88");
    // proprietary SM indication (b4-b3 = 01)
    CHECK(tx(*card, "04 B0 00 00 00") == "68 82");
}

TEST_CASE("SM without any SM key: 6882", "[sm]") {
    auto card = test::blankCard();
    CHECK(tx(*card, "0C B0 00 00 04 8E 02 00 00 00") == "68 82");
}

TEST_CASE("SM from MUTUAL AUTHENTICATE (BAC), one session per channel, a plain command ends it", "[sm][mutual]") {
    auto card = test::exampleCard("iso7816-keys.json");
    const crypto::SymmetricKey kEnc(BlockCipher::TripleDes, fromHex("AB94FDECF2674FDFB9B391F85D7F76F2"));
    const crypto::SymmetricKey kMac(BlockCipher::TripleDes, fromHex("7962D9ECE03D1ACD4C76089DCE131543"));
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    const Bytes rndIcc = test::responseData(tx(*card, "00 84 00 00 08"));
    const Bytes rndIfd = fromHex("781723860C06C226");
    const Bytes kIfd = fromHex("0B795240CB7049B01C19B33E32804F0B");
    Bytes s = rndIfd;
    append(s, rndIcc);
    append(s, kIfd);
    const Bytes cmd = crypto::mutualAuthenticationCryptogram(kEnc, kMac, s);
    CommandApdu mutual{0x00, 0x82, 0x00, 0x03, cmd, 40};
    const ResponseApdu answer = ResponseApdu::parse(card->process(mutual.encode()));
    REQUIRE(answer.sw == 0x9000);
    const auto r = crypto::openMutualAuthenticationCryptogram(kEnc, kMac, answer.data);
    REQUIRE(r);
    CHECK(ByteView(*r).first(8).size() == 8);
    CHECK(Bytes(r->begin(), r->begin() + 8) == rndIcc);
    CHECK(Bytes(r->begin() + 8, r->begin() + 16) == rndIfd);
    Bytes seed(16);
    for (std::size_t i = 0; i < 16; ++i) seed[i] = kIfd[i] ^ (*r)[16 + i];
    Bytes ssc(rndIcc.end() - 4, rndIcc.end());
    append(ssc, ByteView(rndIfd).last(4));
    auto bac = [&] {
        return SmSession(BlockCipher::TripleDes, crypto::icaoKdf(BlockCipher::TripleDes, 16, seed, crypto::kKdfEnc),
                         crypto::icaoKdf(BlockCipher::TripleDes, 16, seed, crypto::kKdfMac), ssc);
    };
    SmSession terminal = bac();
    CHECK(smTx(*card, terminal, "00 A4 02 0C 02 2F 00") == "90 00");
    CHECK(smTx(*card, terminal, "00 B0 00 00 05") == "48 65 6C 6C 6F 90 00");
    // channel 1 has its own state: the static session there does not know the BAC keys
    SmSession other = bac();
    CHECK(rawSm(*card, other, "01 B0 00 00 05") == "69 88");
    CHECK(smTx(*card, terminal, "00 B0 00 00 02") == "48 65 90 00");
    CHECK(card->channel(0)->smFromAuthentication);
    // GET RESPONSE in plain keeps the session
    CHECK(rawSm(*card, terminal, "00 B0 00 00 05").substr(0, 2) == "87");
    CHECK(tx(*card, "00 C0 00 00 01") == "69 85");  // nothing waits; the session stays
    CHECK(card->channel(0)->sm);
    // a plain command ends it
    CHECK(tx(*card, "00 A4 00 0C 02 3F 00") == "90 00");
    CHECK_FALSE(card->channel(0)->sm);
    CHECK(rawSm(*card, terminal, "00 B0 00 00 05") == "69 88");
}
