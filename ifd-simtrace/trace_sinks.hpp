// Where trace packets go besides the READ_TRACE ring: GSMTAP over UDP and/or a pcap file, both
// encoded by common/gsmtap. One per driver (the registry's), so that every reader of every device
// appends to the same pcap file. Thread-safe: readers emit from their USB worker threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "common/bytes.hpp"
#include "common/gsmtap.hpp"
#include "ifd-simtrace/trace.hpp"

namespace vpcsc::simtrace {

class TraceSinks {
public:
    // Opens what the configuration names; a sink that cannot be opened is logged and left off.
    explicit TraceSinks(const Config& config);
    bool any() const { return m_udp || m_pcap; }
    // One GSMTAP SIM packet (sub-type gsmtap::kSim*); a payload too large for one datagram is
    // logged and dropped, never thrown to the caller.
    void emit(std::uint8_t subType, ByteView payload);

private:
    std::mutex m_mutex;
    std::unique_ptr<gsmtap::UdpSender> m_udp;
    std::unique_ptr<gsmtap::PcapWriter> m_pcap;
};

}  // namespace vpcsc::simtrace
