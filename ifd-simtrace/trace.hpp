// Trace records (the READ_TRACE escape, include/vpcsc/simtrace.h), their ring buffer, GSMTAP
// packets (libosmocore gsmtap.h v2, type SIM) and the driver configuration file. Pure code.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/log.hpp"

namespace vpcsc::simtrace {

struct TraceRecord {
    std::uint8_t type = 0;  // VPCSC_SIMTRACE_REC_*
    std::uint32_t flags = 0;
    std::uint64_t timestampUs = 0;
    Bytes data;
    bool operator==(const TraceRecord&) const = default;
};
constexpr std::size_t kRecordHeader = 1 + 4 + 8 + 2;
Bytes encodeRecord(const TraceRecord& r);  // data is cut to 65,535 bytes
// Decodes concatenated records (for clients and tests); throws ParseError on truncation.
std::vector<TraceRecord> decodeRecords(ByteView data);

class TraceRing {
public:
    explicit TraceRing(std::size_t capacity = 1024) : m_capacity(capacity) {}
    void push(TraceRecord r);
    // Whole records, oldest first, whose encoding fits maxBytes (at most maxRecords); removed.
    Bytes take(std::size_t maxBytes, std::size_t maxRecords = SIZE_MAX);
    std::uint16_t dropped() const;

private:
    mutable std::mutex m_mutex;
    std::deque<TraceRecord> m_records;
    std::size_t m_capacity;
    std::uint32_t m_dropped = 0;
};

std::uint64_t nowUs();

// GSMTAP: 16-byte header (version 2, hdr_len 4 words, type 4 = SIM, sub_type) + payload.
namespace gsmtap {
constexpr std::uint16_t kPort = 4729;
constexpr std::uint8_t kTypeSim = 0x04;
constexpr std::uint8_t kSimApdu = 0x00, kSimAtr = 0x01, kSimPpsReq = 0x02, kSimPpsRsp = 0x03;
Bytes packet(std::uint8_t subType, ByteView payload);
}  // namespace gsmtap

// The configuration file (doc/simtrace.md): "key = value" lines, '#' comments.
//   gsmtap = HOST[:PORT]    send trace records as GSMTAP (off by default; port 4729)
//   auto_arm = yes|no       arm card-emulation readers at hot-plug (default no)
//   log = error|warning|info|debug|comm
struct Config {
    std::optional<std::string> gsmtapHost;
    std::uint16_t gsmtapPort = gsmtap::kPort;
    bool autoArm = false;
    std::optional<log::Level> logLevel;
};
Config parseConfig(const std::string& text);  // throws ParseError naming the line

}  // namespace vpcsc::simtrace
