// Whole downloads in-process: the LPA core (lpa/) drives vicc's EuiccCard through its APDUs and the
// SM-DP+ library through handleEs9 (the request handling of vicc-smdpp without the sockets), on both
// curves: DEMO and every TS.48 package, then the profile's life (list, enable, disable, delete)
// and its notifications; refusals surface the SGP.22 codes of the side that refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

#include "tests/lib/tap_skip.hpp"
#include "lpa/download.hpp"
#include "lpa/es10_channel.hpp"
#include "lpa/es10_client.hpp"
#include "lpa/inprocess_es9.hpp"
#include "lpa/notifications.hpp"
#include "lpa/output.hpp"
#include "smdpp/smdp.hpp"
#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using namespace vpcsc::lpa;
namespace es10 = euicc::es10;
using euicc::test::hx;

namespace {

std::string ts48Dir() {
    if (const char* d = std::getenv("VPCSC_TS48_DIR"); d && *d) return d;
    return VPCSC_TS48_DEFAULT;
}

// One eUICC and one SM-DP+ on a curve's test PKI, the LPA between them.
struct Rig {
    explicit Rig(const std::string& curve, const std::string& profiles = {},
                 std::optional<std::string> cc = std::nullopt) {
        const std::string pki = std::string(VPCSC_EUICC_PKI_DIR) + "/" + curve;
        card = std::make_unique<euicc::EuiccCard>(euicc::EuiccIdentity::fromPkiDirectory(pki));
        card->powerOn();
        apdu = std::make_unique<FunctionTransport>([this](ByteView a) {
            // The first tag of each ES10 command: block 0 of a STORE DATA chain.
            if (a.size() > 6 && a[1] == 0xE2) {
                if (a[3] == 0) {
                    tags.push_back(hx(a.subspan(5, a[5] == 0xBF ? 2 : 1)));
                    commands.emplace_back();
                }
                append(commands.back(), a.subspan(5));
            }
            return card->process(a);
        });
        channel = std::make_unique<Es10Channel>(*apdu);
        es10c = std::make_unique<Es10Client>(*channel);
        smdpp::SmdpConfig config;
        config.confirmationCode = std::move(cc);
        smdpp::ProfileDirectory dir(profiles);
        dir.setDemoSource([] { return euicc::saip::demoProfile(); });  // matchingId DEMO, as vicc-smdpp
        smdp = std::make_unique<smdpp::Smdp>(config, smdpp::Credentials::fromDirectory(pki), std::move(dir));
        http = std::make_unique<InProcessEs9>(*smdp);
        es9 = std::make_unique<Es9Client>(*http, config.address);
    }
    DownloadResult download(const std::string& matchingId, std::optional<std::string> cc = std::nullopt) {
        DownloadRequest r;
        r.smdpAddress = "127.0.0.1:8443";
        r.matchingId = matchingId;
        r.confirmationCode = std::move(cc);
        return downloadProfile(*es10c, *es9, r);
    }
    DownloadError failedDownload(const std::string& matchingId, std::optional<std::string> cc = std::nullopt) {
        try {
            download(matchingId, std::move(cc));
        } catch (const DownloadError& e) {
            return e;
        }
        FAIL("the download succeeded");
        throw;
    }
    std::vector<es10::ProfileInfo> profiles() {
        auto r = es10c->getProfilesInfo();
        REQUIRE_FALSE(r.error);
        return r.profiles;
    }
    std::vector<std::string> tags;  // first tag of each ES10 command
    std::vector<Bytes> commands;    // each ES10 command, reassembled
    std::unique_ptr<euicc::EuiccCard> card;
    std::unique_ptr<FunctionTransport> apdu;
    std::unique_ptr<Es10Channel> channel;
    std::unique_ptr<Es10Client> es10c;
    std::unique_ptr<smdpp::Smdp> smdp;
    std::unique_ptr<InProcessEs9> http;
    std::unique_ptr<Es9Client> es9;
};

// Download, list (disabled), notification delivered and removed, enable, disable, delete.
void lifeCycle(Rig& rig, const std::string& matchingId) {
    const DownloadResult r = rig.download(matchingId);
    REQUIRE(r.result.data.success);
    const Bytes iccid = r.metadata.iccid;
    auto list = rig.profiles();
    REQUIRE(list.size() == 1);
    CHECK(hx(*list[0].iccid) == hx(iccid));
    CHECK(hx(*list[0].isdpAid) == hx(r.result.data.success->isdpAid));
    CHECK(list[0].profileState == std::uint8_t{0});  // installed disabled (SGP.22 §3.1.3)
    CHECK(rig.es10c->setNickname(iccid, "my test profile") == es10::result::kOk);
    CHECK(rig.profiles()[0].profileNickname == std::optional<std::string>("my test profile"));

    // The install notification: listed with the SM-DP+'s address, delivered (204), removed.
    const std::uint32_t seq = r.result.data.notificationMetadata.seqNumber;
    auto pending = rig.es10c->listNotification();
    REQUIRE(pending.notifications.size() == 1);
    CHECK(pending.notifications[0].seqNumber == seq);
    CHECK(pending.notifications[0].events == es10::kEventInstall);
    CHECK(pending.notifications[0].notificationAddress == "127.0.0.1:8443");
    const ProcessedNotification p = processNotification(*rig.es10c, *rig.http, seq, true);
    CHECK(p.removed);
    CHECK(rig.es10c->listNotification().notifications.empty());

    const auto id = es10::ProfileIdentifier::iccid(iccid);
    CHECK(rig.es10c->enableProfile(id, false) == es10::result::kOk);
    CHECK(rig.profiles()[0].profileState == std::uint8_t{1});
    CHECK(rig.es10c->enableProfile(id, false) == es10::result::kProfileNotInDisabledState);
    CHECK(rig.es10c->deleteProfile(id) == es10::result::kProfileNotInDisabledState);  // enabled: refused
    CHECK(rig.es10c->disableProfile(id, false) == es10::result::kOk);
    CHECK(rig.es10c->disableProfile(id, false) == es10::result::kProfileNotInEnabledState);
    CHECK(rig.es10c->deleteProfile(id) == es10::result::kOk);
    CHECK(rig.profiles().empty());
    CHECK(rig.es10c->deleteProfile(id) == es10::result::kIccidOrAidNotFound);
    // Whatever enable/disable/delete queued (per the profile's notificationConfigurationInfo)
    // goes out too, each answered 204.
    for (const auto& n : rig.es10c->listNotification().notifications)
        CHECK(processNotification(*rig.es10c, *rig.http, n.seqNumber, true).removed);
    CHECK(rig.es10c->listNotification().notifications.empty());
}

// The first TS.48 package's matchingId, or the built-in DEMO when there is none.
std::string someProfile() {
    const std::string dir = ts48Dir();
    if (std::filesystem::is_directory(dir))
        for (const auto& f : std::filesystem::directory_iterator(dir))
            if (f.path().extension() == ".der") return f.path().stem().string();
    VPCSC_SKIP("no TS.48 packages at " << dir << " (VPCSC_TS48_DIR): DEMO instead");
    return "DEMO";
}

}  // namespace

