// The usim card type: UICC SELECT with FCP templates, EF.DIR and ADF.USIM by (partial) AID,
// SFI access, PINs with UICC references, AUTHENTICATE (3G with SQN checks and AUTS, GSM), and
// the SIM view under CLA A0 (TS 102 221 §11, TS 31.102 §7).
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "vicc/sim/milenage.hpp"
#include "vicc/sim/usim_card.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;

namespace {
const char* const kAid = "A0 00 00 00 87 10 02 FF 49 FF 05 89";
const Bytes kK = fromHex("465b5ce8b199b49faa5f0a2ee238a6bc");
const Bytes kOpc = fromHex("cd63cb71954a9f4e48a5994e37a02baf");
const Bytes kRand = fromHex("23553cbe9637a89d218ae64dae47bf35");

Bytes sqnBytes(std::uint64_t v) {
    Bytes b(6);
    for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * (5 - i)));
    return b;
}

// The network side (TS 33.102 §6.3.2): AUTN = SQN xor AK || AMF || MAC-A.
Bytes autn(std::uint64_t sqn, const Bytes& rand = kRand, const Bytes& amf = {0x80, 0x00}) {
    const sim::Milenage m(kK, kOpc);
    Bytes s = sqnBytes(sqn);
    const Bytes mac = m.f1(rand, s, amf);
    const Bytes ak = m.f2345(rand).ak;
    for (std::size_t i = 0; i < 6; ++i) s[i] ^= ak[i];
    append(s, amf);
    append(s, mac);
    return s;
}

std::string authenticate3g(Card& c, const Bytes& a, const Bytes& rand = kRand) {
    return tx(c, "00 88 00 81 22 10 " + toHex(rand) + " 10 " + toHex(a) + " 00");
}

void openUsim(Card& c) {
    REQUIRE(tx(c, std::string("00 A4 04 0C 0C ") + kAid) == "90 00");
    REQUIRE(tx(c, kVerifyPin1) == "90 00");
}
}  // namespace

TEST_CASE("usim: SELECT with FCP templates, EF.DIR, ADF.USIM by AID", "[usim]") {
    auto c = usimCard();
    const std::string mf = tx(*c, "00 A4 00 04 02 3F 00");
    REQUIRE(mf.substr(0, 2) == "61");
    const std::string fcp = tx(*c, "00 C0 00 00 " + mf.substr(3, 2));
    CHECK(fcp.rfind("62 ", 0) == 0);
    CHECK(fcp.find("82 02 78 21 83 02 3F 00 A5 03 80 01 71 8A 01 05 8C") != std::string::npos);
    CHECK(fcp.find("C6 0C 90 01 C0 95 01 08 83 01 01 83 01 0A") != std::string::npos);
    CHECK(tx(*c, "00 A4 00 04 02 2F 00 00").find("82 05 42 21 00 20 02 83 02 2F 00") != std::string::npos);
    const std::string dir = tx(*c, "00 B2 01 04 20");
    CHECK(dir.rfind(std::string("61 14 4F 0C ") + kAid + " 50 04 55 53 49 4D", 0) == 0);
    CHECK(tx(*c, "00 B2 01 04 10") == "6C 20");
    // full and partial AID (TS 102 221 §8.5.2)
    const std::string adf = tx(*c, std::string("00 A4 04 04 0C ") + kAid + " 00");
    CHECK(adf.find(std::string("84 0C ") + kAid) != std::string::npos);
    CHECK(adf.find("C6 0F 90 01 E0 95 01 08 83 01 01 83 01 81 83 01 0A") != std::string::npos);
    CHECK(tx(*c, "00 A4 04 0C 07 A0 00 00 00 87 10 02") == "90 00");
    CHECK(tx(*c, "00 A4 04 0C 07 A0 00 00 00 87 10 04") == "6A 82");  // ISIM: not on this card
    CHECK(tx(*c, "00 A4 00 0C 02 7F FF") == "90 00");
    const std::string imsi = tx(*c, "00 A4 00 04 02 6F 07 00");
    CHECK(imsi.find("82 02 41 21 83 02 6F 07") != std::string::npos);
    CHECK(imsi.find("80 02 00 09") != std::string::npos);
    CHECK(imsi.find("88 01 38") != std::string::npos);
    CHECK(tx(*c, "00 A4 08 04 06 3F 00 7F FF 6F 07 00") == imsi);  // path from the MF
    CHECK(tx(*c, "00 A4 00 04 02 6F 99 00") == "6A 82");
    // STATUS: FCP of the ADF, its AID, nothing
    CHECK(tx(*c, "80 F2 00 01 00") == std::string("84 0C ") + kAid + " 90 00");
    CHECK(tx(*c, "80 F2 00 00 00").find(std::string("84 0C ") + kAid) != std::string::npos);
    CHECK(tx(*c, "80 F2 00 0C 00") == "90 00");
    // termination of the application
    CHECK(tx(*c, std::string("00 A4 04 4C 0C ") + kAid) == "90 00");
    CHECK(tx(*c, "80 F2 00 01 00") == "90 00");
}

