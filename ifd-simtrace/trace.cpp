#include "ifd-simtrace/trace.hpp"

#include <algorithm>
#include <sstream>

namespace vpcsc::simtrace {

Bytes encodeRecord(const TraceRecord& r) {
    const std::size_t len = std::min<std::size_t>(r.data.size(), 0xFFFF);
    Bytes out;
    out.reserve(kRecordHeader + len);
    out.push_back(r.type);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(r.flags >> (8 * i)));
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(r.timestampUs >> (8 * i)));
    out.push_back(static_cast<std::uint8_t>(len));
    out.push_back(static_cast<std::uint8_t>(len >> 8));
    out.insert(out.end(), r.data.begin(), r.data.begin() + static_cast<long>(len));
    return out;
}

std::vector<TraceRecord> decodeRecords(ByteView data) {
    std::vector<TraceRecord> out;
    std::size_t off = 0;
    while (off < data.size()) {
        if (data.size() - off < kRecordHeader) throw ParseError("trace record header truncated");
        TraceRecord r;
        r.type = data[off];
        for (int i = 0; i < 4; ++i) r.flags |= static_cast<std::uint32_t>(data[off + 1 + i]) << (8 * i);
        for (int i = 0; i < 8; ++i) r.timestampUs |= static_cast<std::uint64_t>(data[off + 5 + i]) << (8 * i);
        const std::size_t len = data[off + 13] | data[off + 14] << 8;
        off += kRecordHeader;
        if (data.size() - off < len) throw ParseError("trace record data truncated");
        r.data.assign(data.begin() + static_cast<long>(off), data.begin() + static_cast<long>(off + len));
        off += len;
        out.push_back(std::move(r));
    }
    return out;
}

void TraceRing::push(TraceRecord r) {
    std::lock_guard lock(m_mutex);
    if (m_records.size() >= m_capacity) {
        m_records.pop_front();
        ++m_dropped;
    }
    m_records.push_back(std::move(r));
}

Bytes TraceRing::take(std::size_t maxBytes, std::size_t maxRecords) {
    std::lock_guard lock(m_mutex);
    Bytes out;
    std::size_t n = 0;
    while (!m_records.empty() && n < maxRecords) {
        const Bytes rec = encodeRecord(m_records.front());
        if (out.size() + rec.size() > maxBytes) break;
        append(out, rec);
        m_records.pop_front();
        ++n;
    }
    return out;
}

std::uint16_t TraceRing::dropped() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::uint16_t>(std::min<std::uint32_t>(m_dropped, 0xFFFF));
}

std::uint64_t nowUs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::optional<log::Level> levelFromName(const std::string& v) {
    if (v == "error") return log::Level::Error;
    if (v == "warning") return log::Level::Warning;
    if (v == "info") return log::Level::Info;
    if (v == "debug") return log::Level::Debug;
    if (v == "comm") return log::Level::Comm;
    return std::nullopt;
}

}  // namespace

Config parseConfig(const std::string& text) {
    Config c;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        line = trim(line);
        if (line.empty()) continue;
        const auto eq = line.find('=');
        const std::string where = "simtrace.conf line " + std::to_string(number) + ": ";
        if (eq == std::string::npos) throw ParseError(where + "expected key = value");
        const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key == "gsmtap") {
            if (value.empty() || value == "off") {
                c.gsmtap.reset();
                continue;
            }
            try {
                c.gsmtap = gsmtap::parseEndpoint(value);
            } catch (const ParseError& e) {
                throw ParseError(where + e.what());
            }
        } else if (key == "pcap") {
            if (value.empty() || value == "off") {
                c.pcapPath.reset();
                continue;
            }
            if (value.front() != '/') throw ParseError(where + "pcap needs an absolute path");
            c.pcapPath = value;
        } else if (key == "auto_arm") {
            if (value == "yes" || value == "1" || value == "true") c.autoArm = true;
            else if (value == "no" || value == "0" || value == "false") c.autoArm = false;
            else throw ParseError(where + "auto_arm must be yes or no");
        } else if (key == "log") {
            c.logLevel = levelFromName(value);
            if (!c.logLevel) throw ParseError(where + "unknown log level '" + value + "'");
        } else {
            throw ParseError(where + "unknown key '" + key + "'");
        }
    }
    return c;
}

}  // namespace vpcsc::simtrace
