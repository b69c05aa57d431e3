// The sim card type, command by command with exact bytes (TS 51.011 §9.2, status words §9.4).
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "vicc/sim/encoding.hpp"
#include "vicc/sim/milenage.hpp"
#include "vicc/sim/sim_card.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;

namespace {
void selectPath(Card& c, std::initializer_list<const char*> fids) {
    for (const char* fid : fids) {
        const std::string r = swOf(c, std::string("A0 A4 00 00 02 ") + fid);
        REQUIRE(r.substr(0, 2) == "9F");
    }
}
}  // namespace

TEST_CASE("sim: CLA 00 is 6E00, SELECT answers 9Fxx and GET RESPONSE the GSM 11.11 layout", "[sim]") {
    auto c = simCard();
    CHECK(tx(*c, "00 A4 00 04 02 3F 00 00") == "6E 00");
    CHECK(tx(*c, "80 F2 00 00 00") == "6E 00");
    CHECK(tx(*c, "A0 A4 00 00 02 3F 00") == "9F 16");
    // MF: free memory FFFF, 3F00, type 01, GSM data length 09, clock stop allowed, 2 DFs, 2 EFs,
    // 4 codes, CHV1 83, UNBLOCK CHV1 8A, CHV2 83, UNBLOCK CHV2 8A
    CHECK(tx(*c, "A0 C0 00 00 16") == "00 00 FF FF 3F 00 01 00 00 00 00 00 09 01 02 02 04 00 83 8A 83 8A 90 00");
    CHECK(tx(*c, "A0 A4 00 00 02 7F 10") == "9F 16");
    CHECK(tx(*c, "A0 A4 00 00 02 6F 3A") == "9F 0F");
    // EF.ADN: 10 x 28 bytes, READ/UPDATE CHV1, INCREASE NEV, REHABILITATE/INVALIDATE CHV2, linear fixed
    CHECK(tx(*c, "A0 C0 00 00 0F") == "00 00 01 18 6F 3A 04 00 11 F0 22 01 02 01 1C 90 00");
    CHECK(tx(*c, "A0 A4 00 00 02 7F 20") == "9F 16");  // sibling DF of the current DF
    CHECK(tx(*c, "A0 A4 00 00 02 6F 07") == "9F 0F");
    CHECK(tx(*c, "A0 C0 00 00 0F") == "00 00 00 09 6F 07 04 00 1A F0 1A 01 02 00 00 90 00");
    CHECK(tx(*c, "A0 A4 00 00 02 6F 3A") == "94 04");  // EF of another DF
    CHECK(tx(*c, "A0 A4 00 00 02 6F 99") == "94 04");
    CHECK(tx(*c, "A0 A4 00 00 01 3F") == "67 00");
    CHECK(tx(*c, "A0 A4 01 00 02 3F 00") == "6B 00");
    CHECK(tx(*c, "A0 C0 00 00 0F") == "6F 00");  // nothing pending
    CHECK(tx(*c, "A0 A4 00 00 02 3F 00") == "9F 16");
    CHECK(tx(*c, "A0 C0 00 00 17") == "67 16");  // more than announced
    CHECK(tx(*c, "A0 A4 00 00 02 3F 00") == "9F 16");
    CHECK(tx(*c, "A0 C0 00 00 04") == "00 00 FF FF 90 00");  // less is fine
    CHECK(tx(*c, "A0 77 00 00 00") == "6D 00");
}

TEST_CASE("sim: READ/UPDATE BINARY, access conditions and CHV1", "[sim]") {
    auto c = simCard();
    selectPath(*c, {"3F00", "2FE2"});
    CHECK(tx(*c, "A0 B0 00 00 0A") == "98 88 12 01 00 00 00 00 10 F1 90 00");  // READ ALW
    CHECK(tx(*c, "A0 B0 00 08 02") == "10 F1 90 00");
    CHECK(tx(*c, "A0 B0 00 08 03") == "94 02");
    CHECK(tx(*c, "A0 D6 00 00 01 00") == "98 04");  // UPDATE ADM
    selectPath(*c, {"7F20"});
    CHECK(tx(*c, "A0 B0 00 00 09") == "94 00");  // no EF selected
    selectPath(*c, {"6F07"});
    CHECK(tx(*c, "A0 B0 00 00 09") == "98 04");  // READ CHV1
    CHECK(tx(*c, kVerifyChv1) == "90 00");
    CHECK(tx(*c, "A0 B0 00 00 09") == "08 09 10 10 10 32 54 76 98 90 00");
    selectPath(*c, {"6F7B"});  // EF.FPLMN: UPDATE CHV1
    CHECK(tx(*c, "A0 D6 00 00 03 00 F1 10") == "90 00");
    CHECK(tx(*c, "A0 B0 00 00 04") == "00 F1 10 FF 90 00");
    CHECK(tx(*c, "A0 D6 00 0B 02 00 00") == "94 02");
    CHECK(c->consumeDirty());
    selectPath(*c, {"7F10", "6F3A"});
    CHECK(tx(*c, "A0 B0 00 00 01") == "94 08");  // a record EF
}

