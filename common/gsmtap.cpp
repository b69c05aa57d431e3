#include "common/gsmtap.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "common/log.hpp"

namespace vpcsc::gsmtap {
namespace {

void appendBe32(Bytes& out, std::uint32_t v) {
    appendBe16(out, static_cast<std::uint16_t>(v >> 16));
    appendBe16(out, static_cast<std::uint16_t>(v));
}

void appendLe16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

void appendLe32(Bytes& out, std::uint32_t v) {
    appendLe16(out, static_cast<std::uint16_t>(v));
    appendLe16(out, static_cast<std::uint16_t>(v >> 16));
}

std::uint32_t sum16(ByteView data, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    if (data.size() % 2) sum += static_cast<std::uint32_t>(data.back() << 8);
    return sum;
}

std::uint16_t fold(std::uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

std::uint64_t nowMicros() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
}

constexpr std::uint32_t kLoopback = 0x7F000001;

}  // namespace

Bytes header(std::uint8_t type, std::uint8_t subType) {
    return Bytes{kVersion, kHeaderSize / 4, type, 0,  // version, hdr_len (words), type, timeslot
                 0,        0,               // arfcn
                 0,        0,               // signal_dbm, snr_db
                 0,        0,               0, 0,  // frame_number
                 subType,  0,               0, 0};  // sub_type, antenna_nr, sub_slot, res
}

Bytes simPacket(std::uint8_t subType, ByteView payload) {
    if (payload.size() > kMaxPayload) throw ParseError("GSMTAP payload of " + std::to_string(payload.size()) + " bytes exceeds one UDP datagram");
    Bytes out = header(kTypeSim, subType);
    append(out, payload);
    return out;
}

Bytes apduPayload(ByteView command, ByteView response) {
    Bytes out(command.begin(), command.begin() + static_cast<std::ptrdiff_t>(std::min(command.size(), kMaxPayload)));
    const std::size_t room = kMaxPayload - out.size();
    out.insert(out.end(), response.begin(), response.begin() + static_cast<std::ptrdiff_t>(std::min(response.size(), room)));
    return out;
}

std::uint16_t internetChecksum(ByteView data) { return fold(sum16(data)); }

Bytes ipv4Udp(ByteView udpPayload, std::uint32_t srcAddr, std::uint32_t dstAddr, std::uint16_t srcPort,
              std::uint16_t dstPort, std::uint16_t id) {
    const std::size_t udpLen = 8 + udpPayload.size();
    const std::size_t totalLen = 20 + udpLen;
    if (totalLen > 0xFFFF) throw ParseError("IPv4 datagram of " + std::to_string(totalLen) + " bytes");
    Bytes out;
    out.reserve(totalLen);
    out.push_back(0x45);  // version 4, IHL 5 words
    out.push_back(0);     // DSCP/ECN
    appendBe16(out, static_cast<std::uint16_t>(totalLen));
    appendBe16(out, id);
    appendBe16(out, 0x4000);  // DF, fragment offset 0
    out.push_back(64);        // TTL
    out.push_back(17);        // UDP
    appendBe16(out, 0);       // header checksum, filled in below
    appendBe32(out, srcAddr);
    appendBe32(out, dstAddr);
    const std::uint16_t ipSum = internetChecksum(ByteView(out).subspan(0, 20));
    out[10] = static_cast<std::uint8_t>(ipSum >> 8);
    out[11] = static_cast<std::uint8_t>(ipSum);
    appendBe16(out, srcPort);
    appendBe16(out, dstPort);
    appendBe16(out, static_cast<std::uint16_t>(udpLen));
    appendBe16(out, 0);  // checksum, filled in below
    append(out, udpPayload);
    // RFC 768: pseudo header (src, dst, zero, protocol, UDP length) + UDP header + data.
    Bytes pseudo;
    appendBe32(pseudo, srcAddr);
    appendBe32(pseudo, dstAddr);
    appendBe16(pseudo, 17);
    appendBe16(pseudo, static_cast<std::uint16_t>(udpLen));
    std::uint16_t udpSum = fold(sum16(ByteView(out).subspan(20), sum16(pseudo)));
    if (udpSum == 0) udpSum = 0xFFFF;  // 0 means "no checksum"
    out[26] = static_cast<std::uint8_t>(udpSum >> 8);
    out[27] = static_cast<std::uint8_t>(udpSum);
    return out;
}

Bytes ethernetIpv4(ByteView ipPacket) {
    Bytes out(12, 0);  // destination and source MAC
    appendBe16(out, 0x0800);
    append(out, ipPacket);
    return out;
}

Bytes pcapFileHeader() {
    Bytes out;
    appendLe32(out, kPcapMagic);
    appendLe16(out, 2);  // version 2.4
    appendLe16(out, 4);
    appendLe32(out, 0);  // thiszone
    appendLe32(out, 0);  // sigfigs
    appendLe32(out, kPcapSnaplen);
    appendLe32(out, kLinktypeEthernet);
    return out;
}

Bytes pcapRecord(ByteView frame, std::uint64_t microsSinceEpoch) {
    Bytes out;
    out.reserve(16 + frame.size());
    appendLe32(out, static_cast<std::uint32_t>(microsSinceEpoch / 1000000));
    appendLe32(out, static_cast<std::uint32_t>(microsSinceEpoch % 1000000));
    appendLe32(out, static_cast<std::uint32_t>(frame.size()));
    appendLe32(out, static_cast<std::uint32_t>(frame.size()));
    append(out, frame);
    return out;
}

Bytes pcapGsmtapRecord(ByteView gsmtapPacket, std::uint64_t microsSinceEpoch, std::uint16_t ipId) {
    return pcapRecord(ethernetIpv4(ipv4Udp(gsmtapPacket, kLoopback, kLoopback, kUdpPort, kUdpPort, ipId)),
                      microsSinceEpoch);
}

Endpoint parseEndpoint(std::string_view text) {
    Endpoint e;
    std::string_view host = text, port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) throw ParseError("missing ']' in " + std::string(text));
        host = text.substr(1, close - 1);
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') throw ParseError("expected ':PORT' after ']' in " + std::string(text));
            port = rest.substr(1);
            if (port.empty()) throw ParseError("empty port in " + std::string(text));
        }
    } else if (const auto colon = text.find(':'); colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (port.empty()) throw ParseError("empty port in " + std::string(text));
    }
    if (host.empty()) throw ParseError("no host in '" + std::string(text) + "'");
    e.host = std::string(host);
    if (!port.empty()) {
        unsigned long v = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || v > 65535) throw ParseError("bad port '" + std::string(port) + "'");
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v == 0 || v > 65535) throw ParseError("bad port '" + std::string(port) + "'");
        e.port = static_cast<std::uint16_t>(v);
    }
    return e;
}

