#include "ifd-simtrace/pcscd_log.hpp"

#include "common/log.hpp"

// Exported by pcscd (debuglog.c); weak and default-visible so that it resolves at dlopen time.
extern "C" void log_msg(const int priority, const char* fmt, ...)
    __attribute__((weak, visibility("default"), format(printf, 2, 3)));

namespace vpcsc::simtrace {

void installPcscdLogSink() {
    if (log_msg == nullptr) return;
    log::setSink([](log::Level level, std::string_view text) {
        // debuglog.h: PCSC_LOG_DEBUG 0, PCSC_LOG_INFO 1, PCSC_LOG_ERROR 2
        const int priority = level <= log::Level::Warning ? 2 : level == log::Level::Info ? 1 : 0;
        log_msg(priority, "ifd-simtrace %s: %.*s", log::levelName(level), static_cast<int>(text.size()), text.data());
    });
}

}  // namespace vpcsc::simtrace
