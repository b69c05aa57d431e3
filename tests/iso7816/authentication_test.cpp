// GET CHALLENGE, INTERNAL / EXTERNAL / MUTUAL AUTHENTICATE with the keys of the card image
// (ISO 7816-4 §11.5, ICAO 9303-11 §4.3 for MUTUAL AUTHENTICATE).
#include <catch2/catch.hpp>

#include "tests/iso7816/security_helpers.hpp"
#include "vicc/crypto/authenticate.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::responseData;
using vicc::test::tx;

namespace {
const crypto::SymmetricKey kAes(crypto::BlockCipher::Aes, fromHex("000102030405060708090A0B0C0D0E0F"));
const crypto::SymmetricKey kBacEnc(crypto::BlockCipher::TripleDes, fromHex("AB94FDECF2674FDFB9B391F85D7F76F2"));
const crypto::SymmetricKey kBacMac(crypto::BlockCipher::TripleDes, fromHex("7962D9ECE03D1ACD4C76089DCE131543"));

std::string withLc(const std::string& header, ByteView data) {
    return header + " " + toHex(Bytes{static_cast<std::uint8_t>(data.size())}) + " " + toHex(data);
}
}  // namespace

TEST_CASE("GET CHALLENGE: Le bytes of randomness, errors", "[auth][challenge]") {
    auto card = test::keyCard();
    const std::string r8 = tx(*card, "00 84 00 00 08");
    CHECK(r8.size() == 3 * 10 - 1);
    CHECK(r8.substr(24) == "90 00");
    CHECK(tx(*card, "00 84 00 00 08") != r8);
    CHECK(card->channel(0)->challenge != responseData(r8));  // replaced by the second one
    CHECK(card->process(fromHex("00 84 00 00 01")).size() == 3);
    CHECK(card->process(fromHex("00 84 00 00 00")).size() == 258);
    CHECK(card->process(fromHex("00 84 00 00 00 01 00")).size() == 258);
    const Bytes big = card->process(fromHex("00 84 00 00 00 00 00"));
    CHECK(big.size() == 65538);
    CHECK(toHex(ByteView(big).last(2)) == "90 00");
    CHECK(tx(*card, "00 84 00 00") == "67 00");
    CHECK(tx(*card, "00 84 00 00 01 00 08") == "67 00");
    CHECK(tx(*card, "00 84 01 00 08") == "6A 86");
    CHECK(tx(*card, "00 84 00 01 08") == "6A 86");
}

TEST_CASE("INTERNAL AUTHENTICATE with AES and 3DES keys", "[auth][internal]") {
    auto card = test::keyCard();
    // AES-128: 8 bytes padded with ISO 9797-1 method 2, one block of CBC with a zero IV
    CHECK(tx(*card, "00 88 00 01 08 01 02 03 04 05 06 07 08 00") ==
          "C6 CC 58 6F 36 F1 74 17 BD 70 D6 51 30 2A 8B DE 90 00");
    // 3DES (2 keys), one block: ECB
    CHECK(tx(*card, "00 88 00 02 08 01 02 03 04 05 06 07 08 00") == "91 D7 DB 89 87 F7 1B 6F 90 00");
    CHECK(tx(*card, "00 88 00 02 08 01 02 03 04 05 06 07 08") == "61 08");  // no Le: GET RESPONSE
    CHECK(tx(*card, "00 C0 00 00 08") == "91 D7 DB 89 87 F7 1B 6F 90 00");
    // P2 00: the key of the SE's authentication template
    CHECK(tx(*card, "00 88 00 00 08 01 02 03 04 05 06 07 08 00") == "6A 88");
    card->channel(0)->se.at.key = 0x02;
    CHECK(tx(*card, "00 88 00 00 08 01 02 03 04 05 06 07 08 00") == "91 D7 DB 89 87 F7 1B 6F 90 00");
    // errors
    CHECK(tx(*card, "00 88 00 09 08 01 02 03 04 05 06 07 08 00") == "6A 88");
    CHECK(tx(*card, "00 88 00 04 08 01 02 03 04 05 06 07 08 00") == "69 85");  // not for authentication
    CHECK(tx(*card, "00 88 00 03 08 01 02 03 04 05 06 07 08 00") == "69 82");  // needs PIN 81
    CHECK(tx(*card, "00 20 00 81 04 31 32 33 34") == "90 00");
    CHECK(tx(*card, "00 88 00 03 08 01 02 03 04 05 06 07 08 00") ==
          "C6 CC 58 6F 36 F1 74 17 BD 70 D6 51 30 2A 8B DE 90 00");
    CHECK(tx(*card, "00 88 00 01 00") == "67 00");
}