PcapWriter::PcapWriter(const std::string& path) : m_file(std::fopen(path.c_str(), "wbe")) {
    if (!m_file) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    const Bytes h = pcapFileHeader();
    if (std::fwrite(h.data(), 1, h.size(), m_file) != h.size() || std::fflush(m_file) != 0) {
        std::fclose(m_file);
        m_file = nullptr;
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
}

PcapWriter::~PcapWriter() {
    if (m_file) std::fclose(m_file);
}

void PcapWriter::write(std::uint8_t subType, ByteView payload, std::optional<std::uint64_t> microsSinceEpoch) {
    const Bytes record = pcapGsmtapRecord(simPacket(subType, payload), microsSinceEpoch.value_or(nowMicros()), m_ipId++);
    if (std::fwrite(record.data(), 1, record.size(), m_file) != record.size() || std::fflush(m_file) != 0) {
        if (!m_failed) LOG_ERROR("pcap trace: write failed: %s", std::strerror(errno));
        m_failed = true;
        return;
    }
    m_failed = false;
}

UdpSender::UdpSender(const Endpoint& to) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* list = nullptr;
    const std::string port = std::to_string(to.port);
    if (int rc = ::getaddrinfo(to.host.c_str(), port.c_str(), &hints, &list); rc != 0)
        throw std::runtime_error("GSMTAP host " + to.host + ": " + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, &::freeaddrinfo);
    std::string lastError = "no address";
    for (addrinfo* ai = list; ai; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            lastError = std::strerror(errno);
            continue;
        }
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {  // UDP: only sets the peer
            lastError = std::strerror(errno);
            ::close(fd);
            continue;
        }
        m_fd = fd;
        m_peer = (ai->ai_family == AF_INET6 ? "[" + to.host + "]" : to.host) + ":" + port;
        return;
    }
    throw std::runtime_error("GSMTAP to " + to.host + ":" + port + ": " + lastError);
}

UdpSender::~UdpSender() {
    if (m_fd >= 0) ::close(m_fd);
}

void UdpSender::send(std::uint8_t subType, ByteView payload) {
    const Bytes packet = simPacket(subType, payload);
    if (::send(m_fd, packet.data(), packet.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        // ECONNREFUSED only says that nobody listened to the previous packet; it is normal.
        if (!m_failed && errno != ECONNREFUSED) LOG_WARNING("GSMTAP to %s: %s", m_peer.c_str(), std::strerror(errno));
        m_failed = true;
        return;
    }
    m_failed = false;
}

}  // namespace vpcsc::gsmtap
