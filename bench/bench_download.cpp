// vpcsc-bench-download: the time of one complete profile download (SGP.22 §3.1.3) on NIST P-256 and
// brainpoolP256r1, in two set-ups that share everything but the ES9+ transport:
//   in-process  the LPA core (lpa/) → vicc's EuiccCard APDUs, and → the SM-DP+ through handleEs9
//   https       the same, but the SM-DP+ is vicc-smdpp's HTTPS server (cpp-httplib, TLS on DPtls) on
//               127.0.0.1 in a thread, each ES9+ call a new TLS connection verified against the CI
// Each download: GetEUICCChallenge .. LoadBoundProfilePackage (BF37); the profile is deleted and its
// notifications dropped between downloads, outside the timing. The report splits each download into
// the eUICC's time (ES10: APDUs through EuiccCard::process), the SM-DP+'s (ES9+ requests, including
// TLS) and the LPA's own work, as measured in the download whose total is the median.
//
// usage: vpcsc-bench-download PKIDIR [N] [UPP.der]   (PKIDIR holds nist/ and brp/; N downloads per
//        curve and set-up, default 20; without a UPP the built-in DEMO profile)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/stats.hpp"
#include "common/log.hpp"
#include "lpa/download.hpp"
#include "lpa/es10_channel.hpp"
#include "lpa/es10_client.hpp"
#include "lpa/es9_transport.hpp"
#include "lpa/inprocess_es9.hpp"
#include "smdpp/http_server.hpp"
#include "smdpp/smdp.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/saip/saip.hpp"

using namespace vpcsc;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Transports that add up the time spent on the other side.
struct TimedApdu : lpa::ApduTransport {
    explicit TimedApdu(vicc::Card& c) : card(c) {}
    Bytes transmit(ByteView apdu) override {
        const auto t0 = Clock::now();
        Bytes r = card.process(apdu);
        spent += Clock::now() - t0;
        ++count;
        bytes += apdu.size();
        return r;
    }
    vicc::Card& card;
    Clock::duration spent{};
    std::size_t count = 0, bytes = 0;
};

struct TimedEs9 : lpa::Es9Transport {
    explicit TimedEs9(lpa::Es9Transport& t) : inner(t) {}
    lpa::HttpResult post(const std::string& a, const std::string& f, const std::string& b) override {
        const auto t0 = Clock::now();
        lpa::HttpResult r = inner.post(a, f, b);
        spent += Clock::now() - t0;
        ++count;
        return r;
    }
    lpa::Es9Transport& inner;
    Clock::duration spent{};
    std::size_t count = 0;
};

struct Sample {
    std::vector<double> total, card, smdp, lpa;
    std::size_t apdus = 0, apduBytes = 0, requests = 0;
};

Sample run(const std::string& pki, const std::string& matchingId, const std::string& profileDir, bool https,
           int n) {
    const std::string curveDir = pki;
    euicc::EuiccCard card(euicc::EuiccIdentity::fromPkiDirectory(curveDir));
    card.powerOn();
    smdpp::ProfileDirectory profiles(profileDir);
    profiles.setDemoSource([] { return euicc::saip::demoProfile(); });
    smdpp::Smdp smdp(smdpp::SmdpConfig{}, smdpp::Credentials::fromDirectory(curveDir), std::move(profiles));

    std::unique_ptr<smdpp::Es9Server> server;
    std::thread serving;
    std::unique_ptr<lpa::Es9Transport> http;
    std::string address = smdp.config().address;
    if (https) {
        smdpp::ServerOptions so;
        so.port = 0;
        server = std::make_unique<smdpp::Es9Server>(smdp, so);
        address = "127.0.0.1:" + std::to_string(server->bind());
        smdp.setAddress(address);
        serving = std::thread([&] { server->run(); });
        lpa::HttpsOptions ho;
        ho.caFiles = {curveDir + "/ci.pem"};
        http = std::make_unique<lpa::HttpsEs9Transport>(ho);
    } else {
        http = std::make_unique<lpa::InProcessEs9>(smdp);
    }

    Sample s;
    for (int i = 0; i < n + 1; ++i) {  // the first is a warm-up
        TimedApdu apdu(card);
        TimedEs9 es9http(*http);
        Bytes iccid;
        Clock::duration total{};
        {
            lpa::Es10Channel ch(apdu);
            lpa::Es10Client es10(ch);
            lpa::Es9Client es9(es9http, address);
            lpa::DownloadRequest req;
            req.smdpAddress = address;
            req.matchingId = matchingId;
            apdu.spent = {};
            const auto t0 = Clock::now();
            const lpa::DownloadResult r = lpa::downloadProfile(es10, es9, req);
            total = Clock::now() - t0;
            iccid = r.metadata.iccid;
            // Outside the timing: back to an empty eUICC.
            const std::size_t apdus = apdu.count, bytes = apdu.bytes;
            const auto cardTime = apdu.spent;
            es10.deleteProfile(euicc::es10::ProfileIdentifier::iccid(iccid));
            for (const auto& nt : es10.listNotification().notifications) es10.removeNotification(nt.seqNumber);
            if (i == 0) continue;
            s.total.push_back(ms(total));
            s.card.push_back(ms(cardTime));
            s.smdp.push_back(ms(es9http.spent));
            s.lpa.push_back(ms(total - cardTime - es9http.spent));
            s.apdus = apdus;
            s.apduBytes = bytes;
            s.requests = es9http.count;
        }
    }
    if (server) {
        server->stop();
        serving.join();
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: vpcsc-bench-download PKIDIR [N] [UPP.der]\n");
        return 2;
    }
    log::setLevel(log::Level::Error);
    const std::string pki = argv[1];
    const int n = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
    std::string matchingId = "DEMO", profileDir, label = "built-in DEMO";
    std::size_t uppSize = euicc::saip::demoProfile().size();
    if (argc > 3) {
        const std::string path = argv[3];
        const auto slash = path.find_last_of('/');
        profileDir = slash == std::string::npos ? "." : path.substr(0, slash);
        const std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
        matchingId = file.substr(0, file.rfind(".der"));
        std::ifstream in(path, std::ios::binary);
        uppSize = Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()).size();
        label = matchingId;
    }
    try {
        std::printf("download bench: profile %s (UPP %zu bytes), %d downloads per curve and set-up (+1 warm-up)\n",
                    label.c_str(), uppSize, n);
        std::printf("%-6s %-11s %9s %9s %9s | %9s %9s %9s | %s\n", "curve", "set-up", "p50 ms", "p90 ms", "min ms",
                    "eUICC ms", "SM-DP+ ms", "LPA ms", "APDUs (bytes) / ES9+ requests");
        for (const char* curve : {"nist", "brp"}) {
            for (bool https : {false, true}) {
                const Sample s = run(pki + "/" + curve, matchingId, profileDir, https, n);
                // The parts of the median download (so that they add up to its total).
                std::vector<std::size_t> order(s.total.size());
                for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
                std::sort(order.begin(), order.end(), [&](auto a, auto b) { return s.total[a] < s.total[b]; });
                const std::size_t m = order[order.size() / 2];
                const double p50 = s.total[m];
                std::printf("%-6s %-11s %9.2f %9.2f %9.2f | %9.2f %9.2f %9.2f | %zu (%zu) / %zu\n", curve,
                            https ? "https" : "in-process", p50, bench::percentile(s.total, 90),
                            bench::percentile(s.total, 0), s.card[m], s.smdp[m], s.lpa[m], s.apdus,
                            s.apduBytes, s.requests);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vpcsc-bench-download: %s\n", e.what());
        return 1;
    }
    return 0;
}
