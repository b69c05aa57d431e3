// The euicc card's ES10c profile management, ES10a addresses and ES10b notifications through
// APDUs with lpac's exact requests (research notes §2.3), the enabled profile's USIM on the basic
// channel, MANAGE CHANNEL kept in step, and the persistent image.
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/card_options.hpp"
#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/signature.hpp"
#include "vicc/sim/factory.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using test::h;
using test::hx;

namespace {

const std::string kIccid1 = "98001032547698103214";  // lpac's vectors: ICCID 89000123456789012341
const std::string kIccid2 = "98001032547698103230";
const std::string kAid1 = "A0000005591010FFFFFFFF8900001000";
const std::string kAid2 = "A0000005591010FFFFFFFF8900001100";
const std::string kVerifyPin1 = "0020000108" "31323334FFFFFFFF";

EuiccIdentity identity() { return EuiccIdentity::fromPkiDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist"); }

std::string tx(EuiccCard& card, const std::string& apdu) { return hx(card.process(h(apdu))); }

// One ES10 command on channel `ch` (one STORE DATA block), the answer fetched as lpac does.
std::string call(EuiccCard& card, const std::string& cmd, std::uint8_t ch = 1) {
    const Bytes c = h(cmd);
    Bytes apdu{static_cast<std::uint8_t>(0x80 | ch), 0xE2, 0x91, 0x00, static_cast<std::uint8_t>(c.size())};
    append(apdu, c);
    Bytes r = card.process(apdu);
    Bytes data;
    while (r.size() == 2 && r[0] == 0x61) {
        r = card.process(Bytes{static_cast<std::uint8_t>(0x80 | ch), 0xC0, 0x00, 0x00, r[1]});
        data.insert(data.end(), r.begin(), r.end() - 2);
        r.erase(r.begin(), r.end() - 2);
    }
    append(data, r);
    return hx(data);
}

void openIsdR(EuiccCard& card) {
    REQUIRE(tx(card, "0070000001") == "019000");
    REQUIRE(tx(card, "01A4040010" + std::string("A0000005591010FFFFFFFF8900000100")) == "6116");
}

// A downloaded profile as the download leaves it: disabled, with StoreMetadata asking for
// enable/disable/delete notifications to smdp.example.com (as osmo-smdpp's metadata does).
InstalledProfile profile(EuiccCard& card, const std::string& iccid, const std::string& imsi, bool notifications = true) {
    InstalledProfile p;
    p.isdpAid = card.store().allocateIsdpAid();
    p.metadata.iccid = h(iccid);
    p.metadata.serviceProviderName = "OP";
    p.metadata.profileName = "Test " + imsi;
    p.metadata.profileClass = 2;
    if (notifications)  // 30 { 80 BIT STRING enable|disable|delete, 81 address }
        p.metadata.notificationConfigurationInfo = h("3018" "80020470" "8112736D64702E6578616D706C652E636F6D3A31");
    p.smdpAddress = "smdp.example.com:1";
    p.smdpOid = h("883703");
    vicc::CardOptions o;
    o.imsi = imsi;
    p.usim = std::shared_ptr<vicc::Card>(vicc::sim::createCard(o, true));
    return p;
}

std::unique_ptr<EuiccCard> cardWithTwoProfiles() {
    auto card = std::make_unique<EuiccCard>(identity());
    card->store().install(profile(*card, kIccid1, "001010123456789"));
    card->store().install(profile(*card, kIccid2, "001010000000002"));
    card->powerOn();
    return card;
}

std::string readImsi(EuiccCard& card) {
    if (tx(card, "00A4040C07A0000000871002") != "9000") return "no ADF.USIM";
    REQUIRE(tx(card, kVerifyPin1) == "9000");
    REQUIRE(tx(card, "00A4000C026F07") == "9000");
    return tx(card, "00B0000009");
}

}  // namespace

TEST_CASE("euicc profiles: lpac's profile list, enable, disable, delete by ICCID and AID", "[euicc][profiles]") {
    EuiccCard empty(identity());
    empty.powerOn();
    openIsdR(empty);
    CHECK(call(empty, "BF2D00") == "BF2D02A0009000");  // lpac: profile list on a new eUICC

    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    openIsdR(card);
    CHECK(hx(card.store().profiles()[0].isdpAid) == kAid1);
    CHECK(hx(card.store().profiles()[1].isdpAid) == kAid2);
    const std::string list = call(card, "BF2D00");
    REQUIRE(list.substr(list.size() - 4) == "9000");
    const auto infos = es10::ProfileInfoListResponse::decode(h(list.substr(0, list.size() - 4)));
    REQUIRE(infos.profiles.size() == 2);
    CHECK(hx(*infos.profiles[0].iccid) == kIccid1);
    CHECK(hx(*infos.profiles[1].isdpAid) == kAid2);
    CHECK(infos.profiles[0].profileState == std::optional<std::uint8_t>(0));
    CHECK(infos.profiles[0].profileName == std::optional<std::string>("Test 001010123456789"));
    CHECK(infos.profiles[0].profileClass == std::optional<std::uint8_t>(2));
    CHECK(infos.profiles[0].notificationConfigurationInfo.has_value());
    // search by ICCID with a tag list: only 5A and 9F70 of that profile
    CHECK(call(card, "BF2D13A00C5A0A" + kIccid2 + "5C035A9F70") == "BF2D14A012E3105A0A" + kIccid2 + "9F7001009000");
    CHECK(call(card, "BF2D05A003950100") == "BF2D02A0009000");  // no test profiles
    CHECK(call(card, "BF2D035C019F") == "6A80");  // a malformed tag list

    // lpac: disable a disabled profile, enable by ICCID (refreshFlag FALSE), enable it again
    CHECK(call(card, "BF3211A00C5A0A" + kIccid1 + "810100") == "BF32038001029000");  // profileNotInEnabledState
    CHECK(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    CHECK(card.store().profiles()[0].enabled);
    CHECK(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001029000");  // profileNotInDisabledState
    // lpac: enable by AID with refreshFlag TRUE: the other one is disabled first
    CHECK(call(card, "BF3117A0124F10" + kAid2 + "8101FF") == "BF3103800100910B");  // 91 0B: a REFRESH waits
    CHECK(tx(card, "801200000B") == "D0098103010106820281829000");
    CHECK(tx(card, "801400000C810301010682028281830100") == "9000");
    CHECK_FALSE(card.store().profiles()[0].enabled);
    CHECK(card.store().profiles()[1].enabled);
    // unknown ICCID / AID
    CHECK(call(card, "BF3111A00C5A0A" "98001032547698103299" "810100") == "BF31038001019000");
    CHECK(call(card, "BF3117A0124F10" "A0000005591010FFFFFFFF8900009900" "810100") == "BF31038001019000");
    // delete: the enabled one refused, the disabled one (lpac's exact request) deleted, then gone
    CHECK(call(card, "BF330C5A0A" + kIccid2) == "BF33038001029000");
    CHECK(call(card, "BF330C5A0A" + kIccid1) == "BF33038001009000");
    CHECK(call(card, "BF330C5A0A" + kIccid1) == "BF33038001019000");
    CHECK(card.store().profiles().size() == 1);
    // disable the remaining one (lpac's shape, by AID)
    CHECK(call(card, "BF3217A0124F10" + kAid2 + "810100") == "BF32038001009000");
    CHECK(card.store().enabled() == nullptr);
    // malformed requests: 6A80, nothing changes
    CHECK(call(card, "BF3103800100") == "6A80");
    CHECK(call(card, "BF3303800100") == "6A80");
}

TEST_CASE("euicc profiles: profile policy rules", "[euicc][profiles]") {
    EuiccCard card(identity());
    auto p1 = profile(card, kIccid1, "001010123456789");
    p1.metadata.profilePolicyRules = h("0560");  // ppr1 (no disabling) + ppr2 (no deletion)
    card.store().install(std::move(p1));
    card.store().install(profile(card, kIccid2, "001010000000002"));
    card.powerOn();
    openIsdR(card);
    CHECK(call(card, "BF330C5A0A" + kIccid1) == "BF33038001039000");  // disallowedByPolicy
    CHECK(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    CHECK(call(card, "BF3211A00C5A0A" + kIccid1 + "810100") == "BF32038001039000");
    CHECK(call(card, "BF3111A00C5A0A" + kIccid2 + "810100") == "BF31038001039000");
    CHECK(card.store().profiles()[0].enabled);
}

TEST_CASE("euicc profiles: nickname, configured addresses, default DP address, GetRAT", "[euicc][profiles]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    openIsdR(card);
    CHECK(call(card, "BF29125A0A" + kIccid1 + "90046E69636B") == "BF29038001009000");  // lpac's request
    CHECK(call(card, "BF2D11A00C5A0A" + kIccid1 + "5C0190") == "BF2D0AA008E30690046E69636B9000");
    CHECK(call(card, "BF29125A0A" "98001032547698103299" "90046E69636B") == "BF29038001019000");  // iccidNotFound
    CHECK(call(card, "BF290E5A0A" + kIccid1 + "9000") == "BF29038001009000");  // empty: removed
    CHECK(call(card, "BF2D11A00C5A0A" + kIccid1 + "5C0190") == "BF2D04A002E3009000");

    CHECK(call(card, "BF3C00") == "BF3C11810F6C70612E64732E67736D612E636F6D9000");  // lpac's chip info
    CHECK(call(card, "BF3F128010736D64702E6578616D706C652E636F6D") == "BF3F038001009000");  // lpac's request
    CHECK(call(card, "BF3C00") == "BF3C238010736D64702E6578616D706C652E636F6D810F6C70612E64732E67736D612E636F6D9000");
    CHECK(call(card, "BF4300") == "BF4315A013301180020560A10730058003EEEEEE820207809000");  // GetRAT: the default table
    CHECK(call(card, "BF4700") == "6A88");            // not an ES10 function
}

TEST_CASE("euicc profiles: notifications queued, listed, retrieved signed and removed", "[euicc][profiles]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    const auto id = identity();
    openIsdR(card);
    CHECK(call(card, "BF2800") == "BF2802A0009000");  // lpac: notification list, none yet
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");   // enable 1 -> seq 1
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid2 + "810100") == "BF31038001009000");   // disable 1 (2), enable 2 (3)
    REQUIRE(call(card, "BF3211A00C5A0A" + kIccid2 + "810100") == "BF32038001009000");   // disable 2 -> 4
    REQUIRE(call(card, "BF330C5A0A" + kIccid1) == "BF33038001009000");                  // delete 1 -> 5
    const std::string addr = "0C12736D64702E6578616D706C652E636F6D3A31";
    auto meta = [&](int seq, const std::string& ev, const std::string& iccid) {
        return "BF2F27" "8001" + std::string(1, "0123456789"[seq / 16]) + std::string(1, "0123456789ABCDEF"[seq % 16]) + "8102" + ev + addr + "5A0A" + iccid;
    };
    const std::string all = meta(1, "0640", kIccid1) + meta(2, "0520", kIccid1) + meta(3, "0640", kIccid2) +
                            meta(4, "0520", kIccid2) + meta(5, "0410", kIccid1);
    CHECK(call(card, "BF2800") == "BF2881D5A081D2" + all + "9000");
    // filtered by event: only the enables
    CHECK(call(card, "BF280481020640") == "BF2856A054" + meta(1, "0640", kIccid1) + meta(3, "0640", kIccid2) + "9000");

    // lpac: notification process 5 -> RetrieveNotificationsList {A0 {80 05}}
    const std::string got = call(card, "BF2B05A003800105");
    REQUIRE(got.substr(got.size() - 4) == "9000");
    const auto r = es10::RetrieveNotificationsListResponse::decode(h(got.substr(0, got.size() - 4)));
    REQUIRE(r.notifications.size() == 1);
    const auto osn = es10::OtherSignedNotification::decode(r.notifications[0]);
    CHECK(hx(osn.tbsRaw) == meta(5, "0410", kIccid1));
    CHECK(osn.tbs.events == es10::kEventDelete);
    CHECK(osn.euiccCertificate == id.euiccCertificate);
    CHECK(osn.eumCertificate == id.eumCertificate);
    const auto euiccCert = vicc::crypto::Certificate::fromDer(id.euiccCertificate);
    CHECK(rspVerify(euiccCert.publicKey().get(), osn.tbsRaw, osn.signature));
    Bytes forged = osn.tbsRaw;
    forged.back() ^= 1;
    CHECK_FALSE(rspVerify(euiccCert.publicKey().get(), forged, osn.signature));
    // all of them; an unknown seqNumber: noResultAvailable
    const std::string every = call(card, "BF2B00");
    CHECK(es10::RetrieveNotificationsListResponse::decode(h(every.substr(0, every.size() - 4))).notifications.size() == 5);
    CHECK(call(card, "BF2B05A003800163") == "BF2B038101019000");

    // lpac: notification remove 5 (BF30 {80 05}), then again: nothingToDelete
    CHECK(call(card, "BF3003800105") == "BF30038001009000");
    CHECK(call(card, "BF3003800105") == "BF30038001019000");
    CHECK(card.store().notifications().size() == 4);
    // the next sequence number is never reused
    CHECK(card.store().nextSequenceNumber() == 6);
}

TEST_CASE("euicc profiles: no notification unless the metadata asks for the event", "[euicc][profiles]") {
    EuiccCard card(identity());
    card.store().install(profile(card, kIccid1, "001010123456789", false));
    auto p2 = profile(card, kIccid2, "001010000000002");
    p2.metadata.notificationConfigurationInfo = h("3018" "80020780" "8112736D64702E6578616D706C652E636F6D3A31");  // install only
    card.store().install(std::move(p2));
    card.powerOn();
    openIsdR(card);
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid2 + "810100") == "BF31038001009000");
    REQUIRE(call(card, "BF3211A00C5A0A" + kIccid2 + "810100") == "BF32038001009000");
    REQUIRE(call(card, "BF330C5A0A" + kIccid2) == "BF33038001009000");
    CHECK(call(card, "BF2800") == "BF2802A0009000");
}