TEST_CASE("usim: SFI access and PIN1/PIN2/ADM1", "[usim]") {
    auto c = usimCard();
    REQUIRE(tx(*c, std::string("00 A4 04 0C 0C ") + kAid) == "90 00");
    CHECK(tx(*c, "00 B0 87 00 09") == "69 82");  // EF.IMSI by SFI 07, PIN1 needed
    CHECK(tx(*c, "00 20 00 01") == "63 C3");
    CHECK(tx(*c, "00 20 00 01 08 39 39 39 39 FF FF FF FF") == "63 C2");
    CHECK(tx(*c, "00 20 00 01") == "63 C2");
    CHECK(tx(*c, kVerifyPin1) == "90 00");
    CHECK(tx(*c, "00 20 00 01") == "90 00");
    CHECK(tx(*c, "00 B0 87 00 09") == "08 09 10 10 10 32 54 76 98 90 00");
    CHECK(tx(*c, "00 B2 01 0C 04") == "11 F2 FF 00 90 00");  // EF.ECC by SFI 01, record 1
    CHECK(tx(*c, "00 DC 01 04 04 11 F2 FF 00") == "69 82");  // EF.ECC is current: UPDATE needs ADM1
    CHECK(tx(*c, "00 20 00 0A 08 38 38 38 38 38 38 38 38") == "90 00");
    CHECK(tx(*c, "00 DC 01 04 04 11 F2 FF 00") == "90 00");
    CHECK(tx(*c, "00 20 00 05 08 38 38 38 38 38 38 38 38") == "6A 88");
    CHECK(tx(*c, "00 20 00 81 08 35 36 37 38 FF FF FF FF") == "90 00");
    // DISABLE / ENABLE PIN1, UNBLOCK PIN
    CHECK(tx(*c, "00 26 00 81 08 35 36 37 38 FF FF FF FF") == "69 85");
    CHECK(tx(*c, "00 26 00 01 08 31 32 33 34 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "00 24 00 01 10 31 32 33 34 FF FF FF FF 31 32 33 34 FF FF FF FF") == "69 85");
    CHECK(tx(*c, "00 28 00 01 08 31 32 33 34 FF FF FF FF") == "90 00");
    CHECK(tx(*c, "00 2C 00 01") == "63 CA");
    for (int i = 0; i < 3; ++i) tx(*c, "00 20 00 01 08 39 39 39 39 FF FF FF FF");
    CHECK(tx(*c, kVerifyPin1) == "69 83");
    CHECK(tx(*c, "00 2C 00 01 10 31 32 33 34 35 36 37 39 31 32 33 34 FF FF FF FF") == "63 C9");
    CHECK(tx(*c, "00 2C 00 01 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF") == "90 00");
    CHECK(tx(*c, kVerifyPin1) == "90 00");
}

TEST_CASE("usim: AUTHENTICATE 3G context with SQN freshness and AUTS, GSM context", "[usim]") {
    auto c = usimCard();
    CHECK(authenticate3g(*c, autn(0x20)) == "69 85");  // outside ADF.USIM
    REQUIRE(tx(*c, std::string("00 A4 04 0C 0C ") + kAid) == "90 00");
    CHECK(authenticate3g(*c, autn(0x20)) == "69 82");  // PIN1
    REQUIRE(tx(*c, kVerifyPin1) == "90 00");
    const sim::Milenage m(kK, kOpc);
    const auto o = m.f2345(kRand);
    const std::string ok = authenticate3g(*c, autn(0x20));
    CHECK(ok == "DB 08 " + toHex(o.res) + " 10 " + toHex(o.ck) + " 10 " + toHex(o.ik) + " 08 " +
                    toHex(sim::gsmKcFromCkIk(o.ck, o.ik)) + " 90 00");
    // T=0 style, without Le: 61xx and GET RESPONSE
    CHECK(tx(*c, "00 88 00 81 22 10 " + toHex(kRand) + " 10 " + toHex(autn(0x40))) == "61 35");
    CHECK(tx(*c, "00 C0 00 00 35").substr(0, 5) == "DB 08");
    // a replayed SQN: synchronisation failure, AUTS carries SQN_MS = 0x40 (SEQ 2, IND 0)
    const std::string sync = authenticate3g(*c, autn(0x20));
    REQUIRE(sync.substr(0, 5) == "DC 0E");
    const Bytes auts = fromHex(sync.substr(6, 14 * 3 - 1));
    Bytes sqnMs(auts.begin(), auts.begin() + 6);
    const Bytes akStar = m.f5star(kRand);
    for (std::size_t i = 0; i < 6; ++i) sqnMs[i] ^= akStar[i];
    CHECK(toHex(sqnMs) == "00 00 00 00 00 40");
    CHECK(Bytes(auts.begin() + 6, auts.end()) == m.f1star(kRand, sqnMs, Bytes{0, 0}));
    // another IND slot with a lower SEQ is fresh (TS 33.102 Annex C.3.2)
    CHECK(authenticate3g(*c, autn(0x21)).substr(0, 5) == "DB 08");
    CHECK(authenticate3g(*c, autn(0x21)).substr(0, 5) == "DC 0E");
    // too far ahead: more than delta = 2^28 SEQ values
    CHECK(authenticate3g(*c, autn((0x3ull + (1ull << 28)) << 5)).substr(0, 5) == "DC 0E");
    // a wrong MAC
    Bytes bad = autn(0x60);
    bad[15] ^= 0x01;
    CHECK(authenticate3g(*c, bad) == "98 62");
    CHECK(tx(*c, "00 88 00 81 11 10 " + toHex(kRand) + " 00") == "67 00");
    CHECK(tx(*c, "00 88 00 82 11 10 " + toHex(kRand) + " 00") == "6A 86");
    // GSM context: TS 55.205 test set 1
    CHECK(tx(*c, "00 88 00 80 11 10 " + toHex(kRand) + " 00") == "04 46 F8 41 6A 08 EA E4 BE 82 3A F9 A0 8B 90 00");
    // the SQN state is in the image
    const auto image = c->saveState();
    CHECK(image["sim"]["authentication"]["seq"][0] == 2);
    CHECK(image["sim"]["authentication"]["seq"][1] == 1);
    auto other = usimCard();
    other->loadState(image);
    openUsim(*other);
    CHECK(authenticate3g(*other, autn(0x40)).substr(0, 5) == "DC 0E");
}

TEST_CASE("usim: the SIM view under CLA A0, channels, toolkit", "[usim]") {
    auto c = usimCard();
    CHECK(tx(*c, "A0 A4 00 00 02 3F 00") == "9F 16");
    CHECK(tx(*c, "A0 C0 00 00 16").substr(0, 20) == "00 00 FF FF 3F 00 01");
    CHECK(tx(*c, "A0 A4 00 00 02 7F 20") == "9F 16");
    CHECK(tx(*c, "00 70 00 00 01") == "01 90 00");
    CHECK(tx(*c, std::string("01 A4 04 0C 0C ") + kAid) == "90 00");
    CHECK(tx(*c, "81 F2 00 01 00") == std::string("84 0C ") + kAid + " 90 00");
    CHECK(tx(*c, "80 F2 00 01 00") == "90 00");  // channel 0 is still in DF.GSM
    CHECK(tx(*c, "00 70 80 01") == "90 00");
    CHECK(tx(*c, "80 10 00 00 02 FF FF") == "90 00");
    CHECK(tx(*c, "80 AA 00 00 03 A9 01 00") == "90 00");
    CHECK(tx(*c, "80 12 00 00 10") == "6F 00");
    CHECK(tx(*c, "80 C2 00 00 02 D6 00") == "90 00");
    CHECK(tx(*c, "80 C2 00 00 02 41 00") == "6A 80");
    CHECK(tx(*c, "00 84 00 00 08").size() == 8 * 3 + 5);
    CHECK(tx(*c, "A1 A4 00 00 02 3F 00") == "6E 00");
}
