// Cryptoflex security commands with exact bytes (reference notes §1.3, §1.6): VERIFY / CHANGE /
// UNBLOCK CHV with CHV files found upwards, retry counters, VERIFY KEY, LOGOUT, GET CHALLENGE, and
// the access condition nibbles.
#include <catch2/catch.hpp>

#include "tests/cryptoflex/helpers.hpp"
#include "vicc/cryptoflex/access.hpp"
#include "vicc/cryptoflex/chv_file.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;

TEST_CASE("cryptoflex VERIFY CHV: the CHV file of the current DF or an ancestor (pkcs15-init's dummy CHV2)") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createDf(0x5015, 12000, 0x00, 0x02)});
    CHECK(tx(*card, verifyChv(2, "87654321")) == "6A 88");  // no 0100 anywhere yet
    // The dummy 3F00/0100 (§1.8 step 5), then VERIFY CHV2 while 5015 is current.
    run(*card, {select(0x3F00), createEf(0x0100, 23), "C0 D6 00 00 17 " + chvContent("000000", 8, "000000", 8),
                select(0x5015)});
    CHECK(tx(*card, verifyChv(2, "000000")) == "90 00");
    CHECK(card->securityStatus().chv2);
    // The real 5015/0100 (UPDATE = CHV2), written while the dummy's verification holds.
    run(*card, {createFile(0x0100, 23, 0x01, 0xF2, 0xF2, 0xFF), "C0 D6 00 00 17 " + chvContent("87654321", 2, "12345678", 4)});
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, verifyChv(2, "000000")) == "63 C1");  // now 5015/0100 answers
    CHECK_FALSE(card->securityStatus().chv2);
    CHECK(tx(*card, verifyChv(2, "87654321")) == "90 00");
    // Deleting the dummy (§1.8 step 7); the verified state survives SELECT.
    run(*card, {select(0x3F00), "F0 E4 00 00 02 01 00"});
    CHECK(card->securityStatus().chv2);
    CHECK(tx(*card, verifyChv(2, "87654321")) == "6A 88");  // from the MF, 5015/0100 is not found
}

TEST_CASE("cryptoflex VERIFY CHV: retry counter, 63Cx, blocking, parameters") {
    auto card = cardWithChv1();
    CHECK(tx(*card, verifyChv(1, "9999")) == "63 C2");
    CHECK(tx(*card, verifyChv(1, "9999")) == "63 C1");
    CHECK(tx(*card, verifyChv(1, "1234")) == "90 00");  // success restores the counter
    CHECK(tx(*card, select(0x0000)) == "61 10");
    CHECK(tx(*card, "C0 A4 00 00 02 30 00 00").substr(3 * 18, 2) == "83");  // CHV1 status: initialised, 3 tries
    CHECK(tx(*card, verifyChv(1, "9999")) == "63 C2");
    CHECK(tx(*card, verifyChv(1, "9999")) == "63 C1");
    CHECK(tx(*card, verifyChv(1, "9999")) == "63 C0");
    CHECK(tx(*card, verifyChv(1, "1234")) == "69 83");
    CHECK_FALSE(card->securityStatus().chv1);
    // The counter is in the file, so it persists.
    auto restored = cryptoflexCard();
    restored->loadState(card->saveState());
    restored->powerOn();
    run(*restored, {select(0x3000)});
    CHECK(tx(*restored, verifyChv(1, "1234")) == "69 83");

    CHECK(tx(*card, "C0 20 00 03 08 31 32 33 34 00 00 00 00") == "6A 86");
    CHECK(tx(*card, "C0 20 00 00 08 31 32 33 34 00 00 00 00") == "6A 86");
    CHECK(tx(*card, "C0 20 01 01 08 31 32 33 34 00 00 00 00") == "6A 86");
    CHECK(tx(*card, "C0 20 00 01 04 31 32 33 34") == "67 00");
    CHECK(tx(*card, "C0 20 00 01") == "67 00");
}

TEST_CASE("cryptoflex VERIFY CHV: unusable CHV files") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createEf(0x0000, 10)});
    CHECK(tx(*card, verifyChv(1, "1234")) == "69 84");  // shorter than 23 bytes
    run(*card, {"F0 E4 00 00 02 00 00", createEf(0x0000, 23)});
    CHECK(tx(*card, verifyChv(1, "1234")) == "69 83");  // created, never written: 0 tries
    run(*card, {"F0 E4 00 00 02 00 00", "F0 E0 00 01 11 FF FF 00 17 00 00 02 FF 00 00 00 01 04 00 00 00 17"});
    CHECK(tx(*card, verifyChv(1, "1234")) == "69 84");  // a record EF
}