TEST_CASE("euicc profiles: EuiccMemoryReset per option", "[euicc][profiles]") {
    EuiccCard card(identity());
    card.store().install(profile(card, kIccid1, "001010123456789"));
    auto test = profile(card, kIccid2, "001010000000002");
    test.metadata.profileClass = 0;
    card.store().install(std::move(test));
    card.store().defaultDpAddress = "smdp.example.com";
    card.powerOn();
    openIsdR(card);
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    const auto queued = card.store().notifications().size();
    // deleteOperationalProfiles: the enabled operational profile goes, the test profile stays
    CHECK(call(card, "BF3404820207 80") == "BF34038001009000");
    REQUIRE(card.store().profiles().size() == 1);
    CHECK(hx(card.store().profiles()[0].metadata.iccid) == kIccid2);
    CHECK(card.store().notifications().size() == queued);  // none generated
    CHECK(call(card, "BF3404820207 80") == "BF34038001019000");  // nothingToDelete
    CHECK(call(card, "BF3404820205 20") == "BF34038001009000");  // resetDefaultSmdpAddress
    CHECK(call(card, "BF3C00") == "BF3C11810F6C70612E64732E67736D612E636F6D9000");
    CHECK(call(card, "BF3404820206 40") == "BF34038001009000");  // deleteFieldLoadedTestProfiles
    CHECK(card.store().profiles().empty());
}

