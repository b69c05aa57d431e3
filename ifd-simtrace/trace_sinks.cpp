#include "ifd-simtrace/trace_sinks.hpp"

#include <exception>

#include "common/log.hpp"

namespace vpcsc::simtrace {

TraceSinks::TraceSinks(const Config& config) {
    if (config.gsmtap) {
        try {
            m_udp = std::make_unique<gsmtap::UdpSender>(*config.gsmtap);
        } catch (const std::exception& e) {
            LOG_ERROR("ifd-simtrace: %s (GSMTAP off)", e.what());
        }
    }
    if (config.pcapPath) {
        try {
            m_pcap = std::make_unique<gsmtap::PcapWriter>(*config.pcapPath);
        } catch (const std::exception& e) {
            LOG_ERROR("ifd-simtrace: %s (pcap trace off)", e.what());
        }
    }
}

void TraceSinks::emit(std::uint8_t subType, ByteView payload) {
    std::lock_guard lock(m_mutex);
    try {
        if (m_udp) m_udp->send(subType, payload);
        if (m_pcap) m_pcap->write(subType, payload);
    } catch (const ParseError& e) {
        LOG_WARNING("ifd-simtrace: trace packet dropped: %s", e.what());
    }
}

}  // namespace vpcsc::simtrace