TEST_CASE("lpa download in-process: DEMO on NIST P-256 and brainpoolP256r1") {
    for (const char* curve : {"nist", "brp"}) {
        INFO(curve);
        Rig rig(curve);
        lifeCycle(rig, "DEMO");
    }
}

TEST_CASE("lpa download in-process: every TS.48 package") {
    const std::string dir = ts48Dir();
    if (!std::filesystem::is_directory(dir)) {
        VPCSC_SKIP("no TS.48 packages at " << dir << " (VPCSC_TS48_DIR): not run");
        return;
    }
    int n = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() != ".der") continue;
        INFO(f.path().filename());
        Rig rig(n % 2 ? "brp" : "nist", dir);  // alternate the curves
        lifeCycle(rig, f.path().stem().string());
        ++n;
    }
    CHECK(n > 0);
}

TEST_CASE("lpa download in-process: the ES10 sequence is lpac's (research notes §2.4)") {
    const std::string mid = someProfile();
    Rig rig("nist", ts48Dir());
    rig.tags.clear();
    const DownloadResult r = rig.download(mid);
    REQUIRE(r.result.data.success);
    // BF2E, BF20, BF38, BF21, then the BPP: BF36 (+BF23), A0, A1 header, its 88s, A2 (fresh PPKs),
    // A3 header, its 86s.
    std::string seq;
    for (const auto& t : rig.tags) seq += (seq.empty() ? "" : " ") + t;
    INFO(seq);
    REQUIRE(rig.tags.size() > 10);
    CHECK(std::vector<std::string>(rig.tags.begin(), rig.tags.begin() + 7) ==
          std::vector<std::string>{"BF2E", "BF20", "BF38", "BF21", "BF36", "A0", "A1"});
    std::size_t i = 7;
    while (i < rig.tags.size() && rig.tags[i] == "88") ++i;
    CHECK(i > 7);
    REQUIRE(i + 2 < rig.tags.size());
    CHECK(rig.tags[i] == "A2");
    CHECK(rig.tags[i + 1] == "A3");
    const std::size_t n86 = rig.tags.size() - (i + 2);
    CHECK(std::all_of(rig.tags.begin() + static_cast<std::ptrdiff_t>(i + 2), rig.tags.end(),
                      [](const std::string& t) { return t == "86"; }));
    CHECK(n86 >= (mid == "DEMO" ? 1u : 12u));  // a ~12 KB UPP in segments of at most 1020 bytes
    // ctxParams1 as lpac sends it: {80 matchingId, A1 deviceInfo {80 TAC 35290611, A1 {}}}.
    const auto as = es10::AuthenticateServerRequest::decode(rig.commands.at(2));
    Bytes ctx = tlv::Builder()
                    .add(0x80, ByteView(reinterpret_cast<const std::uint8_t*>(mid.data()), mid.size()))
                    .add(0xA1, tlv::Builder().add(0x80, {0x35, 0x29, 0x06, 0x11}).add(0xA1, ByteView()))
                    .wrap(0xA0);
    CHECK(hx(as.ctxParams1Raw) == hx(ctx));
    CHECK(as.serverSigned1.serverAddress == "127.0.0.1:8443");
}