TEST_CASE("cryptoflex CHANGE CHV (F0 24) and UNBLOCK CHV (F0 2C)") {
    auto card = cardWithChv1();
    const std::string old8 = "31 32 33 34 00 00 00 00", new8 = "35 36 37 38 00 00 00 00";
    const std::string puk8 = "31 32 33 34 35 36 00 00";
    CHECK(tx(*card, "C0 24 00 01 10 " + old8 + " " + new8) == "6E 00");
    CHECK(tx(*card, "F0 24 00 01 08 " + old8) == "67 00");
    CHECK(tx(*card, "F0 24 00 03 10 " + old8 + " " + new8) == "6A 86");
    CHECK(tx(*card, "F0 24 00 02 10 " + old8 + " " + new8) == "6A 88");
    CHECK(tx(*card, "F0 24 00 01 10 " + new8 + " " + new8) == "63 C2");
    CHECK(tx(*card, "F0 24 00 01 10 " + old8 + " " + new8) == "90 00");
    CHECK(card->securityStatus().chv1);
    CHECK(tx(*card, verifyChv(1, "1234")) == "63 C2");
    CHECK(tx(*card, verifyChv(1, "5678")) == "90 00");

    // Block the PIN, then unblock it with the PUK (10 tries).
    for (int i = 0; i < 3; ++i) tx(*card, verifyChv(1, "0000"));
    CHECK(tx(*card, verifyChv(1, "5678")) == "69 83");
    CHECK(tx(*card, "F0 24 00 01 10 " + new8 + " " + old8) == "69 83");
    CHECK(tx(*card, "F0 2C 00 01 10 " + old8 + " " + old8) == "63 C9");
    CHECK(tx(*card, "F0 2C 00 01 10 " + puk8 + " " + old8) == "90 00");
    CHECK(card->securityStatus().chv1);
    CHECK(tx(*card, verifyChv(1, "1234")) == "90 00");
    CHECK(tx(*card, "F0 2C 00 01 08 " + puk8) == "67 00");
    CHECK(tx(*card, "C0 2C 00 01 10 " + puk8 + " " + old8) == "6E 00");
    // A blocked PUK.
    for (int i = 0; i < 9; ++i) tx(*card, "F0 2C 00 01 10 " + old8 + " " + old8);
    CHECK(tx(*card, "F0 2C 00 01 10 " + old8 + " " + old8) == "63 C0");
    CHECK(tx(*card, "F0 2C 00 01 10 " + puk8 + " " + old8) == "69 83");
}

TEST_CASE("cryptoflex VERIFY KEY (F0 2A) with the default AAK of EF 0011") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "F0 2A 00 01 08 2C 15 E5 26 E9 3E 8A 18") == "63 00");
    CHECK(card->securityStatus().keys.empty());
    CHECK(tx(*card, "F0 2A 00 01 07 2C 15 E5 26 E9 3E 8A") == "67 00");
    CHECK(tx(*card, "F0 2A 00 00 08 2C 15 E5 26 E9 3E 8A 19") == "6A 86");
    CHECK(tx(*card, "F0 2A 01 01 08 2C 15 E5 26 E9 3E 8A 19") == "6A 86");
    CHECK(tx(*card, "F0 2A 00 02 08 2C 15 E5 26 E9 3E 8A 19") == "6A 88");
    CHECK(tx(*card, kVerifyAak) == "90 00");
    CHECK(card->securityStatus().keys == std::set<std::uint8_t>{1});
    // Found from a DF below the MF too.
    run(*card, {createDf(0x5015, 100)});
    CHECK(tx(*card, "F0 22 04 00") == "90 00");
    CHECK(tx(*card, kVerifyAak) == "90 00");
    // Without any EF 0011 on the path.
    run(*card, {select(0x3F00), "F0 E4 00 00 02 00 11"});
    CHECK(tx(*card, kVerifyAak) == "6A 88");
}

TEST_CASE("cryptoflex LOGOUT (F0 22 07 00) forgets CHVs and AUT keys") {
    auto card = cardWithChv1();
    run(*card, {createEf(0x0100, 23), "C0 D6 00 00 17 " + chvContent("2222", 3, "22222222", 3), verifyChv(2, "2222")});
    CHECK(tx(*card, "F0 22 01 00") == "90 00");
    CHECK_FALSE(card->securityStatus().chv1);
    CHECK(card->securityStatus().chv2);
    CHECK(tx(*card, "F0 22 07 00") == "90 00");
    CHECK_FALSE(card->securityStatus().chv2);
    CHECK(card->securityStatus().keys.empty());
    CHECK(tx(*card, "F0 22 00 00") == "6A 86");
    CHECK(tx(*card, "F0 22 08 00") == "6A 86");
    CHECK(tx(*card, "F0 22 07 01") == "6A 86");
    CHECK(tx(*card, "F0 22 07 00 01 00") == "67 00");
    CHECK(tx(*card, "C0 22 07 00") == "6E 00");
}

