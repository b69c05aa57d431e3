// The Cryptoflex transport behaviour (reference notes §1.1-§1.3): ATR and models, classes, T=0
// answers with 61xx and GET RESPONSE C0 C0, T=1-style Le, power events, the card image.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/cryptoflex/helpers.hpp"
#include "vicc/card_options.hpp"
#include "vicc/card_registry.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;

namespace {
const char* kMfHeader = "00 00 7F CC 3F 00 38 00 00 44 44 01 09 00 00 02 00 00 00 00 00 00";
}

TEST_CASE("cryptoflex: the ATR is the 32K e-gate's, which OpenSC marks with on-card key generation") {
    auto card = cryptoflexCard();
    CHECK(toHex(card->atr()) == "3B 95 18 40 FF 62 01 02 01 04");
    CHECK(cryptoflex::findModel("8k")->keyGeneration == false);
    CHECK(toHex(CryptoflexCard::blank(*cryptoflex::findModel("16k"), fromHex(kSerial))->atr()) ==
          "3B 95 94 40 FF 63 01 01 02 01");
    card->setCommandLineAtr(fromHex("3B 02 14 50"));
    CHECK(toHex(card->atr()) == "3B 02 14 50");
}

TEST_CASE("cryptoflex: the card type is registered and starts blank with a random serial") {
    const CardType* type = findCardType("cryptoflex");
    REQUIRE(type);
    auto a = type->create(CardOptions{});
    auto b = type->create(CardOptions{});
    a->powerOn();
    b->powerOn();
    CHECK(tx(*a, "C0 A4 00 00 02 00 02") == "61 10");
    const std::string sa = tx(*a, "C0 B0 00 00 08"), sb = (tx(*b, "C0 A4 00 00 02 00 02"), tx(*b, "C0 B0 00 00 08"));
    CHECK(sa.size() == std::string("01 02 03 04 05 06 07 08 90 00").size());
    CHECK(sa != sb);
}

TEST_CASE("cryptoflex: classes C0 and F0; 00 and 10 only for the RSA operation") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "00 A4 00 00 02 3F 00") == "6D 00");
    CHECK(tx(*card, "80 A4 00 00 02 3F 00") == "6E 00");
    CHECK(tx(*card, "A0 A4 00 00 02 3F 00") == "6E 00");
    CHECK(tx(*card, "C1 A4 00 00 02 3F 00") == "6E 00");
    CHECK(tx(*card, "F0 A4 00 00 02 3F 00") == "6E 00");  // SELECT is an everyday command
    CHECK(tx(*card, "C0 A8 00 00 04") == "6E 00");        // DIRECTORY is administrative
    CHECK(tx(*card, "C0 E4 00 00 02 00 02") == "6E 00");
    CHECK(tx(*card, "F0 B0 00 00 08") == "6E 00");
    CHECK(tx(*card, "F0 20 00 01 08 31 32 33 34 00 00 00 00") == "6E 00");
    CHECK(tx(*card, "C0 2A 00 01 08 2C 15 E5 26 E9 3E 8A 19") == "6E 00");
    CHECK(tx(*card, "C0 FF 00 00") == "6D 00");
    CHECK(tx(*card, "C0") == "67 00");  // not an APDU
}

TEST_CASE("cryptoflex: T=0 case 4 gets 61xx and GET RESPONSE C0 C0 fetches the header") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00") == "61 16");
    CHECK(tx(*card, "C0 C0 00 00 16") == std::string(kMfHeader) + " 90 00");
    // Nothing left to fetch.
    CHECK(tx(*card, "C0 C0 00 00 16") == "69 85");
    // In parts.
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00") == "61 16");
    CHECK(tx(*card, "C0 C0 00 00 10") == "00 00 7F CC 3F 00 38 00 00 44 44 01 09 00 00 02 61 06");
    CHECK(tx(*card, "C0 C0 00 00 06") == "00 00 00 00 00 00 90 00");
    // Another command drops the pending answer.
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00") == "61 16");
    CHECK(tx(*card, "C0 B0 00 00 08") == "69 86");
    CHECK(tx(*card, "C0 C0 00 00 16") == "69 85");
    // GET RESPONSE with P1-P2 or data.
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00") == "61 16");
    CHECK(tx(*card, "C0 C0 01 00 16") == "6A 86");
    CHECK(tx(*card, "F0 C0 00 00 16") == "6E 00");
}