TEST_CASE("sim: READ/UPDATE RECORD modes, SEEK, INCREASE", "[sim]") {
    auto c = simCard();
    REQUIRE(tx(*c, kVerifyChv1) == "90 00");
    selectPath(*c, {"7F10", "6F3A"});
    const std::string alice = toHex(sim::encodeAdnRecord("Alice", "+4930123456", 14));
    const std::string bob = toHex(sim::encodeAdnRecord("Bob", "0301234567", 14));
    CHECK(tx(*c, "A0 B2 01 04 1C") == alice + " 90 00");
    CHECK(tx(*c, "A0 B2 01 04 10") == "67 1C");
    CHECK(tx(*c, "A0 B2 00 04 1C") == "94 02");  // current record undefined after SELECT
    CHECK(tx(*c, "A0 B2 00 02 1C") == alice + " 90 00");  // NEXT: record 1
    CHECK(tx(*c, "A0 B2 00 02 1C") == bob + " 90 00");
    CHECK(tx(*c, "A0 B2 00 04 1C") == bob + " 90 00");   // current
    CHECK(tx(*c, "A0 B2 00 03 1C") == alice + " 90 00");  // PREVIOUS
    CHECK(tx(*c, "A0 B2 00 03 1C") == "94 02");
    CHECK(tx(*c, "A0 B2 0B 04 1C") == "94 02");
    CHECK(tx(*c, "A0 B2 01 05 1C") == "6B 00");
    // SEEK type 2 from the beginning for "Bob" (42 6F 62): record 2
    CHECK(tx(*c, "A0 A2 00 10 03 42 6F 62") == "9F 01");
    CHECK(tx(*c, "A0 C0 00 00 01") == "02 90 00");
    CHECK(tx(*c, "A0 B2 00 04 1C") == bob + " 90 00");
    CHECK(tx(*c, "A0 A2 00 00 03 42 6F 62") == "90 00");  // type 1: pointer only
    CHECK(tx(*c, "A0 A2 00 10 03 5A 5A 5A") == "94 04");
    CHECK(tx(*c, "A0 A2 00 10 03 41 6C 69") == "9F 01");
    const std::string carol = toHex(sim::encodeAdnRecord("Carol", "123", 14));
    CHECK(tx(*c, "A0 DC 0A 04 1C " + carol) == "90 00");
    CHECK(tx(*c, "A0 B2 0A 04 1C") == carol + " 90 00");
    CHECK(tx(*c, "A0 DC 0A 04 03 00 00 00") == "67 1C");
    CHECK(tx(*c, "A0 32 00 00 03 00 00 01") == "94 08");  // INCREASE needs a cyclic EF
    // EF.ACM: cyclic 5 x 3, INCREASE CHV1
    selectPath(*c, {"3F00", "7F20", "6F39"});
    CHECK(tx(*c, "A0 C0 00 00 0F").substr(0, 44) == "00 00 00 0F 6F 39 04 40 11 10 AA 01 02 03 03");
    CHECK(tx(*c, "A0 32 00 00 03 00 00 05") == "9F 06");
    CHECK(tx(*c, "A0 C0 00 00 06") == "00 00 05 00 00 05 90 00");
    CHECK(tx(*c, "A0 32 00 00 03 00 01 00") == "9F 06");
    CHECK(tx(*c, "A0 C0 00 00 06") == "00 01 05 00 01 00 90 00");
    CHECK(tx(*c, "A0 B2 02 04 03") == "00 00 05 90 00");  // record 2 is the previous value
    CHECK(tx(*c, "A0 32 00 00 03 FF FF FF") == "98 50");
    CHECK(tx(*c, "A0 DC 00 03 03 00 00 07") == "90 00");  // cyclic: PREVIOUS writes the oldest
    CHECK(tx(*c, "A0 B2 01 04 03") == "00 00 07 90 00");
    CHECK(tx(*c, "A0 DC 01 04 03 00 00 07") == "6B 00");
}