TEST_CASE("euicc profiles: the enabled profile is the USIM on the basic channel after a reset", "[euicc][profiles][usim]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    // no profile enabled: no MF, no EF.DIR, no USIM; the ISD-R is still there
    CHECK(tx(card, "00A40004023F00") == "6A82");
    CHECK(tx(card, "00A40004022F00") == "6A82");
    CHECK(tx(card, "00A4040C07A0000000871002") == "6A82");
    CHECK(tx(card, "00B0000009") == "6986");
    CHECK(card.presentedUsim() == nullptr);
    openIsdR(card);
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    // SGP.22 §3.2.1: the switch takes effect when the Device resets the eUICC
    CHECK(tx(card, "00A40004023F00") == "6A82");
    card.reset();
    CHECK(card.presentedUsim() == card.store().profiles()[0].usim.get());
    CHECK(readImsi(card) == "0809101010325476989000");  // 001010123456789
    // TS 31.102 UICC STATUS and the GSM class reach the USIM too
    CHECK(tx(card, "A0A40000023F00").substr(0, 2) == "9F");
    // the ISD-R is still reachable on a logical channel, and the USIM sees the same channel
    openIsdR(card);
    CHECK(tx(card, "01A4040C07A0000000871002") == "9000");  // channel 1 now selects ADF.USIM in the profile
    CHECK(tx(card, "81E2910003BF2D00") == "6D00");        // ... so STORE DATA is the USIM's (unknown there)
    CHECK(tx(card, "01A4040010A0000005591010FFFFFFFF8900000100") == "6116");
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid2 + "810100") == "BF31038001009000");
    CHECK(tx(card, "0070800100") == "9000");
    CHECK(tx(card, "01A4040C07A0000000871002") == "6881");  // closed in both
    // the old profile until the next power cycle, then the new one
    CHECK(readImsi(card) == "0809101010325476989000");
    card.powerOff();
    card.powerOn();
    CHECK(readImsi(card) == "0809101000000000209000");  // 001010000000002
    // disabled: nothing again after the reset
    openIsdR(card);
    REQUIRE(call(card, "BF3211A00C5A0A" + kIccid2 + "810100") == "BF32038001009000");
    card.reset();
    CHECK(tx(card, "00A4040C07A0000000871002") == "6A82");
}

