// install() over every TS.48 profile, checked through the installed card's APDUs against values
// read independently from the files (openssl asn1parse): ICCID, EF.DIR's USIM AID, EF.IMSI, PIN1,
// AUTHENTICATE with the profile's key and algorithm; restore() round trip; malformed packages.
#include <catch2/catch.hpp>

#include "tests/lib/tap_skip.hpp"
#include "tests/saip/ts48.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/sim/milenage.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::saip;
using vpcsc::saip::test::ts48;

namespace {

Bytes h(const std::string& s) { return fromHex(s); }
std::string hx(ByteView b) { return toHex(b, 0); }

// One APDU through the card; returns the whole response (data + SW), with 61xx followed up.
Bytes send(vicc::Card& card, const std::string& apdu) {
    Bytes r = card.process(h(apdu));
    if (r.size() == 2 && r[0] == 0x61) {
        Bytes get = {0x00, 0xC0, 0x00, 0x00, r[1]};
        r = card.process(get);
    }
    return r;
}
std::string sw(const Bytes& r) { return r.size() >= 2 ? hx(ByteView(r).last(2)) : "??"; }
Bytes body(const Bytes& r) { return r.size() >= 2 ? Bytes(r.begin(), r.end() - 2) : Bytes{}; }

// TS 34.108 §8.1.2.1, computed here on its own: XDOUT = K xor RAND, MAC-A = XDOUT[0..7] xor
// (SQN || AMF), AK = XDOUT[3..8], CK/IK = XDOUT rotated by 1/2 bytes, RES = XDOUT.
struct XorVector {
    Bytes autn, res, ck, ik;
};
XorVector xorVector(const Bytes& k, const Bytes& rand, const Bytes& sqn, const Bytes& amf) {
    Bytes x(16);
    for (int i = 0; i < 16; ++i) x[i] = k[i] ^ rand[i];
    XorVector v;
    for (int i = 0; i < 6; ++i) v.autn.push_back(sqn[i] ^ x[3 + i]);
    append(v.autn, amf);
    for (int i = 0; i < 8; ++i) v.autn.push_back(x[i] ^ (i < 6 ? sqn[i] : amf[i - 6]));
    v.res = x;
    for (int i = 0; i < 16; ++i) v.ck.push_back(x[(i + 1) % 16]);
    for (int i = 0; i < 16; ++i) v.ik.push_back(x[(i + 2) % 16]);
    return v;
}

const char* const kTs48Files[] = {
    "TS48V1-A-UNIQUE.der",
    "TS48V1-B-UNIQUE.der",
    "TS48V2-SAIP2-1-BERTLV-UNIQUE.der",
    "TS48V3-SAIP2-3-NOBERTLV-UNIQUE.der",
    "TS48V4-SAIP2-1A-NOBERTLV-UNIQUE.der",
    "TS48V4-SAIP2-3-BERTLV-UNIQUE.der",
    "TS48V5-SAIP2-1A-NOBERTLV-UNIQUE.der",
    "TS48V5-SAIP2-3-BERTLV-SUCI-UNIQUE.der",
};

// From the files (asn1parse): EF.DIR record 1 = 61 14 4F 0C <USIM AID> 50 04 "USIM"; the usim PE's
// ef-imsi fillFileContent; pinCodes PIN1 (ref 01) 30303030FFFFFFFF; akaParameter algorithmID 3
// (usim-test-algorithm) with key 000102..0F.
const char* const kUsimAid = "A0000000871002FF49FF0589";
const char* const kImsi = "080910101032540636";  // 001010123456063
const char* const kTs48K = "000102030405060708090A0B0C0D0E0F";

}  // namespace

