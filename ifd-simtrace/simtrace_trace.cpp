// simtrace-trace: prints the live trace of a SIMtrace2 reader of ifd-simtrace (trace firmware:
// the sniffed phone<->SIM traffic; cardem: the exchanges with the emulated SIM), like osmocom's
// simtrace2-sniff, but through pcscd: READ_TRACE escapes polled every 100 ms.
//   simtrace-trace [READER-SUBSTRING]    (default: the first reader whose name has "SIMtrace")
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>

#include "ifd-simtrace/st2_protocol.hpp"
#include "ifd-simtrace/trace.hpp"
#include "include/vpcsc/simtrace.h"

using namespace vpcsc;

namespace {

volatile sig_atomic_t g_stop = 0;

const char* typeName(std::uint8_t t) {
    switch (t) {
        case VPCSC_SIMTRACE_REC_ATR: return "ATR";
        case VPCSC_SIMTRACE_REC_PPS: return "PPS";
        case VPCSC_SIMTRACE_REC_TPDU: return "TPDU";
        case VPCSC_SIMTRACE_REC_CHANGE: return "CHANGE";
        case VPCSC_SIMTRACE_REC_FIDI: return "FIDI";
        case VPCSC_SIMTRACE_REC_APDU: return "APDU";
        default: return "?";
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string want = argc > 1 ? argv[1] : "SIMtrace";
    if (want == "-h" || want == "--help") {
        std::printf("usage: simtrace-trace [READER-SUBSTRING]\n");
        return 0;
    }
    ::signal(SIGINT, [](int) { g_stop = 1; });
    ::signal(SIGTERM, [](int) { g_stop = 1; });
    SCARDCONTEXT ctx;
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rc != SCARD_S_SUCCESS) {
        std::fprintf(stderr, "simtrace-trace: %s (is pcscd running?)\n", pcsc_stringify_error(rc));
        return 1;
    }
    DWORD len = 0;
    rc = SCardListReaders(ctx, nullptr, nullptr, &len);
    std::string names(len, '\0');
    if (rc == SCARD_S_SUCCESS) rc = SCardListReaders(ctx, nullptr, names.data(), &len);
    std::string reader;
    for (std::size_t p = 0; rc == SCARD_S_SUCCESS && p < names.size() && names[p];) {
        const std::string n(names.c_str() + p);
        if (n.find(want) != std::string::npos) {
            reader = n;
            break;
        }
        p += n.size() + 1;
    }
    if (reader.empty()) {
        std::fprintf(stderr, "simtrace-trace: no reader matching '%s'\n", want.c_str());
        return 1;
    }
    SCARDHANDLE card;
    DWORD proto;
    rc = SCardConnect(ctx, reader.c_str(), SCARD_SHARE_DIRECT, 0, &card, &proto);
    if (rc != SCARD_S_SUCCESS) {
        std::fprintf(stderr, "simtrace-trace: %s: %s\n", reader.c_str(), pcsc_stringify_error(rc));
        return 1;
    }
    std::printf("# %s\n", reader.c_str());
    std::fflush(stdout);
    Bytes buf(65536);
    while (!g_stop) {
        DWORD n = 0;
        rc = SCardControl(card, VPCSC_SIMTRACE_READ_TRACE, nullptr, 0, buf.data(), static_cast<DWORD>(buf.size()), &n);
        if (rc != SCARD_S_SUCCESS) {
            std::fprintf(stderr, "simtrace-trace: READ_TRACE: %s\n", pcsc_stringify_error(rc));
            break;
        }
        try {
            for (const auto& r : simtrace::decodeRecords(ByteView(buf.data(), std::min<std::size_t>(n, buf.size())))) {
                const std::time_t secs = static_cast<std::time_t>(r.timestampUs / 1000000);
                std::tm tm{};
                localtime_r(&secs, &tm);
                char ts[32];
                std::strftime(ts, sizeof ts, "%H:%M:%S", &tm);
                const std::string flags =
                    r.flags ? " [" + st2::describeFlags(r.flags, st2::MsgClass::Sniff, st2::sniff::TPDU) + "]" : "";
                std::printf("%s.%06u %-6s%s %s\n", ts, static_cast<unsigned>(r.timestampUs % 1000000), typeName(r.type),
                            flags.c_str(), toHex(r.data).c_str());
            }
        } catch (const ParseError& e) {
            std::fprintf(stderr, "simtrace-trace: %s\n", e.what());
        }
        std::fflush(stdout);
        if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx);
    return 0;
}
