// DEVICENAME of a reader.conf entry, compatible with vsmartcard's vpcd plus ";key=value" options:
//
//   /dev/null:PORT[;opt...]   server mode: slot i listens on PORT+i (vicc connects to us)
//   HOST:PORT[;opt...]        reversed mode: slot i connects out to a card listening at HOST:PORT+i
//   [IPV6]:PORT[;opt...]      reversed mode with an IPv6 literal, e.g. [::1]:35963
//   anything without ':'      server mode on the default port 0x8C7B (vsmartcard's rule)
//
// One pair of surrounding double quotes is ignored (pcscd passes a quoted DEVICENAME verbatim).
// PORT is decimal or 0x-hex (strtoul base 0), 1..65535. Options:
//   slots=N        slots of this reader, 1..16 (default 2, as vsmartcard's VPCDSLOTS)
//   bind=ADDRESS   numeric listen address in server mode (default 127.0.0.1; ::1 and 0.0.0.0 allowed)
//   timeout=SECS   response timeout per exchange, 1..86400 (default 60)
//   log=LEVEL      driver verbosity: error|warning|info|debug|comm (default info, or $VPCD_LOG_LEVEL)
// Pure: no socket headers (the transport resolves HOST and validates ADDRESS).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/log.hpp"

namespace vpcsc::ifd {

struct DeviceConfig {
    enum class Mode { Server, Reversed };
    Mode mode = Mode::Server;
    std::string host;            // reversed mode: where the card listens
    std::uint16_t port = 0x8C7B; // base port; slot i uses port + i
    unsigned slots = 2;
    std::string bind = "127.0.0.1";
    std::chrono::seconds timeout{60};
    std::optional<log::Level> logLevel;
};

constexpr unsigned kMaxSlots = 16;  // PCSCLITE_MAX_READERS_CONTEXTS in pcsc-lite 1.9.9

// Throws ParseError with a message naming the offending part.
DeviceConfig parseDeviceName(std::string_view deviceName);

// "error".."comm" → level; nullopt for anything else.
std::optional<log::Level> parseLogLevel(std::string_view name);

}  // namespace vpcsc::ifd