TEST_CASE("sim: CHV commands and their 98xx status words", "[sim]") {
    auto c = simCard();
    const std::string wrong = "A0 20 00 01 08 39 39 39 39 FF FF FF FF";
    CHECK(tx(*c, wrong) == "98 04");
    CHECK(tx(*c, wrong) == "98 04");
    selectPath(*c, {"3F00"});
    CHECK(tx(*c, "A0 C0 00 00 16").substr(54, 5) == "81 8A");  // CHV1 status: 1 attempt left
    CHECK(tx(*c, wrong) == "98 40");
    CHECK(tx(*c, kVerifyChv1) == "98 40");  // blocked
    CHECK(tx(*c, "A0 2C 00 00 10 30 30 30 30 30 30 30 30 31 32 33 34 FF FF FF FF") == "98 04");
    CHECK(tx(*c, "A0 2C 00 00 10 31 32 33 34 35 36 37 38 34 33 32 31 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 20 00 01 08 34 33 32 31 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 24 00 01 10 34 33 32 31 FF FF FF FF 31 32 33 34 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 24 00 01 10 34 33 32 31 FF FF FF FF 31 32 33 34 FF FF FF FF") == "98 04");
    CHECK(tx(*c, kVerifyChv1) == "90 00");
    CHECK(tx(*c, "A0 20 00 03 08 31 32 33 34 FF FF FF FF") == "6B 00");
    CHECK(tx(*c, "A0 20 00 01 04 31 32 33 34") == "67 00");
    // DISABLE / ENABLE CHV1: 9808 on contradiction, file characteristics b8
    CHECK(tx(*c, "A0 28 00 01 08 31 32 33 34 FF FF FF FF") == "98 08");
    CHECK(tx(*c, "A0 26 00 01 08 31 32 33 34 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 26 00 01 08 31 32 33 34 FF FF FF FF") == "98 08");
    CHECK(tx(*c, kVerifyChv1) == "98 08");
    selectPath(*c, {"3F00"});
    CHECK(tx(*c, "A0 C0 00 00 16").substr(39, 2) == "81");
    c->powerOff();
    c->powerOn();
    selectPath(*c, {"7F20", "6F07"});
    CHECK(tx(*c, "A0 B0 00 00 09") == "08 09 10 10 10 32 54 76 98 90 00");  // CHV1 disabled: no VERIFY
    CHECK(tx(*c, "A0 28 00 01 08 31 32 33 34 FF FF FF FF") == "90 00");
    c->reset();
    selectPath(*c, {"7F20", "6F07"});
    CHECK(tx(*c, "A0 B0 00 00 09") == "98 04");
    // CHV2 and its UNBLOCK (P2 02)
    CHECK(tx(*c, "A0 20 00 02 08 35 36 37 38 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 2C 00 02 10 38 37 36 35 34 33 32 31 35 36 37 38 FF FF FF FF") == "90 00");
}

TEST_CASE("sim: INVALIDATE and REHABILITATE", "[sim]") {
    auto c = simCard();
    REQUIRE(tx(*c, kVerifyChv1) == "90 00");
    selectPath(*c, {"7F10", "6F3A"});
    CHECK(tx(*c, "A0 04 00 00 00") == "98 04");  // CHV2
    CHECK(tx(*c, "A0 20 00 02 08 35 36 37 38 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 04 00 00 00") == "90 00");
    CHECK(tx(*c, "A0 B2 01 04 1C") == "98 10");
    CHECK(tx(*c, "A0 A4 00 00 02 6F 3A") == "9F 0F");
    CHECK(tx(*c, "A0 C0 00 00 0F").substr(33, 2) == "00");  // file status: invalidated
    CHECK(tx(*c, "A0 44 00 00 00") == "90 00");
    CHECK(tx(*c, "A0 B2 01 04 1C").substr(0, 2) == "41");
    selectPath(*c, {"3F00"});
    CHECK(tx(*c, "A0 04 00 00 00") == "94 00");
}

