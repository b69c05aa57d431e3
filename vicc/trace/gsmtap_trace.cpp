#include "vicc/trace/gsmtap_trace.hpp"

#include "common/log.hpp"

namespace vpcsc::vicc {

Bytes maskSecretData(ByteView command) {
    Bytes out(command.begin(), command.end());
    if (out.size() <= 5) return out;  // no data field
    switch (out[1]) {
        case 0x20: case 0x21:  // VERIFY, ISO 7816-4 §11.5.6
        case 0x24:             // CHANGE REFERENCE DATA §11.5.7
        case 0x2C:             // RESET RETRY COUNTER §11.5.10
        case 0xD8:             // PUT KEY (GlobalPlatform)
            break;
        default: return out;
    }
    // Short Lc (byte 4 != 00) or extended Lc (00 hi lo): the data field follows.
    std::size_t start = 5, nc = out[4];
    if (out[4] == 0 && out.size() >= 7) {
        start = 7;
        nc = static_cast<std::size_t>(out[5] << 8 | out[6]);
    }
    for (std::size_t i = start; i < out.size() && i < start + nc; ++i) out[i] = 0xFF;
    return out;
}

GsmtapTrace::GsmtapTrace(const std::string& pcapPath, const std::string& gsmtapEndpoint) : m_pcapPath(pcapPath) {
    if (!pcapPath.empty()) m_pcap = std::make_unique<gsmtap::PcapWriter>(pcapPath);
    if (!gsmtapEndpoint.empty()) m_udp = std::make_unique<gsmtap::UdpSender>(gsmtap::parseEndpoint(gsmtapEndpoint));
}

void GsmtapTrace::emit(std::uint8_t subType, ByteView payload) {
    try {
        if (m_pcap) m_pcap->write(subType, payload);
        if (m_udp) m_udp->send(subType, payload);
    } catch (const std::exception& e) {
        LOG_WARNING("trace: %s", e.what());
    }
}

void GsmtapTrace::exchange(ByteView command, ByteView response) {
    emit(gsmtap::kSimApdu, gsmtap::apduPayload(maskSecretData(command), response));
}

void GsmtapTrace::atr(ByteView atr) { emit(gsmtap::kSimAtr, atr); }

std::string GsmtapTrace::describe() const {
    std::string s;
    if (m_pcap) s += "pcap " + m_pcapPath;
    if (m_udp) s += (s.empty() ? "" : ", ") + std::string("GSMTAP to ") + m_udp->describe();
    return s;
}

}  // namespace vpcsc::vicc