TEST_CASE("install: every TS.48 profile presents its USIM through APDUs", "[saip][ts48]") {
    if (!vpcsc::saip::test::haveTs48()) {
        VPCSC_SKIP("TS.48 data directory absent (" << vpcsc::saip::test::ts48Dir() << "): skipped");
        return;
    }
    for (const char* file : kTs48Files) {
        INFO(file);
        const Bytes upp = ts48(file);
        REQUIRE(!upp.empty());
        InstalledProfile p = install(upp);
        CHECK(p.iccid == iccidOf(upp));
        CHECK(p.profileType.rfind("GSMA", 0) == 0);
        vicc::Card& card = *p.usim;
        card.powerOn();

        // EF.ICCID under the MF, readable always.
        CHECK(sw(send(card, "00A4000C022FE2")) == "9000");
        Bytes r = send(card, "00B000000A");
        CHECK(sw(r) == "9000");
        CHECK(body(r) == p.iccid);

        // EF.DIR record 1 names the USIM.
        CHECK(sw(send(card, "00A4000C022F00")) == "9000");
        r = send(card, "00B2010400");
        REQUIRE(sw(r) == "9000");
        REQUIRE(body(r).size() > 20);
        CHECK(hx(ByteView(body(r)).subspan(4, 12)) == kUsimAid);

        // SELECT ADF.USIM by that AID; EF.IMSI needs PIN1, which the packages give disabled
        // (pinAttributes '06': b1 = 0), so it reads at once and the PIN status is 9000.
        CHECK(sw(send(card, std::string("00A4040C0C") + kUsimAid)) == "9000");
        CHECK(sw(send(card, "00A4000C026F07")) == "9000");
        CHECK(hx(send(card, "00B0000009")) == std::string(kImsi) + "9000");
        CHECK(sw(send(card, "00200001")) == "9000");
        // ENABLE PIN (TS 102 221 §11.1.12): from then on EF.IMSI needs VERIFY.
        CHECK(sw(send(card, "0028000108 30303030FFFFFFFF")) == "9000");
        card.powerOn();
        CHECK(sw(send(card, std::string("00A4040C0C") + kUsimAid)) == "9000");
        CHECK(sw(send(card, "00A4000C026F07")) == "9000");
        CHECK(sw(send(card, "00200001")) == "63C3");
        CHECK(sw(send(card, "00B0000009")) == "6982");
        CHECK(sw(send(card, "0020000108 3131313131313131")) == "63C2");  // wrong PIN: 2 tries left
        CHECK(sw(send(card, "0020000108 30303030FFFFFFFF")) == "9000");
        r = send(card, "00B0000009");
        CHECK(sw(r) == "9000");
        CHECK(hx(body(r)) == kImsi);

        // AUTHENTICATE, 3G context (TS 31.102 §7.1.2.1).
        const Bytes rand = h("23553CBE9637A89D218AE64DAE47BF35");
        const XorVector v = xorVector(h(kTs48K), rand, h("000000000021"), h("8000"));
        r = send(card, "00880081 22 10" + hx(rand) + "10" + hx(v.autn));
        REQUIRE(sw(r) == "9000");
        Bytes expect = {0xDB, 0x10};
        append(expect, v.res);
        expect.push_back(0x10);
        append(expect, v.ck);
        expect.push_back(0x10);
        append(expect, v.ik);
        CHECK(hx(body(r)) == hx(expect) + "08" + hx(ByteView(body(r)).last(8)));  // DB RES CK IK, then Kc
        // The same SQN again is a replay: synchronisation failure (DC AUTS).
        r = send(card, "00880081 22 10" + hx(rand) + "10" + hx(v.autn));
        CHECK(sw(r) == "9000");
        CHECK((body(r).size() == 16 && body(r)[0] == 0xDC));
        // ADM1 from pinCodes (ref 0A): 3535353535353535.
        CHECK(sw(send(card, "002000 0A 08 3535353535353535")) == "9000");
        // READ BINARY by the template's SFI of EF.IMSI (07) with ADF.USIM current.
        CHECK(hx(send(card, "00B0870009")) == std::string(kImsi) + "9000");
        // genericFileManagement's DF.TELECOM/DF.PHONEBOOK/EF.ADN (4F3A, 28-byte records), record 1:
        // alpha "Testnr.1" (FF padded to the file's alpha length), then 06 91 94982143F1 (+49 8912 341).
        CHECK(sw(send(card, "00A40004023F00")) == "9000");
        CHECK(sw(send(card, "00A4000C027F10")) == "9000");
        CHECK(sw(send(card, "00A4000C025F3A")) == "9000");
        CHECK(sw(send(card, "00A4000C024F3A")) == "9000");
        r = send(card, "00B201041C");
        CHECK(r.size() == 30);
        CHECK(hx(r).rfind("546573746E722E31FF", 0) == 0);
        CHECK(hx(r).find("069194982143F1") != std::string::npos);
        CHECK(sw(r) == "9000");
        // ADF.ISIM by its AID from EF.DIR record 2; EF.AD there.
        CHECK(sw(send(card, "00A4040C0CA0000000871004FF49FF0589")) == "9000");
        CHECK(sw(send(card, "00A4000C026FAD")) == "9000");
    }
}