TEST_CASE("euicc profiles: refreshFlag TRUE asks for a REFRESH (eUICC Profile State Change)", "[euicc][profiles][usim]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    openIsdR(card);
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");  // FALSE: no REFRESH
    CHECK(tx(card, "801200000B") == "6D00");  // nothing to fetch (and no profile presented yet)
    card.reset();
    openIsdR(card);
    // lpac's enable by AID with refreshFlag TRUE: the result, then 91 0B
    CHECK(tx(card, "81E291001ABF3117A0124F10" + kAid2 + "8101FF") == "6106");
    CHECK(tx(card, "81C0000006") == "BF3103800100910B");
    CHECK(tx(card, "00A4040C07A0000000871002") == "9000");  // announced once only
    CHECK(tx(card, "0070000001") == "029000");               // (lpac's MANAGE CHANNEL wants exactly 90 00)
    CHECK(tx(card, "0070800200") == "9000");
    CHECK(tx(card, "8012000005") == "6C0B");
    // FETCH: REFRESH, qualifier 06, UICC -> terminal (ETSI TS 102 223 §6.4.7)
    CHECK(tx(card, "801200000B") == "D0098103010106820281829000");
    CHECK(tx(card, "801400000C810301010682028281830100") == "9000");
    CHECK(tx(card, "801400000C810301010682028281830100") != "9000");  // only once
    // the terminal resets: the new profile
    card.reset();
    CHECK(readImsi(card) == "0809101000000000209000");
    // disable with refreshFlag TRUE, the REFRESH dropped by a reset
    openIsdR(card);
    CHECK(call(card, "BF3217A0124F10" + kAid2 + "8101FF") == "BF3203800100910B");
    card.reset();
    CHECK(tx(card, "801200000B") == "6D00");
    CHECK(tx(card, "00A4040C07A0000000871002") == "6A82");
}

