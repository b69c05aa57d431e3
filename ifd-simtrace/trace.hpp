// Trace records (the READ_TRACE escape, include/vpcsc/simtrace.h), their ring buffer and the
// driver configuration file. Pure code; GSMTAP and pcap encoding are common/gsmtap's.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/gsmtap.hpp"
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

// The configuration file (doc/simtrace.md): "key = value" lines, '#' comments.
//   gsmtap = HOST[:PORT]    send trace records as GSMTAP over UDP (off by default; port 4729)
//   pcap = /PATH/FILE       also append them to this pcap file (GSMTAP in Ethernet/IPv4/UDP)
//   auto_arm = yes|no       arm card-emulation readers at hot-plug (default no)
//   log = error|warning|info|debug|comm
struct Config {
    std::optional<gsmtap::Endpoint> gsmtap;
    std::optional<std::string> pcapPath;
    bool autoArm = false;
    std::optional<log::Level> logLevel;
};
Config parseConfig(const std::string& text);  // throws ParseError naming the line

}  // namespace vpcsc::simtrace