TEST_CASE("lpa download in-process: refusals carry the SGP.22 codes and leave the eUICC usable") {
    const std::string mid = someProfile();
    Rig rig("nist", ts48Dir());
    // Unknown matchingId: the SM-DP+ refuses authenticateClient with 8.2.6 / 3.8 (SGP.22 §5.6.3).
    const DownloadError e = rig.failedDownload("NO-SUCH-PROFILE");
    CHECK(e.step == "es9p_authenticate_client");
    REQUIRE(e.es9);
    CHECK(e.es9->subjectCode == "8.2.6");
    CHECK(e.es9->reasonCode == "3.8");
    CHECK(e.cancelled);  // on the eUICC; the SM-DP+ ended its session when it refused
    CHECK(rig.smdp->sessions().size() == 0);
    CHECK(rig.profiles().empty());
    // The eUICC's session was cancelled: the next download works.
    CHECK(rig.download(mid).result.data.success);
    CHECK(rig.profiles().size() == 1);
}

TEST_CASE("lpa download in-process: a confirmation code is required, checked, and accepted when right") {
    const std::string mid = someProfile();
    Rig rig("nist", ts48Dir(), std::string("1234"));
    const DownloadError none = rig.failedDownload(mid);
    CHECK(none.step == "es10b_prepare_download");  // smdpSigned2 ccRequiredFlag, and we have none
    CHECK(none.cancelled);
    CHECK(rig.smdp->sessions().size() == 0);  // ES9+ cancelSession reached the SM-DP+
    const DownloadError wrong = rig.failedDownload(mid, "9999");
    CHECK(wrong.step == "es9p_get_bound_profile_package");
    REQUIRE(wrong.es9);
    CHECK(wrong.es9->subjectCode == "8.2.7");
    CHECK(wrong.es9->reasonCode == "3.8");
    CHECK(wrong.cancelled);
    CHECK(rig.profiles().empty());
    CHECK(rig.download(mid, "1234").result.data.success);
    CHECK(rig.profiles().size() == 1);
}

TEST_CASE("lpa download in-process: an activation code's SM-DP+ OID must be CERT.DPauth's") {
    const std::string mid = someProfile();
    Rig rig("nist", ts48Dir());
    DownloadRequest r;
    r.smdpAddress = "127.0.0.1:8443";
    r.matchingId = mid;
    r.smdpOid = "2.999.11";  // the test PKI's DPauth carries RID 2.999.10 (make-test-pki.sh)
    try {
        downloadProfile(*rig.es10c, *rig.es9, r);
        FAIL("a download with another SM-DP+'s OID succeeded");
    } catch (const DownloadError& e) {
        CHECK(e.step == "es10b_authenticate_server");
        CHECK(std::string(e.what()).find("2.999.10") != std::string::npos);
        CHECK(e.cancelled);
        CHECK(rig.smdp->sessions().size() == 0);  // ES9+ cancelSession reached the SM-DP+
    }
    CHECK(rig.profiles().empty());
    r.smdpOid = "2.999.10";
    CHECK(downloadProfile(*rig.es10c, *rig.es9, r).result.data.success);
    CHECK(rig.profiles().size() == 1);
}

TEST_CASE("lpa download in-process: without matchingId, the profile ordered for the EID") {
    // The default SM-DP+ use case (SGP.22 §3.1.3): no matchingId in ctxParams1; the SM-DP+ serves
    // <dir>/by-eid/<EID>.der, found through the EID of the verified CERT.EUICC.
    const auto dir = std::filesystem::temp_directory_path() / ("vpcsc-by-eid-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "by-eid");
    struct Cleanup {
        std::filesystem::path p;
        ~Cleanup() { std::filesystem::remove_all(p); }
    } cleanup{dir};
    Rig rig("nist", dir.string());
    const std::string eid = hx(rig.es10c->getEid());
    REQUIRE(eid.size() == 32);
    {
        const DownloadError e = rig.failedDownload("");
        REQUIRE(e.es9);
        CHECK(e.es9->subjectCode == "8.2.6");  // nothing ordered for this EID yet
        CHECK(e.es9->reasonCode == "3.8");
    }
    const Bytes upp = euicc::saip::demoProfile();
    std::ofstream(dir / "by-eid" / (eid + ".der"), std::ios::binary)
        .write(reinterpret_cast<const char*>(upp.data()), static_cast<std::streamsize>(upp.size()));
    CHECK(rig.failedDownload("by-eid").es9->subjectCode == "8.2.6");  // not reachable as a matchingId
    DownloadRequest r;
    r.smdpAddress = "127.0.0.1:8443";  // no matchingId
    const DownloadResult d = downloadProfile(*rig.es10c, *rig.es9, r);
    REQUIRE(d.result.data.success);
    CHECK(d.metadata.iccid == euicc::saip::iccidOf(upp));
    CHECK(d.metadata.profileName == "default SM-DP+ order");
}