TEST_CASE("cryptoflex GET CHALLENGE (C0 84 00 00 08)") {
    auto card = cryptoflexCard();
    const std::string a = tx(*card, "C0 84 00 00 08"), b = tx(*card, "C0 84 00 00 08");
    CHECK(a.size() == std::string("00 00 00 00 00 00 00 00 90 00").size());
    CHECK(a.substr(a.size() - 5) == "90 00");
    CHECK(a != b);
    CHECK(fromHex(tx(*card, "C0 84 00 00 00")).size() == 258);
    CHECK(tx(*card, "C0 84 00 00") == "67 00");
    CHECK(tx(*card, "C0 84 00 00 01 00") == "67 00");
    CHECK(tx(*card, "C0 84 01 00 08") == "6A 86");
    CHECK(tx(*card, "F0 84 00 00 08") == "6E 00");
}

TEST_CASE("cryptoflex access conditions: every nibble") {
    using namespace cryptoflex;
    SecurityStatus none, chv1, chv2, aak, key2, chv1aak, chv2aak;
    chv1.chv1 = true;
    chv2.chv2 = true;
    aak.keys = {1};
    key2.keys = {2};
    chv1aak.chv1 = true;
    chv1aak.keys = {1};
    chv2aak.chv2 = true;
    chv2aak.keys = {1};
    CHECK(satisfied(kAcAlways, 0, none));
    CHECK_FALSE(satisfied(kAcChv1, 0, none));
    CHECK(satisfied(kAcChv1, 0, chv1));
    CHECK_FALSE(satisfied(kAcChv1, 0, chv2));
    CHECK(satisfied(kAcChv2, 0, chv2));
    CHECK_FALSE(satisfied(kAcChv2, 0, chv1));
    CHECK(satisfied(kAcAut, 0, aak));     // key nibble 0: the AAK
    CHECK(satisfied(kAcAut, 1, aak));
    CHECK_FALSE(satisfied(kAcAut, 2, aak));
    CHECK(satisfied(kAcAut, 2, key2));
    CHECK_FALSE(satisfied(kAcAut, 0, key2));
    CHECK_FALSE(satisfied(kAcChv1Aut, 0, chv1));
    CHECK_FALSE(satisfied(kAcChv1Aut, 0, aak));
    CHECK(satisfied(kAcChv1Aut, 0, chv1aak));
    CHECK(satisfied(kAcChv2Aut, 0, chv2aak));
    CHECK_FALSE(satisfied(kAcChv2Aut, 0, chv1aak));
    SecurityStatus all = chv1aak;
    all.chv2 = true;
    all.keys = {1, 2, 3};
    for (std::uint8_t never : {kAcPro, kAcChv1Pro, kAcChv2Pro, std::uint8_t{0x5}, std::uint8_t{0xA}, std::uint8_t{0xE}, kAcNever})
        CHECK_FALSE(satisfied(never, 0, all));

    // Nibble positions (reference notes §1.4).
    fs::File ef(fs::FileStructure::Transparent, 0x1000);
    setAttributes(ef, {{0x12, 0x34, 0x4F}, {0x00, 0x00, 0x20}, 0});
    CHECK(conditionOf(ef, Operation::Read).ac == 1);
    CHECK(conditionOf(ef, Operation::Update).ac == 2);
    CHECK(conditionOf(ef, Operation::Rehabilitate).ac == 4);
    CHECK(conditionOf(ef, Operation::Rehabilitate).key == 2);
    CHECK(conditionOf(ef, Operation::Invalidate).ac == 0xF);
    fs::File df(fs::FileStructure::Df, 0x5015);
    setAttributes(df, {{0x10, 0x24, 0x00}, {0x00, 0x00, 0x00}, 0});
    CHECK(conditionOf(df, Operation::ListFiles).ac == 1);
    CHECK(conditionOf(df, Operation::Delete).ac == 2);
    CHECK(conditionOf(df, Operation::Create).ac == 4);
    std::uint16_t status = 0;
    try {
        checkAccess(df, Operation::Delete, chv1);
    } catch (const SwError& e) {
        status = e.sw;
    }
    CHECK(status == 0x6982);
    CHECK_NOTHROW(checkAccess(df, Operation::Delete, chv2));
}

TEST_CASE("cryptoflex CHV file codec") {
    using namespace cryptoflex;
    const Bytes content = fromHex(chvContent("1234", 3, "123456", 10));
    const auto f = ChvFile::parse(content);
    REQUIRE(f);
    CHECK(toHex(f->pin) == "31 32 33 34 00 00 00 00");
    CHECK(f->triesLeft == 3);
    CHECK(f->maxTries == 3);
    CHECK(toHex(f->puk) == "31 32 33 34 35 36 00 00");
    CHECK(f->pukTriesLeft == 10);
    CHECK(f->pukMaxTries == 10);
    Bytes copy = content;
    f->store(copy);
    CHECK(copy == content);
    CHECK_FALSE(ChvFile::parse(ByteView(content).first(22)));
    Bytes shortFile(22);
    CHECK_THROWS(f->store(shortFile));
}
