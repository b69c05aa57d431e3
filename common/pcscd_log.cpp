#include "common/pcscd_log.hpp"

#include "common/log.hpp"

// Exported by pcscd (debuglog.c). Weak and default-visible: resolved at dlopen time when the host
// process provides it, null otherwise (a hidden undefined weak symbol would always be null).
extern "C" void log_msg(const int priority, const char* fmt, ...)
    __attribute__((weak, visibility("default"), format(printf, 2, 3)));

namespace vpcsc::log {
namespace {

// debuglog.h: PCSC_LOG_DEBUG 0, PCSC_LOG_INFO 1, PCSC_LOG_ERROR 2, PCSC_LOG_CRITICAL 3.
int pcscdPriority(Level level) {
    switch (level) {
        case Level::Error: return 2;
        case Level::Warning: return 2;  // pcscd has no warning level; keep them visible
        case Level::Info: return 1;
        case Level::Debug:
        case Level::Comm: return 0;
    }
    return 1;
}

}  // namespace

void installPcscdSink(const char* driverName) {
    if (log_msg == nullptr) return;  // not inside pcscd: keep the stderr sink
    setSink([driverName](Level level, std::string_view text) {
        log_msg(pcscdPriority(level), "%s %s: %.*s", driverName, levelName(level), static_cast<int>(text.size()),
                text.data());
    });
}

}  // namespace vpcsc::log