TEST_CASE("euicc profiles: catBusy while a REFRESH is pending or unanswered (SGP.22 §5.7.16/17)", "[euicc][profiles]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    openIsdR(card);
    CHECK(call(card, "BF3117A0124F10" + kAid2 + "8101FF") == "BF3103800100910B");  // a REFRESH waits
    // refreshFlag TRUE again: catBusy (5), nothing changes; FALSE needs no proactive session.
    CHECK(call(card, "BF3217A0124F10" + kAid2 + "8101FF").rfind("BF3203800105", 0) == 0);
    CHECK(call(card, "BF3111A00C5A0A" + kIccid1 + "8101FF").rfind("BF3103800105", 0) == 0);
    CHECK(tx(card, "801200000B") == "D0098103010106820281829000");  // FETCH
    CHECK(call(card, "BF3217A0124F10" + kAid2 + "8101FF").rfind("BF3203800105", 0) == 0);  // no answer yet
    CHECK(tx(card, "801400000C810301010682028281830100") == "9000");  // TERMINAL RESPONSE
    CHECK(call(card, "BF3217A0124F10" + kAid2 + "8101FF") == "BF3203800100910B");
    CHECK(call(card, "BF3111A00C5A0A" + kIccid1 + "810100").rfind("BF31038001009", 0) == 0);  // FALSE: allowed
}