TEST_CASE("cryptoflex: a T=1-style Le gets the data at once; P3 = 00 means 256") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00 00") == std::string(kMfHeader) + " 90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00 10") == "00 00 7F CC 3F 00 38 00 00 44 44 01 09 00 00 02 61 06");
    run(*card, {kVerifyAak, createEf(0x2F00, 300)});
    run(*card, {"C0 D6 00 00 FF " + repeat("AB", 255), "C0 D6 00 FF 2D " + repeat("CD", 45)});
    CHECK(tx(*card, "C0 B0 00 00 00") == repeat("AB", 255) + " CD 90 00");
    CHECK(tx(*card, "C0 B0 01 00 00") == repeat("CD", 44) + " 90 00");
}

TEST_CASE("cryptoflex: reset and power off clear the security state, not the files") {
    auto card = cardWithChv1();
    CHECK(card->securityStatus().chv1);
    CHECK(card->securityStatus().keys.count(1) == 1);
    card->reset();
    CHECK_FALSE(card->securityStatus().chv1);
    CHECK(card->securityStatus().keys.empty());
    CHECK(tx(*card, "C0 A4 00 00 02 30 00") == "61 16");
    card->powerOff();
    card->powerOn();
    CHECK(tx(*card, "C0 A4 00 00 02 30 00") == "61 16");
}

TEST_CASE("cryptoflex: the image holds the files and the model; it round-trips") {
    auto card = cardWithChv1();
    const nlohmann::json image = card->saveState();
    CHECK(image["model"] == "egate32k");
    CHECK_FALSE(image.contains("pins"));
    auto other = CryptoflexCard::blank(*cryptoflex::findModel("8k"), fromHex("00 00 00 00 00 00 00 00"));
    other->loadState(image);
    other->powerOn();
    CHECK(other->saveState() == image);
    CHECK(other->model().name == "egate32k");
    CHECK(tx(*other, "C0 A4 00 00 02 00 02") == "61 10");
    CHECK(tx(*other, "C0 B0 00 00 08") == std::string(kSerial) + " 90 00");
    CHECK(tx(*other, "C0 A4 00 00 02 30 00") == "61 16");
    CHECK(tx(*other, verifyChv(1, "1234")) == "90 00");

    nlohmann::json eightK = image;
    eightK["model"] = "8k";
    other->loadState(eightK);
    CHECK(toHex(other->atr()) == "3B 95 15 40 FF 68 01 02 02 04");
    nlohmann::json bad = image;
    bad["model"] = "64k";
    CHECK_THROWS_AS(other->loadState(bad), ParseError);
    bad["model"] = 5;
    CHECK_THROWS_AS(other->loadState(bad), ParseError);
    bad = image;
    bad["type"] = "iso7816";
    CHECK_THROWS_AS(other->loadState(bad), ParseError);
}

TEST_CASE("cryptoflex: the example image vicc/cards/examples/cryptoflex-blank.json loads") {
    std::ifstream in(std::string(VPCSC_TOP_SRCDIR) + "/vicc/cards/examples/cryptoflex-blank.json");
    REQUIRE(in);
    const nlohmann::json image = nlohmann::json::parse(in);
    auto card = cryptoflexCard(*cryptoflex::findModel("8k"));
    card->loadState(image);
    card->powerOn();
    CHECK(card->model().name == "egate32k");
    CHECK(tx(*card, "C0 A4 00 00 02 00 02") == "61 10");
    CHECK(tx(*card, "C0 B0 00 00 08") == std::string(kSerial) + " 90 00");
    CHECK(tx(*card, kVerifyAak) == "90 00");
}
