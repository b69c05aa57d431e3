// genericFileManagement and the refusals, on packages built from our demo profile's PEs (so they
// run on every checkout, with or without the TS.48 data).
#include <catch2/catch.hpp>

#include "tests/saip/pieces.hpp"
#include "vicc/sim/milenage.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::saip;
using namespace vpcsc::saip::test;

namespace {

std::string run(vicc::Card& c, const std::string& apdu) { return toHex(c.process(fromHex(apdu)), 0); }

}  // namespace

TEST_CASE("genericFileManagement creates, fills and skips as SAIP §8.3.6 says", "[saip]") {
    InstalledProfile p = install(gfmPackage());
    vicc::Card& card = *p.usim;
    card.powerOn();
    CHECK(run(card, "00A4000C027F66") == "9000");
    CHECK(run(card, "00A4000C026F01") == "9000");
    CHECK(run(card, "00B0000008") == "6982");  // ARR record 3: read with PIN1
    CHECK(run(card, "0020000108 31323334FFFFFFFF") == "9000");
    CHECK(run(card, "00B0000008") == "1122FFFFFF33FFFF9000");
    CHECK(run(card, "00A4000C026F02") == "9000");
    CHECK(run(card, "00B2010404") == "FFFFFFFF9000");
    CHECK(run(card, "00B2020404") == "AABBCCDD9000");
    CHECK(run(card, "00A4000C026F09") == "6A82");  // the link file is not created
    CHECK(run(card, "00A4000C026F03") == "9000");
    CHECK(run(card, "00CA008000") == "12349000");  // the BER-TLV EF holds 80 02 12 34
    // DF 7F66's FCP: EF.ARR record 4 (80 01 7F, A4 ADM1) became compact attributes 7F + 7 x 1A.
    CHECK(run(card, "00A40004027F66") == "6125");
    CHECK(run(card, "00C0000025") == "62238202782183027F668A01058C087F1A1A1A1A1A1A1AC60C9001C095010883010183010A9000");
    // An update of 6F01 needs PIN1 (record 3) and is kept.
    CHECK(run(card, "00A4000C026F01") == "9000");
    CHECK(run(card, "00D6000001 44") == "9000");
    CHECK(run(card, "00B0000002") == "44229000");
}

TEST_CASE("installer refusals: reason codes and no partial card", "[saip]") {
    const auto pes = demoPes();
    REQUIRE(pes.size() == 8);
    auto reason = [](const Bytes& upp) {
        try {
            install(upp);
        } catch (const SaipError& e) {
            return e.reason;
        }
        return 0;
    };
    CHECK(reason(join({pes[0], pes[1]})) == 0);                             // header + mf is a card
    CHECK(reason(join({pes[1], pes[0]})) == 1);                             // mf before the header
    CHECK(reason(join({pes[0], pes[4]})) == 12);                            // usim before mf
    CHECK(reason(join({pes[0], pes[1], akaWithRotation()})) == 12);        // r1..r5 not the defaults
    CHECK(reason(join({pes[0], pes[1], pes[4], pes[4]})) == 12);            // ADF.USIM twice
    CHECK(reason(join({pes[0], pes[1], pes[2], pes[5]})) == 0);              // PIN2 without a USIM is fine
    // A PIN that names an undefined PUK.
    CHECK(reason(join({pes[0], pes[1], pes[3]})) == 12);
    // EF.ICCID differing from the header: data mismatch.
    Bytes mf = pes[1];
    const Bytes iccid = iccidOf(demoProfile());
    const auto at = std::search(mf.begin(), mf.end(), iccid.begin(), iccid.end());
    REQUIRE(at != mf.end());
    at[9] ^= 0x01;
    CHECK(reason(join({pes[0], mf})) == 13);
    // An absurd efFileSize (4 GB) and a record file without a record count.
    Bytes huge = tlv::Builder()
                     .add(0xA1, tlv::Builder()
                                    .add(0xA0, tlv::Builder().addByte(0x81, 9))
                                    .add(0xA1, tlv::Builder().add(0x30, tlv::Builder().add(0x80, Bytes{}).add(
                                                                           0x62, tlv::Builder()
                                                                                     .add(0x82, {0x41, 0x21})
                                                                                     .add(0x83, {0x6F, 0x01})
                                                                                     .add(0x80, {0xFF, 0xFF, 0xFF, 0xFF})))))
                     .take();
    CHECK(reason(join({pes[0], pes[1], huge})) == 12);
}

TEST_CASE("AUTHENTICATE in an ADF.USIM whose AID has another PIX (TS 101 220 Annex E)", "[saip]") {
    Bytes upp = demoProfile();
    const Bytes aid = fromHex("840CA0000000871002FF49FF0589");
    const auto at = std::search(upp.begin(), upp.end(), aid.begin(), aid.end());
    REQUIRE(at != upp.end());
    const Bytes other = fromHex("840CA0000000871002FF33FF0189");
    std::copy(other.begin(), other.end(), at);
    InstalledProfile p = install(upp);
    vicc::Card& card = *p.usim;
    card.powerOn();
    CHECK(run(card, "00A4040C0CA0000000871002FF33FF0189") == "9000");
    CHECK(run(card, "0020000108 31323334FFFFFFFF") == "9000");
    // TS 35.208 test set 1 (RES A54211D5E3BA50BF), AUTN built with SQN 000000000021, AMF B9B9.
    const vicc::sim::Milenage m(fromHex("465B5CE8B199B49FAA5F0A2EE238A6BC"), fromHex("CD63CB71954A9F4E48A5994E37A02BAF"));
    const Bytes rand = fromHex("23553CBE9637A89D218AE64DAE47BF35"), sqn = fromHex("000000000021"), amf = fromHex("B9B9");
    Bytes autn;
    const auto o = m.f2345(rand);
    for (int i = 0; i < 6; ++i) autn.push_back(sqn[i] ^ o.ak[i]);
    append(autn, amf);
    append(autn, m.f1(rand, sqn, amf));
    const std::string r = run(card, "0088008122 10" + toHex(rand, 0) + "10" + toHex(autn, 0));
    CHECK(r == "6135");
    CHECK(run(card, "00C0000035").substr(0, 20) == "DB08A54211D5E3BA50BF");
    // An ADF that is not a USIM (ISIM application code 1004) is refused AUTHENTICATE in 3G context.
    Bytes isimUpp = demoProfile();
    const Bytes isim = fromHex("840CA0000000871004FF49FF0589");
    std::copy(isim.begin(), isim.end(), std::search(isimUpp.begin(), isimUpp.end(), aid.begin(), aid.end()));
    InstalledProfile q = install(isimUpp);
    q.usim->powerOn();
    CHECK(run(*q.usim, "00A4040C0CA0000000871004FF49FF0589") == "9000");
    CHECK(run(*q.usim, "0020000108 31323334FFFFFFFF") == "9000");
    CHECK(run(*q.usim, "0088008122 10" + toHex(rand, 0) + "10" + toHex(autn, 0)) == "6985");
}