TEST_CASE("install: the known answer of the TS 34.108 test algorithm", "[saip]") {
    // K = 000102..0F, RAND = 34 x 16, SQN = 000000000001, AMF = 8000: XDOUT = 34353637 30313233
    // 3C3D3E3F 38393A3B, so MAC-A = 34353637 3030B233 and AK = 373031323 33C.
    const XorVector v = xorVector(h(kTs48K), Bytes(16, 0x34), h("000000000001"), h("8000"));
    CHECK(hx(v.autn) == "3730313233" "3D" "8000" "343536373030B233");
    CHECK(hx(v.ck) == "35363730313233" "3C3D3E3F38393A3B34");
}

TEST_CASE("restore: the saved image gives the same answers and keeps the keys", "[saip][ts48]") {
    const Bytes upp = ts48("TS48V2-SAIP2-1-BERTLV-UNIQUE.der");
    if (upp.empty()) {
        VPCSC_SKIP("TS.48 data absent: skipped");
        return;
    }
    InstalledProfile p = install(upp);
    vicc::Card& card = *p.usim;
    card.powerOn();
    CHECK(sw(send(card, std::string("00A4040C0C") + kUsimAid)) == "9000");
    CHECK(sw(send(card, "0020000108 30303030FFFFFFFF")) == "9000");
    CHECK(sw(send(card, "0028000108 30303030FFFFFFFF")) == "9000");  // ENABLE PIN1 (installed disabled)
    CHECK(sw(send(card, "00A4000C026F7B")) == "9000");  // EF.FPLMN, update with PIN1
    CHECK(sw(send(card, "00D600000C 00F110FFFFFFFFFFFFFFFFFF")) == "9000");
    const auto image = card.saveState();
    auto back = restore(image);
    back->powerOn();
    CHECK(sw(send(*back, std::string("00A4040C0C") + kUsimAid)) == "9000");
    CHECK(sw(send(*back, "00A4000C026F7B")) == "9000");
    CHECK(sw(send(*back, "00B000000C")) == "6982");  // enabled is kept, verified is volatile
    CHECK(sw(send(*back, "0020000108 30303030FFFFFFFF")) == "9000");
    Bytes r = send(*back, "00B000000C");
    CHECK(hx(r) == "00F110FFFFFFFFFFFFFFFFFF9000");
    const Bytes rand = h("00112233445566778899AABBCCDDEEFF");
    const XorVector v = xorVector(h(kTs48K), rand, h("000000000041"), h("8000"));
    r = send(*back, "00880081 22 10" + hx(rand) + "10" + hx(v.autn));
    REQUIRE(sw(r) == "9000");
    CHECK(hx(ByteView(body(r)).subspan(2, 16)) == hx(v.res));
    CHECK_THROWS_AS(restore(nlohmann::json::array()), SaipError);
    CHECK_THROWS_AS(restore(nlohmann::json{{"fileSystem", 1}}), SaipError);
}

TEST_CASE("install: malformed packages are SaipError, never a crash", "[saip]") {
    auto rejects = [](const Bytes& b, int reason) {
        try {
            install(b);
            FAIL("accepted " << toHex(b));
        } catch (const SaipError& e) {
            CHECK(e.reason == reason);
        }
    };
    rejects({}, 1);
    rejects(h("A003800102"), 12);                       // header without iccid
    rejects(h("A0148001028101018310981032547698103254F6A500A600"), 1);  // iccid length 16: the A0 length is wrong
    rejects(h("A00E8001028101018302 9810 A500A600"), 12);  // iccid not 10 bytes
    rejects(h("A01680010281010183 0A 981032547698103254F6A500A600"), 12);  // header only: no mf
    const Bytes upp = ts48("TS48V2-SAIP2-1-BERTLV-UNIQUE.der");
    if (upp.empty()) return;
    // Truncated at every PE boundary region and inside PEs: always a SaipError.
    for (std::size_t n : {1u, 100u, 139u, 140u, 500u, 902u, 904u, 2000u, 6000u, 12000u}) {
        if (n >= upp.size()) continue;
        INFO("truncated to " << n);
        CHECK_THROWS_AS(install(ByteView(upp).first(n)), SaipError);
    }
    // The mf PE's tag changed to a universal SEQUENCE.
    Bytes bad = upp;
    bad[140] = 0x30;
    CHECK_THROWS_AS(install(bad), SaipError);
    // An absurd efFileSize: EF.PL's 80 01 06 becomes 80 01 FF is fine, but EF.ICCID content of
    // the mf PE changed: data mismatch with the header (reason 13).
    bad = upp;
    const Bytes iccid = iccidOf(upp);
    for (std::size_t i = 200; i + 10 < 1000; ++i)
        if (std::equal(iccid.begin(), iccid.end(), bad.begin() + static_cast<std::ptrdiff_t>(i))) {
            bad[i + 9] ^= 0x10;
            break;
        }
    rejects(bad, 13);
}

