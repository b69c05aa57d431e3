// ES10c / ES10a / notification codecs (vicc/euicc/es10c.hpp) with lpac's captured requests
// (research notes §2.3) and hand-checked DER per SGP.22 §5.7.
#include <catch2/catch.hpp>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/es10c.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using namespace vpcsc::euicc::es10;
using test::h;
using test::hx;

namespace {
const std::string kIccid = "98001032547698103214";  // lpac's BCD-swapped 89000123456789012341
const std::string kAid = "A0000005591010FFFFFFFF8900001000";
}  // namespace

TEST_CASE("es10c: lpac's enable, disable, delete requests", "[euicc][es10c]") {
    // enable ICCID, refreshFlag FALSE
    const Bytes en = h("BF3111A00C5A0A98001032547698103214810100");
    const auto e = EnableProfileRequest::decode(en);
    CHECK(e.profile == ProfileIdentifier::iccid(h(kIccid)));
    CHECK_FALSE(e.refreshFlag);
    CHECK(hx(e.encode()) == hx(en));
    // enable by AID, refreshFlag TRUE
    const Bytes ea = h("BF3117A0124F10" + kAid + "8101FF");
    const auto a = EnableProfileRequest::decode(ea);
    CHECK(a.profile == ProfileIdentifier::isdpAid(h(kAid)));
    CHECK(a.refreshFlag);
    CHECK(hx(a.encode()) == hx(ea));
    const Bytes dis = h("BF3211A00C5A0A98001032547698103214810100");
    const auto d = DisableProfileRequest::decode(dis);
    CHECK(hx(d.profile.value) == kIccid);
    CHECK(hx(d.encode()) == hx(dis));
    const Bytes del = h("BF330C5A0A98001032547698103214");  // no A0 wrapper, no refreshFlag
    CHECK(hx(DeleteProfileRequest::decode(del).encode()) == hx(del));
    CHECK(DeleteProfileRequest::decode(h("BF33124F10" + kAid)).profile.kind == ProfileIdentifier::Kind::IsdpAid);
    // wrong tag, bad ICCID length, missing refreshFlag
    CHECK_THROWS_AS(EnableProfileRequest::decode(dis), Es10Error);
    CHECK_THROWS_AS(DeleteProfileRequest::decode(h("BF330B5A09980010325476981032")), Es10Error);
    CHECK_THROWS_AS(EnableProfileRequest::decode(h("BF310EA00C5A0A98001032547698103214")), Es10Error);
    CHECK_THROWS_AS(DeleteProfileRequest::decode(h("BF3303800100")), Es10Error);
}