TEST_CASE("EXTERNAL AUTHENTICATE: challenge bound to the channel, used once", "[auth][external]") {
    auto card = test::keyCard();
    CHECK(tx(*card, "00 A4 02 0C 02 2F 01") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 02") == "69 82");  // read needs key 01 authenticated (SC 21)
    // no challenge yet
    CHECK(tx(*card, "00 82 00 01 10 " + test::repeat("00", 16)) == "69 85");
    Bytes challenge = responseData(tx(*card, "00 84 00 00 10"));
    CHECK(tx(*card, withLc("00 82 00 01", crypto::authenticationCryptogram(kAes, challenge))) == "90 00");
    CHECK(card->channel(0)->security->keyAuthenticated(0x01));
    CHECK(tx(*card, "00 B0 00 00 02") == "CA FE 90 00");
    // the challenge is used up: replaying the cryptogram fails
    CHECK(tx(*card, withLc("00 82 00 01", crypto::authenticationCryptogram(kAes, challenge))) == "69 85");
    // a wrong cryptogram: 6300 and the key is no longer authenticated
    challenge = responseData(tx(*card, "00 84 00 00 08"));
    Bytes wrong = crypto::authenticationCryptogram(kAes, challenge);
    wrong[0] ^= 1;
    CHECK(tx(*card, withLc("00 82 00 01", wrong)) == "63 00");
    CHECK_FALSE(card->channel(0)->security->keyAuthenticated(0x01));
    CHECK(tx(*card, "00 B0 00 00 02") == "69 82");
    // a challenge asked on channel 1 is not channel 0's
    CHECK(tx(*card, "00 70 00 00 01") == "01 90 00");
    challenge = responseData(tx(*card, "01 84 00 00 08"));
    CHECK(tx(*card, withLc("00 82 00 01", crypto::authenticationCryptogram(kAes, challenge))) == "69 85");
    CHECK(tx(*card, withLc("01 82 00 01", crypto::authenticationCryptogram(kAes, challenge))) == "90 00");
    CHECK(card->channel(1)->security->keyAuthenticated(0x01));
    CHECK_FALSE(card->channel(0)->security->keyAuthenticated(0x01));
    // 3DES key, P2 00 with the SE's key
    card->channel(0)->se.at.key = 0x02;
    challenge = responseData(tx(*card, "00 84 00 00 08"));
    CHECK(tx(*card, withLc("00 82 00 00", crypto::authenticationCryptogram(kBacEnc, challenge))) == "90 00");
    CHECK(card->channel(0)->security->keyAuthenticated(0x02));
    // errors
    CHECK(tx(*card, "00 82 00 01") == "67 00");
    CHECK(tx(*card, "00 82 00 07 08 01 02 03 04 05 06 07 08") == "6A 88");
    CHECK(tx(*card, "00 82 00 04 08 01 02 03 04 05 06 07 08") == "69 85");
    CHECK(tx(*card, "00 82 00 03 08 01 02 03 04 05 06 07 08") == "69 82");
    // a reset forgets challenge and status
    tx(*card, "00 84 00 00 08");
    card->reset();
    CHECK(tx(*card, "00 82 00 01 10 " + test::repeat("00", 16)) == "69 85");
    CHECK_FALSE(card->channel(0)->security->keyAuthenticated(0x02));
}

TEST_CASE("MUTUAL AUTHENTICATE: ICAO 9303-11 Appendix D.3 (BAC)", "[auth][mutual]") {
    auto card = test::keyCard();
    // the card's challenge RND.ICC of Appendix D.3, as GET CHALLENGE would have left it
    card->channel(0)->challenge = fromHex("4608F91988702212");
    const std::string r = tx(*card,
                             "00 82 00 02 28 72 C2 9C 23 71 CC 9B DB 65 B7 79 B8 E8 D3 7B 29 EC C1 54 AA 56 A8 79 "
                             "9F AE 2F 49 8F 76 ED 92 F2 5F 14 48 EE A8 AD 90 A7 28");
    REQUIRE(r.size() == 42 * 3 - 1);
    CHECK(r.substr(40 * 3) == "90 00");
    const auto plain = crypto::openMutualAuthenticationCryptogram(kBacEnc, kBacMac, responseData(r));
    REQUIRE(plain);
    CHECK(toHex(ByteView(*plain).first(16)) == "46 08 F9 19 88 70 22 12 78 17 23 86 0C 06 C2 26");  // RND.ICC || RND.IFD
    REQUIRE(card->channel(0)->sm);
    CHECK(toHex(card->channel(0)->sm->ssc()) == "88 70 22 12 0C 06 C2 26");
    CHECK(card->channel(0)->security->keyAuthenticated(0x02));
    CHECK(card->channel(0)->challenge.empty());
}

TEST_CASE("MUTUAL AUTHENTICATE errors", "[auth][mutual]") {
    auto card = test::keyCard();
    const std::string cmd = "28 72 C2 9C 23 71 CC 9B DB 65 B7 79 B8 E8 D3 7B 29 EC C1 54 AA 56 A8 79 "
                            "9F AE 2F 49 8F 76 ED 92 F2 5F 14 48 EE A8 AD 90 A7 28";
    CHECK(tx(*card, "00 82 00 02 " + cmd) == "69 85");         // no challenge
    card->channel(0)->challenge = fromHex("0000000000000000");  // another RND.ICC
    CHECK(tx(*card, "00 82 00 02 " + cmd) == "63 00");
    CHECK_FALSE(card->channel(0)->sm);
    card->channel(0)->challenge = fromHex("4608F91988702212");
    std::string tampered = cmd;
    tampered[3] = '3';  // first cryptogram byte 72 -> 73: the MAC fails
    CHECK(tx(*card, "00 82 00 02 " + tampered) == "63 00");
    CHECK(card->channel(0)->challenge.empty());  // used up by the failed attempt
    card->channel(0)->challenge = fromHex("4608F91988702212");
    CHECK(tx(*card, "00 82 00 02 08 01 02 03 04 05 06 07 08 28") == "67 00");
    CHECK(tx(*card, "00 82 00 09 " + cmd) == "6A 88");
    CHECK(tx(*card, "00 82 00 04 " + cmd) == "69 85");
    CHECK(tx(*card, "00 82 00 05 " + cmd) == "69 85");  // 3-key 3DES without a 2-key K_mac
    card->channel(0)->challenge = fromHex("46 08 F9 19 88 70 22 12 00");  // 9 bytes: not BAC's RND.ICC
    CHECK(tx(*card, "00 82 00 02 " + cmd) == "69 85");
}

TEST_CASE("keys in the card image", "[auth][image]") {
    auto card = test::keyCard();
    const auto image = card->saveState();
    CHECK(image["keys"][0] == nlohmann::json::parse(R"({"reference":"01","algorithm":"AES","usage":["authenticate","secureMessaging"],
        "access":"00","value":"000102030405060708090A0B0C0D0E0F","macValue":"101112131415161718191A1B1C1D1E1F"})"));
    CHECK(image["keys"][2]["access"] == "11");
    CHECK(image["keys"][1]["usage"] == nlohmann::json::parse(R"(["authenticate"])"));
    auto copy = test::blankCard();
    copy->loadState(image);
    CHECK(copy->saveState() == image);
    auto bad = [&](const char* key) {
        auto j = image;
        j["keys"].push_back(nlohmann::json::parse(key));
        CHECK_THROWS_AS(copy->loadState(j), ParseError);
        CHECK(copy->saveState() == image);
    };
    bad(R"({"reference":"01","algorithm":"AES","value":"000102030405060708090A0B0C0D0E0F"})");  // used twice
    bad(R"({"reference":"09","algorithm":"AES","value":"0001"})");
    bad(R"({"reference":"09","algorithm":"DES","value":"0001020304050607"})");
    bad(R"({"reference":"0909","algorithm":"AES","value":"000102030405060708090A0B0C0D0E0F"})");
    bad(R"({"reference":"09","algorithm":"AES"})");
    bad(R"({"reference":"09","algorithm":"AES","value":"000102030405060708090A0B0C0D0E0F","usage":["fly"]})");
    bad(R"({"reference":"09","algorithm":"AES","value":"000102030405060708090A0B0C0D0E0F","access":"1111"})");
    bad(R"({"reference":"09","algorithm":"RSA-2048","pem":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})");
    bad(R"({"reference":"09","algorithm":"RSA-2048","value":"00"})");
    bad(R"("09")");
}
