#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "common/no_destroy.hpp"

namespace vpcsc::log {
namespace {

std::atomic<Level> g_level{Level::Info};
std::mutex g_sinkMutex;  // guards sink()

// Never destroyed (common/no_destroy.hpp): a driver's threads may still log while pcscd exit()s.
Sink& sink() {
    static NoDestroy<Sink> s;
    return s.get();
}

}  // namespace

const char* levelName(Level l) {
    switch (l) {
        case Level::Error: return "error";
        case Level::Warning: return "warning";
        case Level::Info: return "info";
        case Level::Debug: return "debug";
        case Level::Comm: return "comm";
    }
    return "?";
}

void setSink(Sink newSink) {
    std::lock_guard lock(g_sinkMutex);
    sink() = std::move(newSink);
}

void setLevel(Level l) { g_level = l; }
Level level() { return g_level; }

void write(Level l, std::string_view text) {
    std::lock_guard lock(g_sinkMutex);
    if (const Sink& current = sink()) {
        current(l, text);
        return;
    }
    std::fprintf(stderr, "vpcsc %s: %.*s\n", levelName(l), static_cast<int>(text.size()), text.data());
}

std::string vformat(const char* fmt, va_list ap) {
    char small[512];
    va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) return fmt;
    if (static_cast<size_t>(n) < sizeof small) return std::string(small, static_cast<size_t>(n));
    std::string big(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(big.data(), big.size(), fmt, ap);
    big.resize(static_cast<size_t>(n));
    return big;
}

void printf(Level l, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::string text = vformat(fmt, ap);
    va_end(ap);
    write(l, text);
}

std::string maskCommandApdu(ByteView apdu) {
    if (apdu.size() < 4) return toHex(apdu);
    switch (apdu[1]) {
        case 0x20:  // VERIFY, ISO 7816-4 §11.5.6
        case 0x21:
        case 0x24:  // CHANGE REFERENCE DATA §11.5.7
        case 0x26:  // DISABLE VERIFICATION REQUIREMENT §11.5.8 (GSM 11.11 DISABLE CHV)
        case 0x28:  // ENABLE VERIFICATION REQUIREMENT §11.5.9 (GSM 11.11 ENABLE CHV)
        case 0x2C:  // RESET RETRY COUNTER §11.5.10
        case 0xD8:  // LOAD KEY (GlobalPlatform PUT KEY)
            if (apdu.size() > 5) return toHex(apdu.subspan(0, 5)) + " **";
            break;
        case 0x2A:  // Cryptoflex VERIFY KEY (CLA F0/C0) carries the key; ISO PSO (00/80) does not
            if ((apdu[0] & 0xF0) >= 0xC0 && apdu.size() > 5) return toHex(apdu.subspan(0, 5)) + " **";
            break;
        default: break;
    }
    return toHex(apdu);
}

}  // namespace vpcsc::log
