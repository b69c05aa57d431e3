// Small PC/SC helpers the integration tests script: list, wait, transmit, atr.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench/modes.hpp"
#include "bench/pcsc_client.hpp"

namespace vpcsc::bench {

int toolMode(int argc, char** argv) {
    const std::string mode = argv[0];
    std::string spec = "0";
    long timeoutMs = 5000;
    int c;
    while ((c = getopt(argc, argv, "r:t:")) != -1) {
        switch (c) {
            case 'r': spec = optarg; break;
            case 't': timeoutMs = std::stol(optarg); break;
            default: return 2;
        }
    }
    Context ctx;
    if (mode == "list") {
        for (const auto& r : ctx.readers()) std::printf("%s\n", r.c_str());
        return 0;
    }
    if (mode == "wait") {
        if (optind + 1 != argc) return 2;
        const std::string what = argv[optind];
        const auto timeout = std::chrono::milliseconds(timeoutMs);
        const auto t0 = Clock::now();
        if (!ctx.waitReader(spec, timeout)) {
            std::fprintf(stderr, "wait: no reader '%s' after %ld ms\n", spec.c_str(), timeoutMs);
            return 1;
        }
        if (what == "reader") return 0;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timeout - (Clock::now() - t0));
        const Presence want = what == "present" ? Presence::Present : Presence::Empty;
        if (what != "present" && what != "empty") return 2;
        if (ctx.waitPresence(ctx.resolve(spec), want, std::max(left, std::chrono::milliseconds(1))).time_since_epoch().count())
            return 0;
        std::fprintf(stderr, "wait: reader '%s' not %s after %ld ms\n", spec.c_str(), what.c_str(), timeoutMs);
        return 1;
    }
    if (mode == "transmit" || mode == "atr") {
        Card card(ctx, ctx.resolve(spec));
        if (mode == "atr") {
            std::printf("%s\n", toHex(card.atr()).c_str());
            return 0;
        }
        for (int i = optind; i < argc; ++i) std::printf("%s\n", toHex(card.transmit(fromHex(argv[i]))).c_str());
        return 0;
    }
    std::fprintf(stderr, "vpcsc-bench: unknown mode %s\n", mode.c_str());
    return 2;
}

}  // namespace vpcsc::bench