TEST_CASE("euicc profiles: MANAGE CHANNEL keeps the USIM's channels in step", "[euicc][profiles][usim]") {
    auto owner = cardWithTwoProfiles();
    EuiccCard& card = *owner;
    openIsdR(card);
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    card.reset();
    CHECK(tx(card, "0070000001") == "019000");
    CHECK(tx(card, "0070000001") == "029000");
    CHECK(tx(card, "02A4040C07A0000000871002") == "9000");
    CHECK(tx(card, "01A4040010A0000005591010FFFFFFFF8900000100") == "6116");
    CHECK(tx(card, "0070800200") == "9000");
    CHECK(tx(card, "02A4040C07A0000000871002") == "6881");
    CHECK(tx(card, "0070000001") == "029000");                // the number is free again in both
    CHECK(tx(card, "02A4040C07A0000000871002") == "9000");
    CHECK(call(card, "BF2D035C015A") == "BF2D1EA01CE30C5A0A" + kIccid1 + "E30C5A0A" + kIccid2 + "9000");
}

TEST_CASE("euicc profiles: the image keeps profiles, states, nicknames, notifications, counters, addresses", "[euicc][profiles][image]") {
    EuiccCard card(identity());
    auto p1 = profile(card, kIccid1, "001010123456789");
    p1.usim = nullptr;  // SAIP restore is exercised where profiles come from real packages
    card.store().install(std::move(p1));
    auto p2 = profile(card, kIccid2, "001010000000002");
    p2.usim = nullptr;
    card.store().install(std::move(p2));
    card.powerOn();
    openIsdR(card);
    card.consumeDirty();
    REQUIRE(call(card, "BF3111A00C5A0A" + kIccid1 + "810100") == "BF31038001009000");
    CHECK(card.consumeDirty());
    REQUIRE(call(card, "BF29125A0A" + kIccid2 + "90046E69636B") == "BF29038001009000");
    CHECK(card.consumeDirty());
    REQUIRE(call(card, "BF3F128010736D64702E6578616D706C652E636F6D") == "BF3F038001009000");
    CHECK(card.consumeDirty());
    call(card, "BF2D00");
    CHECK_FALSE(card.consumeDirty());  // reading changes nothing
    const nlohmann::json image = card.saveState();
    CHECK(image["type"] == "euicc");

    EuiccCard direct(identity());
    direct.loadState(image);  // as built, not through text: numbers may be signed there
    EuiccCard restored(identity());
    restored.loadState(nlohmann::json::parse(image.dump()));
    openIsdR(restored);
    CHECK(call(restored, "BF2D00") == call(card, "BF2D00"));
    CHECK(call(restored, "BF2800") == call(card, "BF2800"));
    CHECK(call(restored, "BF2B00") == call(card, "BF2B00"));
    CHECK(call(restored, "BF3C00") == call(card, "BF3C00"));
    CHECK(restored.store().nextSequenceNumber() == 2);  // 1 was the enable notification
    CHECK(restored.saveState()["euicc"]["profiles"][1]["nickname"] == "nick");

    // corrupt images: a clear error, the card unchanged
    auto bad = image;
    bad["euicc"]["profiles"][0]["metadata"] = "BF2501";
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("euicc image"));
    bad = image;
    bad["euicc"]["notifications"][0]["seqNumber"] = -1;
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("seqNumber"));
    bad = image;
    bad["euicc"]["notifications"][0]["event"] = 0x08;
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("event"));
    bad = image;
    bad["euicc"]["lastSeqNumber"] = 0;
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("above lastSeqNumber"));
    bad = image;
    bad["euicc"]["profiles"][1]["enabled"] = true;
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("more than one profile enabled"));
    bad = image;
    bad["eid"] = "89049032123451234512345678901299";
    CHECK_THROWS_WITH(restored.loadState(bad), Catch::Contains("EID"));
    bad = image;
    bad["euicc"] = 5;
    CHECK_THROWS(restored.loadState(bad));
    CHECK(call(restored, "BF2D00") == call(card, "BF2D00"));
}

