// script mode: throughput and latency of named command cases against a real card (vicc, vsmartcard's
// Python vicc): each case is a command APDU, optionally preceded by setup APDUs that run once
// (SELECT the file, MANAGE SECURITY ENVIRONMENT ...). Every timed answer must end in 90 00 and
// have the length of the first one (contents may vary: GET CHALLENGE). A case the card does not
// support (a setup or the first answer is not 90 00) is reported as "unsupported", not fatal.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/modes.hpp"
#include "bench/pcsc_client.hpp"
#include "bench/stats.hpp"

namespace vpcsc::bench {
namespace {

struct Case {
    std::string name;
    int n = 0;               // 0: the -n default
    std::vector<Bytes> setup;
    Bytes apdu;
};

// NAME[@N]=[SETUPHEX,...,]APDUHEX
Case parseCase(const std::string& arg) {
    const auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) throw std::runtime_error("case must be NAME[@N]=[SETUP,...,]APDU: " + arg);
    Case c;
    c.name = arg.substr(0, eq);
    if (const auto at = c.name.find('@'); at != std::string::npos) {
        c.n = std::stoi(c.name.substr(at + 1));
        c.name.resize(at);
    }
    std::vector<Bytes> apdus;
    std::size_t pos = eq + 1;
    while (true) {
        const auto comma = arg.find(',', pos);
        apdus.push_back(fromHex(arg.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    c.apdu = apdus.back();
    apdus.pop_back();
    c.setup = std::move(apdus);
    return c;
}

std::string swOf(const Bytes& r) { return r.size() < 2 ? "none" : toHex(ByteView(r).last(2)); }
bool ok(const Bytes& r) { return r.size() >= 2 && r[r.size() - 2] == 0x90 && r.back() == 0x00; }

void runCase(Card& card, const Case& c, const std::string& label, int defaultN, int warmup) {
    for (const Bytes& s : c.setup) {
        const Bytes r = card.transmit(s);
        if (!ok(r)) {
            std::printf("%s %s unsupported setup=%s sw=%s\n", label.c_str(), c.name.c_str(), toHex(s).c_str(), swOf(r).c_str());
            return;
        }
    }
    const Bytes first = card.transmit(c.apdu);
    if (!ok(first)) {
        std::printf("%s %s unsupported sw=%s\n", label.c_str(), c.name.c_str(), swOf(first).c_str());
        return;
    }
    const int n = c.n > 0 ? c.n : defaultN;
    for (int i = 0; i < std::min(warmup, n); ++i) card.transmit(c.apdu);
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(n));
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        const Bytes r = card.transmit(c.apdu);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!ok(r) || r.size() != first.size())
            throw std::runtime_error(c.name + ": answer of " + std::to_string(r.size()) + " bytes, SW " + swOf(r) +
                                     " (first was " + std::to_string(first.size()) + " bytes)");
    }
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const long slow = std::count_if(us.begin(), us.end(), [](double v) { return v > 1000; });
    std::printf("%s %s n=%d apdus_per_s=%.1f p50_us=%.1f p99_us=%.1f over_1ms=%ld rsp_bytes=%zu\n", label.c_str(),
                c.name.c_str(), n, n / secs, percentile(us, 50), percentile(us, 99), slow, first.size());
}

}  // namespace

int scriptMode(int argc, char** argv) {
    std::string spec = "0", label = "script";
    int n = 1000, warmup = 20;
    int opt;
    while ((opt = getopt(argc, argv, "r:n:w:l:")) != -1) {
        switch (opt) {
            case 'r': spec = optarg; break;
            case 'n': n = std::stoi(optarg); break;
            case 'w': warmup = std::stoi(optarg); break;
            case 'l': label = optarg; break;
            default: return 2;
        }
    }
    if (n < 1 || optind >= argc) return 2;
    std::vector<Case> cases;
    for (int i = optind; i < argc; ++i) cases.push_back(parseCase(argv[i]));
    Context ctx;
    Card card(ctx, ctx.resolve(spec));
    for (const Case& c : cases) runCase(card, c, label, n, warmup);
    return 0;
}

}  // namespace vpcsc::bench
