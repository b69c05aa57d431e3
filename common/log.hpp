// Levelled logging. APDU dumps only at Level::Comm, and always through maskApdu() so that
// PINs and keys never reach a log (DESIGN.md, style 10).
#pragma once

#include <cstdarg>
#include <functional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::log {

enum class Level { Error = 0, Warning = 1, Info = 2, Debug = 3, Comm = 4 };

// Where lines go. The default sink writes "vpcsc <level>: <text>" to stderr.
using Sink = std::function<void(Level, std::string_view)>;
void setSink(Sink sink);
void setLevel(Level level);
Level level();
inline bool enabled(Level l) { return static_cast<int>(l) <= static_cast<int>(level()); }

void write(Level level, std::string_view text);
void printf(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
std::string vformat(const char* fmt, va_list ap);
const char* levelName(Level level);

// Hex of a command APDU with the data field of VERIFY, CHANGE REFERENCE DATA, RESET RETRY
// COUNTER (INS 20/21/24/2C) and of key-loading commands replaced by "**".
std::string maskCommandApdu(ByteView apdu);

}  // namespace vpcsc::log

#define VPCSC_LOG(lvl, ...)                                                          \
    do {                                                                             \
        if (::vpcsc::log::enabled(lvl)) ::vpcsc::log::printf((lvl), __VA_ARGS__);    \
    } while (0)
#define LOG_ERROR(...) VPCSC_LOG(::vpcsc::log::Level::Error, __VA_ARGS__)
#define LOG_WARNING(...) VPCSC_LOG(::vpcsc::log::Level::Warning, __VA_ARGS__)
#define LOG_INFO(...) VPCSC_LOG(::vpcsc::log::Level::Info, __VA_ARGS__)
#define LOG_DEBUG(...) VPCSC_LOG(::vpcsc::log::Level::Debug, __VA_ARGS__)
#define LOG_COMM(...) VPCSC_LOG(::vpcsc::log::Level::Comm, __VA_ARGS__)