TEST_CASE("euicc profiles: a SAIP-installed profile enabled is the USIM on the basic channel, and its changes persist", "[euicc][profiles][saip]") {
    EuiccCard card(identity());
    saip::InstalledProfile installed = saip::install(saip::demoProfile());
    InstalledProfile p;
    p.isdpAid = card.store().allocateIsdpAid();
    p.metadata.iccid = installed.iccid;
    p.metadata.serviceProviderName = "vpcsc";
    p.metadata.profileName = installed.profileType;
    p.usim = std::shared_ptr<vicc::Card>(std::move(installed.usim));
    card.store().install(std::move(p));
    card.powerOn();
    openIsdR(card);
    const std::string iccid = "980001214365870921F0";  // 8900101234567890120 as EF.ICCID holds it
    REQUIRE(call(card, "BF3111A00C5A0A" + iccid + "810100") == "BF31038001009000");
    CHECK(tx(card, "00A4000C022FE2") == "6A82");  // until the reset
    card.reset();
    CHECK(tx(card, "00A4000C022FE2") == "9000");
    CHECK(tx(card, "00B000000A") == iccid + "9000");
    CHECK(readImsi(card) == "0809101010325476989000");  // 001010123456789
    // ADM1, then a new IMSI: the USIM's change makes the eUICC image dirty
    card.consumeDirty();
    REQUIRE(tx(card, "0020000A083838383838383838") == "9000");
    REQUIRE(tx(card, "00D6000009080910100000000010") == "9000");  // 001010000000001
    CHECK(card.consumeDirty());

    EuiccCard restored(identity());
    restored.loadState(nlohmann::json::parse(card.saveState().dump()));  // the USIM through saip::restore
    restored.powerOn();
    CHECK(readImsi(restored) == "0809101000000000109000");
    openIsdR(restored);
    CHECK(call(restored, "BF2D045C029F70") == "BF2D08A006E3049F7001019000");
}
