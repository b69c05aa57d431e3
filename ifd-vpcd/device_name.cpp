#include "ifd-vpcd/device_name.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::ifd {
namespace {

constexpr std::string_view kServerHost = "/dev/null";  // vsmartcard's marker for server mode

// strtoul(base 0) over the whole text, within [lo, hi].
unsigned long parseNumber(std::string_view what, std::string_view text, unsigned long lo, unsigned long hi) {
    const std::string s(text);
    if (s.empty() || s[0] == '-' || s[0] == '+' || s[0] == ' ')
        throw ParseError("DEVICENAME: bad " + std::string(what) + " '" + s + "'");
    errno = 0;
    char* end = nullptr;
    const unsigned long v = std::strtoul(s.c_str(), &end, 0);
    if (errno != 0 || end != s.c_str() + s.size())
        throw ParseError("DEVICENAME: bad " + std::string(what) + " '" + s + "'");
    if (v < lo || v > hi)
        throw ParseError("DEVICENAME: " + std::string(what) + " " + s + " out of range " + std::to_string(lo) +
                         ".." + std::to_string(hi));
    return v;
}

void applyOption(DeviceConfig& cfg, std::string_view opt) {
    const auto eq = opt.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw ParseError("DEVICENAME: option '" + std::string(opt) + "' is not key=value");
    const std::string_view key = opt.substr(0, eq), value = opt.substr(eq + 1);
    if (key == "slots") {
        cfg.slots = static_cast<unsigned>(parseNumber("slots", value, 1, kMaxSlots));
    } else if (key == "bind") {
        if (value.empty()) throw ParseError("DEVICENAME: empty bind address");
        cfg.bind = std::string(value);
    } else if (key == "timeout") {
        cfg.timeout = std::chrono::seconds(parseNumber("timeout", value, 1, 86400));
    } else if (key == "log") {
        cfg.logLevel = parseLogLevel(value);
        if (!cfg.logLevel) throw ParseError("DEVICENAME: unknown log level '" + std::string(value) + "'");
    } else {
        throw ParseError("DEVICENAME: unknown option '" + std::string(key) +
                         "' (known: slots, bind, timeout, log)");
    }
}

void parseAddress(DeviceConfig& cfg, std::string_view addr) {
    if (!addr.empty() && addr.front() == '[') {  // [IPv6]:PORT, always reversed mode
        const auto close = addr.find(']');
        if (close == std::string_view::npos) throw ParseError("DEVICENAME: missing ']' in '" + std::string(addr) + "'");
        cfg.host = std::string(addr.substr(1, close - 1));
        if (cfg.host.empty()) throw ParseError("DEVICENAME: empty host in '" + std::string(addr) + "'");
        cfg.mode = DeviceConfig::Mode::Reversed;
        const std::string_view rest = addr.substr(close + 1);
        if (rest.empty()) return;
        if (rest.front() != ':') throw ParseError("DEVICENAME: expected ':PORT' after ']' in '" + std::string(addr) + "'");
        cfg.port = static_cast<std::uint16_t>(parseNumber("port", rest.substr(1), 1, 65535));
        return;
    }
    const auto colon = addr.find(':');
    if (colon == std::string_view::npos) return;  // vsmartcard: no ':' → server mode, default port
    const std::string_view host = addr.substr(0, colon);
    cfg.port = static_cast<std::uint16_t>(parseNumber("port", addr.substr(colon + 1), 1, 65535));
    if (host == kServerHost) return;
    if (host.empty())
        throw ParseError("DEVICENAME: empty host in '" + std::string(addr) +
                         "' (write an IPv6 host in brackets: [::1]:PORT)");
    cfg.mode = DeviceConfig::Mode::Reversed;
    cfg.host = std::string(host);
}

}  // namespace

std::optional<log::Level> parseLogLevel(std::string_view name) {
    if (name == "error") return log::Level::Error;
    if (name == "warning") return log::Level::Warning;
    if (name == "info") return log::Level::Info;
    if (name == "debug") return log::Level::Debug;
    if (name == "comm") return log::Level::Comm;
    return std::nullopt;
}

DeviceConfig parseDeviceName(std::string_view deviceName) {
    // pcscd 1.9.9's reader.conf lexer strips quotes around FRIENDLYNAME only; a quoted DEVICENAME
    // (needed by nobody, but natural to write) reaches us with its quotes.
    if (deviceName.size() >= 2 && deviceName.front() == '"' && deviceName.back() == '"')
        deviceName = deviceName.substr(1, deviceName.size() - 2);
    DeviceConfig cfg;
    const auto semi = deviceName.find(';');
    parseAddress(cfg, deviceName.substr(0, semi));
    if (semi != std::string_view::npos) {
        std::string_view rest = deviceName.substr(semi + 1);
        while (true) {
            const auto next = rest.find(';');
            applyOption(cfg, rest.substr(0, next));
            if (next == std::string_view::npos) break;
            rest = rest.substr(next + 1);
        }
    }
    if (cfg.mode == DeviceConfig::Mode::Reversed && cfg.bind != DeviceConfig{}.bind)
        throw ParseError("DEVICENAME: bind= applies to server mode (/dev/null:PORT) only");
    if (static_cast<unsigned>(cfg.port) + cfg.slots - 1 > 65535)
        throw ParseError("DEVICENAME: port " + std::to_string(cfg.port) + " + " + std::to_string(cfg.slots) +
                         " slots exceeds 65535");
    return cfg;
}

}  // namespace vpcsc::ifd