TEST_CASE("es10c: results, nickname, notification sent, default DP address", "[euicc][es10c]") {
    CHECK(hx(encodeResult(kTagEnableProfile, result::kOk)) == "BF3103800100");
    CHECK(hx(encodeResult(kTagDeleteProfile, result::kProfileNotInDisabledState)) == "BF3303800102");
    CHECK(hx(encodeResult(kTagDisableProfile, result::kUndefinedError)) == "BF320380017F");
    CHECK(decodeResult(h("BF3003800101"), kTagNotificationSent) == result::kNothingToDelete);
    CHECK_THROWS_AS(decodeResult(h("BF3003800101"), kTagEnableProfile), Es10Error);

    const Bytes nick = h("BF29125A0A98001032547698103214" "90046E69636B");
    const auto n = SetNicknameRequest::decode(nick);
    CHECK(hx(n.iccid) == kIccid);
    CHECK(n.nickname == "nick");
    CHECK(hx(n.encode()) == hx(nick));
    CHECK_THROWS_AS(SetNicknameRequest::decode(h("BF294F5A0A98001032547698103214" "9041" + std::string(130, '6'))), Es10Error);

    const Bytes sent = h("BF3003800105");
    CHECK(NotificationSentRequest::decode(sent).seqNumber == 5);
    CHECK(hx(NotificationSentRequest{5}.encode()) == hx(sent));
    CHECK(hx(NotificationSentRequest{200}.encode()) == "BF3004800200C8");  // positive INTEGER: 00 C8

    const Bytes dp = h("BF3F128010736D64702E6578616D706C652E636F6D");
    CHECK(SetDefaultDpAddressRequest::decode(dp).defaultDpAddress == "smdp.example.com");
    CHECK(hx(SetDefaultDpAddressRequest{"smdp.example.com"}.encode()) == hx(dp));

    decodeEmptyRequest(h("BF3C00"), kTagGetEuiccConfiguredAddresses);
    CHECK(hx(encodeEmptyRequest(kTagGetRat)) == "BF4300");
    EuiccConfiguredAddresses addr{std::nullopt, "lpa.ds.gsma.com"};
    CHECK(hx(addr.encode()) == "BF3C11" "810F6C70612E64732E67736D612E636F6D");
    addr.defaultDpAddress = "a.b";
    const auto back = EuiccConfiguredAddresses::decode(addr.encode());
    CHECK(back.defaultDpAddress == std::optional<std::string>("a.b"));
    CHECK(back.rootDsAddress == "lpa.ds.gsma.com");

    // resetOptions: deleteOperationalProfiles(0) + resetDefaultSmdpAddress(2) = 1010 0000, 5 unused
    const auto reset = EuiccMemoryResetRequest::decode(h("BF3404820205A0"));
    CHECK(reset.resetOptions == (kResetDeleteOperationalProfiles | kResetDefaultSmdpAddress));
    CHECK(hx(reset.encode()) == "BF3404820205A0");
    CHECK(hx(GetRatResponse{}.encode()) == "BF4302A000");
    // one ProfilePolicyAuthorisationRule { 80 pprIds ppr1, A1 { 30 { 80 MCC/MNC 001/01 } }, 82 pprFlags }
    const auto rat = GetRatResponse::decode(h("BF4315A013301180020640A1073005800300F11082020780"));
    REQUIRE(rat.rules.size() == 1);
    CHECK(hx(rat.rules[0]) == "301180020640A1073005800300F11082020780");
}

TEST_CASE("es10c: NotificationEvent BIT STRING", "[euicc][es10c]") {
    CHECK(hx(encodeEventBits(kEventInstall)) == "0780");
    CHECK(hx(encodeEventBits(kEventEnable)) == "0640");
    CHECK(hx(encodeEventBits(kEventDisable)) == "0520");
    CHECK(hx(encodeEventBits(kEventDelete)) == "0410");
    CHECK(hx(encodeEventBits(kEventEnable | kEventDelete)) == "0450");
    CHECK(hx(encodeEventBits(0)) == "00");
    CHECK(decodeEventBits(h("0780")) == kEventInstall);
    CHECK(decodeEventBits(h("0040")) == kEventEnable);  // non-minimal BER accepted
    CHECK(decodeEventBits(h("00")) == 0);
    CHECK_THROWS_AS(decodeEventBits(h("08")), Es10Error);
    CHECK_THROWS_AS(decodeEventBits(h("")), Es10Error);
}

TEST_CASE("es10c: GetProfilesInfo request and response", "[euicc][es10c]") {
    const auto empty = ProfileInfoListRequest::decode(h("BF2D00"));
    CHECK_FALSE(empty.searchProfile);
    CHECK_FALSE(empty.tagList);
    const auto byIccid = ProfileInfoListRequest::decode(h("BF2D12A00C5A0A" + kIccid + "5C025A92"));
    CHECK(byIccid.searchProfile == ProfileIdentifier::iccid(h(kIccid)));
    CHECK(hx(*byIccid.tagList) == "5A92");
    CHECK(hx(byIccid.encode()) == "BF2D12A00C5A0A" + kIccid + "5C025A92");
    const auto byClass = ProfileInfoListRequest::decode(h("BF2D05A003950102"));
    CHECK(byClass.searchProfileClass == std::optional<std::uint8_t>(2));
    CHECK_THROWS_AS(ProfileInfoListRequest::decode(h("BF2D05A003800102")), Es10Error);
    CHECK_THROWS_AS(ProfileInfoListRequest::decode(h("BF2D035C019F")), Es10Error);  // truncated tag

    ProfileInfo p;
    p.iccid = h(kIccid);
    p.isdpAid = h(kAid);
    p.profileState = 1;
    p.profileNickname = "nick";
    p.serviceProviderName = "OP";
    p.profileName = "Test";
    p.profileClass = 2;
    const std::string e3 = "E335" "5A0A" + kIccid + "4F10" + kAid + "9F700101" "90046E69636B" "91024F50" "920454657374" "950102";
    CHECK(hx(p.encode()) == e3);
    CHECK(hx(p.encode(h("9F705A"))) == "E3" "10" "5A0A" + kIccid + "9F700101");
    ProfileInfoListResponse list{{p}, std::nullopt};
    CHECK(hx(list.encode()) == "BF2D39A037" + e3);
    CHECK(hx(ProfileInfoListResponse{}.encode()) == "BF2D02A000");
    CHECK(hx(ProfileInfoListResponse{{}, result::kIncorrectInputValues}.encode()) == "BF2D03810101");
    const auto back = ProfileInfoListResponse::decode(h("BF2D39A037" + e3));
    REQUIRE(back.profiles.size() == 1);
    CHECK(back.profiles[0].profileState == std::optional<std::uint8_t>(1));
    CHECK(back.profiles[0].profileNickname == std::optional<std::string>("nick"));
    CHECK(back.profiles[0].profileName == std::optional<std::string>("Test"));
    CHECK(ProfileInfoListResponse::decode(h("BF2D03810101")).error == std::optional<std::int64_t>(1));
    // fields in another order decode too; a duplicate does not
    CHECK(hx(*ProfileInfo::decode(h("E3109F7001005A0A" + kIccid)).iccid) == kIccid);
    CHECK_THROWS_AS(ProfileInfo::decode(h("E3089F7001009F700101")), Es10Error);
}

