// apdu mode: SCardTransmit throughput and latency for a short command and an extended echo APDU.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "bench/modes.hpp"
#include "bench/pcsc_client.hpp"
#include "bench/stats.hpp"

namespace vpcsc::bench {

namespace {

struct Result {
    double perSecond;
    double p50us;
    double p99us;
    long over1ms;  // stalls: transmits slower than 1 ms
};

// Warm-up, then n timed transmits; every answer must equal `expect`.
Result run(Card& card, const Bytes& apdu, const Bytes& expect, int warmup, int n) {
    for (int i = 0; i < warmup; ++i) card.transmit(apdu);
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(n));
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        const Bytes r = card.transmit(apdu);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (r != expect) throw std::runtime_error("unexpected answer: " + toHex(r.size() > 16 ? ByteView(r).last(16) : ByteView(r)));
    }
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const long slow = std::count_if(us.begin(), us.end(), [](double v) { return v > 1000; });
    return {n / secs, percentile(us, 50), percentile(us, 99), slow};
}

Bytes extendedEcho(std::size_t size) {  // case 4E: Lc = Le = size
    Bytes a = {0x80, 0x10, 0x00, 0x00, 0x00};
    appendBe16(a, static_cast<std::uint16_t>(size));
    for (std::size_t i = 0; i < size; ++i) a.push_back(static_cast<std::uint8_t>(i * 7 + 1));
    appendBe16(a, static_cast<std::uint16_t>(size));
    return a;
}

void report(const std::string& label, const std::string& what, int n, const Result& r) {
    std::printf("%s %s n=%d apdus_per_s=%.1f p50_us=%.1f p99_us=%.1f over_1ms=%ld\n", label.c_str(), what.c_str(),
                n, r.perSecond, r.p50us, r.p99us, r.over1ms);
}

}  // namespace

int apduMode(int argc, char** argv) {
    std::string spec = "0", label = "apdu";
    int n = 2000, warmup = 50;
    std::size_t extSize = 4096;
    int c;
    while ((c = getopt(argc, argv, "r:n:w:s:l:")) != -1) {
        switch (c) {
            case 'r': spec = optarg; break;
            case 'n': n = std::stoi(optarg); break;
            case 'w': warmup = std::stoi(optarg); break;
            case 's': extSize = std::stoul(optarg); break;
            case 'l': label = optarg; break;
            default: return 2;
        }
    }
    if (n < 1 || extSize < 1 || extSize > 0xFFF0) return 2;
    Context ctx;
    Card card(ctx, ctx.resolve(spec));

    const Bytes shortCmd = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};  // SELECT MF, no answer data
    const Bytes ext = extendedEcho(extSize);
    Bytes extExpect(ext.begin() + 7, ext.begin() + 7 + static_cast<long>(extSize));
    extExpect.push_back(0x90);
    extExpect.push_back(0x00);
    // The short command's answer depends on echo mode; learn it once, then insist on it.
    const Bytes shortExpect = card.transmit(shortCmd);
    if (shortExpect.size() < 2 || shortExpect[shortExpect.size() - 2] != 0x90)
        throw std::runtime_error("short command answered " + toHex(shortExpect));

    report(label, "short", n, run(card, shortCmd, shortExpect, warmup, n));
    const int nExt = std::max(50, n / 4);
    report(label, "ext" + std::to_string(extSize), nExt, run(card, ext, extExpect, warmup / 5 + 1, nExt));
    return 0;
}

}  // namespace vpcsc::bench
