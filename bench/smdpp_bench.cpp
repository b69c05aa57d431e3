// smdpp-bench: requests/s of vicc-smdpp under N concurrent RSP sessions (issue 7 item 7). Starts
// the built vicc-smdpp as its own process (HTTPS on a free loopback port, the build tree's test PKI
// of each curve), then N client threads each run initiateAuthentication + authenticateClient pairs
// for a fixed time over one kept-alive TLS connection, with a software eUICC (the PKI's euicc.key)
// signing euiccSigned1; a last run opens a new TLS connection per request, as a plain curl LPA does.
// Prints one line per point and a table. Clients and server share this machine's cores.
//
//   smdpp-bench [--server PATH] [--pki-root DIR] [--curves nist,brp] [--sessions 1,4,16] [--seconds S]
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "smdpp/es9p.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/euicc_card.hpp"
#include "vicc/euicc/identity.hpp"
#include "vicc/euicc/signature.hpp"

namespace {

using namespace vpcsc;
using namespace vpcsc::smdpp;
using Clock = std::chrono::steady_clock;
namespace es10 = euicc::es10;

const std::string kAddress = "bench.smdp.example";

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        return -1;
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

bool canConnect(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// vicc-smdpp as a child process; stopped with SIGTERM by its pid.
struct ServerProcess {
    pid_t pid = -1;
    int port = -1;
    ServerProcess(const std::string& binary, const std::string& pki) {
        port = freePort();
        const std::string portText = std::to_string(port);
        pid = ::fork();
        if (pid == 0) {
            std::freopen("/dev/null", "w", stderr);  // one log line per request: not part of the measurement
            ::execl(binary.c_str(), binary.c_str(), "-H", "127.0.0.1", "-p", portText.c_str(), "--pki", pki.c_str(), "--address",
                    kAddress.c_str(), "--threads", "32", static_cast<char*>(nullptr));
            std::_Exit(127);
        }
        for (int i = 0; i < 200 && !canConnect(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
        if (!canConnect(port)) throw std::runtime_error("vicc-smdpp did not start (" + binary + ")");
    }
    ~ServerProcess() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

// CPU seconds (user + system) the process has used so far (/proc/PID/stat fields 14, 15).
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stoull(f);
        if (i == 15) stime = std::stoull(f);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// One software eUICC: what an LPA + eUICC send in the first two ES9+ calls.
struct Client {
    const euicc::EuiccIdentity& id;
    Bytes info1, info2, ctx;
    explicit Client(const euicc::EuiccIdentity& identity) : id(identity) {
        euicc::EuiccCard card(id);
        info1 = card.euiccInfo1().encode();
        info2 = card.euiccInfo2().encode();
        es10::CtxParams1 c;
        c.matchingId = "DEMO";
        c.deviceInfo.tac = fromHex("35290611");
        ctx = c.encode();
    }
    // One pair; false on any failure.
    bool pair(httplib::Client& cli) {
        const httplib::Headers hd{{"X-Admin-Protocol", "gsma/rsp/v2.2.0"}};
        const Bytes challenge = vicc::crypto::randomBytes(16);
        auto r1 = cli.Post(std::string(es9p::kPathInitiateAuthentication).c_str(), hd,
                           es9p::InitiateAuthenticationRequest{challenge, info1, kAddress}.encode(), "application/json");
        if (!r1 || r1->status != 200) return false;
        const auto ia = es9p::InitiateAuthenticationResponse::decode(r1->body);
        if (!ia.status.ok()) return false;
        const auto s1 = es10::ServerSigned1::decode(ia.serverSigned1);
        es10::EuiccSigned1 e1{s1.transactionId, s1.serverAddress, s1.serverChallenge, info2, ctx};
        es10::AuthenticateServerResponse asr;
        const Bytes raw = e1.encode();
        asr.ok = es10::AuthenticateServerResponse::Ok{raw, e1, euicc::rspSign(id.key.get(), raw), id.euiccCertificate, id.eumCertificate};
        auto r2 = cli.Post(std::string(es9p::kPathAuthenticateClient).c_str(), hd,
                           es9p::AuthenticateClientRequest{ia.transactionId, asr.encode()}.encode(), "application/json");
        if (!r2 || r2->status != 200) return false;
        return es9p::AuthenticateClientResponse::decode(r2->body).status.ok();
    }
};

struct Point {
    std::string curve;
    int sessions = 0;
    bool reconnect = false;
    std::size_t pairs = 0, failures = 0;
    double seconds = 0, p50 = 0, p99 = 0;  // pair latency, ms
    double serverCpu = 0;                  // the server's CPU seconds during the point
    double requestsPerSecond() const { return 2.0 * static_cast<double>(pairs) / seconds; }
    double cpuMsPerPair() const { return pairs ? 1000.0 * serverCpu / static_cast<double>(pairs) : 0; }
};

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Point measure(const std::string& curve, const ServerProcess& server, const euicc::EuiccIdentity& id, int sessions, double seconds,
              bool reconnect) {
    Point p{curve, sessions, reconnect};
    const int port = server.port;
    const double cpu0 = cpuSeconds(server.pid);
    std::mutex m;
    std::vector<double> latencies;
    std::atomic<std::size_t> failures{0};
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int t = 0; t < sessions; ++t) {
        threads.emplace_back([&] {
            Client client(id);
            std::vector<double> mine;
            auto connect = [&] {
                auto c = std::make_unique<httplib::Client>("https://localhost:" + std::to_string(port));
                c->enable_server_certificate_verification(false);  // as lpac; the tests check TLS
                c->set_keep_alive(!reconnect);
                c->set_tcp_nodelay(true);
                return c;
            };
            auto cli = connect();
            while (Clock::now() < deadline) {
                const auto t0 = Clock::now();
                bool ok = false;
                try {
                    ok = client.pair(*cli);
                } catch (const std::exception&) {
                }
                if (ok)
                    mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                else
                    ++failures;
                if (reconnect || !ok) cli = connect();
            }
            std::lock_guard lock(m);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    }
    for (auto& t : threads) t.join();
    p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    p.serverCpu = cpuSeconds(server.pid) - cpu0;
    p.pairs = latencies.size();
    p.failures = failures;
    p.p50 = percentile(latencies, 0.50);
    p.p99 = percentile(latencies, 0.99);
    return p;
}

std::vector<int> parseList(const std::string& s) {
    std::vector<int> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"smdpp-bench: requests/s of vicc-smdpp under concurrent sessions"};
    const char* top = std::getenv("top_builddir");
    std::string server = std::string(top ? top : ".") + "/smdpp/vicc-smdpp";
    std::string pkiRoot = std::string(top ? top : ".") + "/vicc/euicc/pki";
    std::string curves = "nist,brp", sessionList = "1,4,16";
    double seconds = 3;
    app.add_option("--server", server, "vicc-smdpp binary")->capture_default_str();
    app.add_option("--pki-root", pkiRoot, "test PKI root with nist/ and brp/")->capture_default_str();
    app.add_option("--curves", curves, "curves to measure")->capture_default_str();
    app.add_option("--sessions", sessionList, "concurrent sessions per point")->capture_default_str();
    app.add_option("--seconds", seconds, "duration of each point")->capture_default_str()->check(CLI::Range(0.1, 600.0));
    CLI11_PARSE(app, argc, argv);
    ::signal(SIGPIPE, SIG_IGN);

    std::vector<Point> points;
    try {
        std::stringstream in(curves);
        for (std::string curve; std::getline(in, curve, ',');) {
            const auto id = euicc::EuiccIdentity::fromPkiDirectory(pkiRoot + "/" + curve);
            ServerProcess proc(server, pkiRoot + "/" + curve);
            measure(curve, proc, id, 1, std::min(seconds, 0.5), false);  // warm-up
            auto report = [&](const Point& p) {
                std::printf("smdpp %-4s sessions=%-3d %-10s pairs=%-6zu failures=%zu  %7.1f requests/s  pair p50 %6.2f ms  p99 %6.2f ms"
                            "  server CPU %.2f ms/pair\n",
                            p.curve.c_str(), p.sessions, p.reconnect ? "new-conn" : "keep-alive", p.pairs, p.failures,
                            p.requestsPerSecond(), p.p50, p.p99, p.cpuMsPerPair());
                std::fflush(stdout);
                points.push_back(p);
            };
            for (int n : parseList(sessionList)) report(measure(curve, proc, id, n, seconds, false));
            report(measure(curve, proc, id, parseList(sessionList).back(), seconds, true));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "smdpp-bench: %s\n", e.what());
        return 1;
    }
    std::printf("\nvicc-smdpp, initiateAuthentication + authenticateClient pairs (DEMO), %u cores shared with the clients\n",
                std::thread::hardware_concurrency());
    std::printf("(p50/p99: latency of one pair; CPU: the server's user+system time per pair)\n");
    std::printf("%-6s %-9s %-11s %12s %10s %10s %12s\n", "curve", "sessions", "connection", "requests/s", "p50 ms", "p99 ms", "CPU ms/pair");
    for (const Point& p : points)
        std::printf("%-6s %-9d %-11s %12.1f %10.2f %10.2f %12.2f\n", p.curve.c_str(), p.sessions, p.reconnect ? "new" : "keep-alive",
                    p.requestsPerSecond(), p.p50, p.p99, p.cpuMsPerPair());
    const bool anyFailure = std::any_of(points.begin(), points.end(), [](const Point& p) { return p.failures > 0 || p.pairs == 0; });
    return anyFailure ? 1 : 0;
}