TEST_CASE("es10c: notification list, retrieve and the signed notification", "[euicc][es10c]") {
    CHECK_FALSE(ListNotificationRequest::decode(h("BF2800")).events);
    CHECK(ListNotificationRequest::decode(h("BF2804810206 40")).events == std::optional<std::uint8_t>(kEventEnable));
    CHECK(hx(ListNotificationResponse{}.encode()) == "BF2802A000");  // lpac's capture of an empty list
    NotificationInfo n{5, kEventEnable, "smdp.example.com", h(kIccid)};
    const std::string bf2f = "BF2F25" "800105" "81020640" "0C10736D64702E6578616D706C652E636F6D" "5A0A" + kIccid;
    CHECK(hx(n.encode()) == bf2f);
    const auto ln = ListNotificationResponse::decode(h("BF282AA028" + bf2f));
    REQUIRE(ln.notifications.size() == 1);
    CHECK(ln.notifications[0].seqNumber == 5);
    CHECK(ln.notifications[0].events == kEventEnable);
    CHECK(ln.notifications[0].notificationAddress == "smdp.example.com");

    const auto rq = RetrieveNotificationsListRequest::decode(h("BF2B05A003800105"));
    CHECK(rq.seqNumber == std::optional<std::uint32_t>(5));
    CHECK(hx(rq.encode()) == "BF2B05A003800105");
    CHECK(RetrieveNotificationsListRequest::decode(h("BF2B06A004810207 80")).events == std::optional<std::uint8_t>(kEventInstall));
    CHECK_FALSE(RetrieveNotificationsListRequest::decode(h("BF2B00")).seqNumber);
    CHECK_THROWS_AS(RetrieveNotificationsListRequest::decode(h("BF2B05A003820105")), Es10Error);

    OtherSignedNotification s;
    s.tbsRaw = h(bf2f);
    s.tbs = n;
    s.signature = Bytes(64, 0x11);
    s.euiccCertificate = h("3003020101");
    s.eumCertificate = h("3003020102");
    const Bytes enc = s.encode();
    const auto sd = OtherSignedNotification::decode(enc);
    CHECK(hx(sd.tbsRaw) == bf2f);
    CHECK(sd.tbs.seqNumber == 5);
    CHECK(sd.signature == Bytes(64, 0x11));
    CHECK(hx(sd.eumCertificate) == "3003020102");
    RetrieveNotificationsListResponse rr{{enc}, std::nullopt};
    const auto rb = RetrieveNotificationsListResponse::decode(rr.encode());
    REQUIRE(rb.notifications.size() == 1);
    CHECK(rb.notifications[0] == enc);
    CHECK(hx(RetrieveNotificationsListResponse{{}, result::kNoResultAvailable}.encode()) == "BF2B03810101");
    CHECK_THROWS_AS(RetrieveNotificationsListResponse::decode(h("BF2B04A0020400")), Es10Error);
}
