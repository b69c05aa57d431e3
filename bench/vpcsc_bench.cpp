// vpcsc-bench: measures a PC/SC reader through libpcsclite (see modes.hpp).
#include <cstdio>
#include <cstring>
#include <exception>

#include "bench/modes.hpp"

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help")) {
        std::fprintf(argc < 2 ? stderr : stdout,
                     "usage: vpcsc-bench apdu     -r READER [-n N] [-w WARMUP] [-s EXTSIZE] [-l LABEL]\n"
                     "       vpcsc-bench presence -r READER [-c CYCLES] [-p MAXPHASE_MS] [-l LABEL] -- CMD...\n"
                     "       vpcsc-bench script   -r READER [-n N] [-w WARMUP] [-l LABEL] NAME[@N]=[SETUPHEX,...,]APDUHEX...\n"
                     "       vpcsc-bench list\n"
                     "       vpcsc-bench wait     -r READER [-t MS] reader|present|empty\n"
                     "       vpcsc-bench transmit -r READER APDUHEX...\n"
                     "       vpcsc-bench atr      -r READER\n"
                     "READER: an index, an exact reader name or a unique part of one.\n");
        return argc < 2 ? 2 : 0;
    }
    const char* mode = argv[1];
    try {
        if (!std::strcmp(mode, "apdu")) return vpcsc::bench::apduMode(argc - 1, argv + 1);
        if (!std::strcmp(mode, "script")) return vpcsc::bench::scriptMode(argc - 1, argv + 1);
        if (!std::strcmp(mode, "presence")) return vpcsc::bench::presenceMode(argc - 1, argv + 1);
        return vpcsc::bench::toolMode(argc - 1, argv + 1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vpcsc-bench %s: %s\n", mode, e.what());
        return 1;
    }
}