TEST_CASE("sim: RUN GSM ALGORITHM (GSM-MILENAGE and COMP128-1), STATUS, SLEEP, toolkit", "[sim]") {
    auto c = simCard();
    const std::string run = "A0 88 00 00 10 23 55 3C BE 96 37 A8 9D 21 8A E6 4D AE 47 BF 35";
    selectPath(*c, {"7F20"});
    CHECK(tx(*c, run) == "98 04");
    REQUIRE(tx(*c, kVerifyChv1) == "90 00");
    CHECK(tx(*c, run) == "9F 0C");
    // TS 55.205 test set 1 (the card's default keys)
    CHECK(tx(*c, "A0 C0 00 00 0C") == "46 F8 41 6A EA E4 BE 82 3A F9 A0 8B 90 00");
    selectPath(*c, {"3F00", "7F10"});
    CHECK(tx(*c, run) == "94 08");  // only under DF.GSM
    CHECK(tx(*c, "A0 88 00 00 08 00 00 00 00 00 00 00 00") == "67 00");
    auto& card = dynamic_cast<sim::SimCard&>(*c);
    card.authentication().algorithm = sim::AuthAlgorithm::Comp128v1;
    card.authentication().ki = fromHex("112233445566778899AABBCCDDEEFF00");
    selectPath(*c, {"7F20"});
    CHECK(tx(*c, "A0 88 00 00 10 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00 11") == "9F 0C");
    CHECK(tx(*c, "A0 C0 00 00 0C") == "3C 0D CF BD F8 4A 72 DC 31 2F 60 00 90 00");
    // STATUS: the current DF (7F20)
    CHECK(tx(*c, "A0 F2 00 00 16").substr(12, 5) == "7F 20");
    CHECK(tx(*c, "A0 FA 00 00 00") == "90 00");
    CHECK(tx(*c, "A0 10 00 00 04 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "A0 12 00 00 10") == "6F 00");
    CHECK(tx(*c, "A0 14 00 00 03 81 03 01") == "6F 00");
    CHECK(tx(*c, "A0 C2 00 00 05 D1 03 82 02 83") == "90 00");
    CHECK(tx(*c, "A0 C2 00 00 05 D1 07 82 02 83") == "6F 00");
    CHECK(tx(*c, "A0 C2 00 00 02 41 00") == "6F 00");
}

TEST_CASE("sim: the card image round-trips with keys, unblock codes and CHV status", "[sim]") {
    auto c = simCard();
    REQUIRE(tx(*c, "A0 26 00 01 08 31 32 33 34 FF FF FF FF") == "90 00");
    const auto image = c->saveState();
    CHECK(image["sim"]["disabledPins"] == nlohmann::json::array({"01"}));
    CHECK(image["sim"]["authentication"]["algorithm"] == "milenage");
    auto other = simCard();
    other->loadState(image);
    CHECK(other->saveState() == image);
    auto bad = image;
    bad["sim"]["authentication"]["ki"] = "0011";
    CHECK_THROWS_AS(other->loadState(bad), ParseError);
    CHECK(other->saveState() == image);  // unchanged
    bad = image;
    bad["type"] = "usim";
    CHECK_THROWS(other->loadState(bad));
}

TEST_CASE("sim: personalisation options are encoded, or the card is refused", "[sim]") {
    CardOptions o;
    o.imsi = "262011234567890";
    o.iccid = "89490200001234567892";
    o.msisdn = "+491761234567";
    o.ki = "000102030405060708090A0B0C0D0E0F";
    o.op = "CDC202D5123E20F62B6D676AC72CB318";
    auto c = simCard(o);
    REQUIRE(tx(*c, kVerifyChv1) == "90 00");
    selectPath(*c, {"7F20", "6F07"});
    CHECK(tx(*c, "A0 B0 00 00 09") == "08 29 26 10 21 43 65 87 09 90 00");
    selectPath(*c, {"6F78"});
    CHECK(tx(*c, "A0 B0 00 00 02") == "00 01 90 00");  // access class 0
    selectPath(*c, {"3F00", "2FE2"});
    CHECK(tx(*c, "A0 B0 00 00 0A") == "98 94 20 00 00 21 43 65 87 29 90 00");
    selectPath(*c, {"7F10", "6F40"});
    CHECK(sim::decodeAdnRecord(fromHex(tx(*c, "A0 B2 01 04 1C").substr(0, 83))).number == "+491761234567");
    auto& card = dynamic_cast<sim::SimCard&>(*c);
    CHECK(card.authentication().opc == sim::milenageOpc(fromHex(o.ki), fromHex(o.op)));

    CardOptions badIccid;
    badIccid.iccid = "89490200001234567891";
    CHECK_THROWS_WITH(simCard(badIccid), Catch::Contains("--iccid") && Catch::Contains("should be 2"));
    CardOptions badImsi;
    badImsi.imsi = "26201";
    CHECK_THROWS_WITH(simCard(badImsi), Catch::Contains("--imsi"));
    CardOptions badKi;
    badKi.ki = "0011";
    CHECK_THROWS_WITH(simCard(badKi), Catch::Contains("--ki"));
    CardOptions both;
    both.opc = o.op;
    both.op = o.op;
    CHECK_THROWS_WITH(simCard(both), Catch::Contains("exclude"));
    CardOptions badMsisdn;
    badMsisdn.msisdn = "+49-176";
    CHECK_THROWS_WITH(simCard(badMsisdn), Catch::Contains("--msisdn"));
    // options win over a loaded image
    auto plain = simCard();
    auto image = plain->saveState();
    auto personalised = simCard(o);
    personalised->loadState(image);
    REQUIRE(tx(*personalised, kVerifyChv1) == "90 00");
    selectPath(*personalised, {"7F20", "6F07"});
    CHECK(tx(*personalised, "A0 B0 00 00 09") == "08 29 26 10 21 43 65 87 09 90 00");
}