TEST_CASE("demoProfile: our own UPP installs and answers with its test values", "[saip]") {
    const Bytes upp = demoProfile();
    CHECK(hx(iccidOf(upp)) == "980001214365870921F0");  // 8900101234567890120 as EF.ICCID codes it
    InstalledProfile p = install(upp);
    CHECK(p.profileType == "vpcsc demo profile");
    vicc::Card& card = *p.usim;
    card.powerOn();
    CHECK(sw(send(card, "00A4000C022FE2")) == "9000");
    CHECK(hx(send(card, "00B000000A")) == "980001214365870921F09000");
    CHECK(sw(send(card, "00A4000C022F00")) == "9000");
    CHECK(hx(send(card, "00B2010420")) == "61144F0CA0000000871002FF49FF058950045553494D" + std::string(20, 'F') + "9000");
    CHECK(sw(send(card, std::string("00A4040C0C") + kUsimAid)) == "9000");
    CHECK(sw(send(card, "00A4000C026F07")) == "9000");
    CHECK(sw(send(card, "00B0000009")) == "6982");
    CHECK(sw(send(card, "00200001")) == "63C3");  // PIN1 enabled: pinAttributes absent = 7 (b1 set)
    CHECK(sw(send(card, "0020000108 31323334FFFFFFFF")) == "9000");
    CHECK(hx(send(card, "00B0000009")) == "0809101010325476989000");  // 001010123456789
    CHECK(sw(send(card, "00D6000009 080910101032547698")) == "6982");   // update needs ADM
    CHECK(sw(send(card, "0020008108 35363738FFFFFFFF")) == "9000");     // PIN2
    CHECK(sw(send(card, "0020000A08 3838383838383838")) == "9000");     // ADM1
    CHECK(sw(send(card, "00D6000009 080910101032547698")) == "9000");

    // AUTHENTICATE against Milenage computed on its own (TS 35.208 test set 1 K/OPc).
    const Bytes k = h("465B5CE8B199B49FAA5F0A2EE238A6BC"), opc = h("CD63CB71954A9F4E48A5994E37A02BAF");
    const Bytes rand = h("23553CBE9637A89D218AE64DAE47BF35"), sqn = h("000000000021"), amf = h("B9B9");
    const vicc::sim::Milenage m(k, opc);
    const auto o = m.f2345(rand);
    Bytes autn;
    for (int i = 0; i < 6; ++i) autn.push_back(sqn[i] ^ o.ak[i]);
    append(autn, amf);
    append(autn, m.f1(rand, sqn, amf));
    const Bytes r = send(card, "00880081 22 10" + hx(rand) + "10" + hx(autn));
    REQUIRE(sw(r) == "9000");
    CHECK(hx(ByteView(r).first(2 + 8 + 1 + 16 + 1 + 16)) ==
          "DB08" + hx(o.res) + "10" + hx(o.ck) + "10" + hx(o.ik));
    // TS 35.208 test set 1 expected values, so the comparison above is not circular.
    CHECK(hx(o.res) == "A54211D5E3BA50BF");
    CHECK(hx(o.ck) == "B40BA9A3C58B2A05BBF0D987B21BF8CB");

    // Options change the ICCID and IMSI; bad ones are refused.
    DemoProfileOptions opt;
    opt.iccid = "89001012345678901";
    CHECK_THROWS_AS(demoProfile(opt), std::invalid_argument);
    opt.iccid = "8949000000000000019";
    opt.imsi = "26201123456789";
    InstalledProfile q = install(demoProfile(opt));
    CHECK(hx(q.iccid) == "989400000000000010F9");
}
