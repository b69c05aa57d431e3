// GSMTAP (Osmocom's "GSM tap", version 2) for SIM/smart card traffic, in a pcap file or live over
// UDP, in the form Wireshark decodes without configuration: UDP to port 4729, GSMTAP type SIM
// (0x04), sub-type APDU (0x00: command APDU then response APDU) or ATR (0x01).
//
// The header layout is Osmocom's libosmocore include/osmocom/core/gsmtap.h (struct gsmtap_hdr,
// 16 bytes, multi-byte fields big-endian). The pcap file is the classic libpcap format (24-byte
// file header, 16-byte record headers, microseconds, written little-endian) with LINKTYPE_ETHERNET
// frames: Ethernet II + IPv4 + UDP + GSMTAP. The encoders are pure; PcapWriter and UdpSender are
// the only parts that touch files or sockets.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::gsmtap {

constexpr std::uint16_t kUdpPort = 4729;  // IANA "gsmtap"
constexpr std::uint8_t kVersion = 2;
constexpr std::size_t kHeaderSize = 16;
constexpr std::uint8_t kTypeSim = 0x04;   // GSMTAP_TYPE_SIM
constexpr std::uint8_t kSimApdu = 0x00;   // GSMTAP_SIM_APDU: command APDU followed by the response
constexpr std::uint8_t kSimAtr = 0x01;    // GSMTAP_SIM_ATR
constexpr std::uint8_t kSimPpsReq = 0x02; // GSMTAP_SIM_PPS_REQ
constexpr std::uint8_t kSimPpsRsp = 0x03; // GSMTAP_SIM_PPS_RSP
// The largest GSMTAP payload one IPv4/UDP datagram carries: 65535 - 20 (IPv4) - 8 (UDP) - 16.
constexpr std::size_t kMaxPayload = 65535 - 20 - 8 - kHeaderSize;

constexpr std::uint32_t kPcapMagic = 0xA1B2C3D4;  // microsecond timestamps
constexpr std::uint32_t kLinktypeEthernet = 1;
constexpr std::uint32_t kPcapSnaplen = 262144;

// struct gsmtap_hdr: version 2, hdr_len 4 (32-bit words), type, timeslot 0, arfcn 0, signal 0,
// snr 0, frame_number 0, sub_type, antenna 0, sub_slot 0, reserved 0.
Bytes header(std::uint8_t type, std::uint8_t subType);
// header(kTypeSim, subType) + payload. Throws ParseError if payload exceeds kMaxPayload.
Bytes simPacket(std::uint8_t subType, ByteView payload);
// The APDU payload: the command APDU exactly as sent, then the response (data + SW1 SW2). A
// payload longer than kMaxPayload (extended APDUs near 64 KB in both directions) is cut there.
Bytes apduPayload(ByteView command, ByteView response);

// RFC 791 header checksum (one's complement of the one's complement sum of 16-bit words).
std::uint16_t internetChecksum(ByteView data);
// IPv4 (no options, DF, TTL 64, given id) + UDP (checksum computed over the RFC 768 pseudo
// header) around udpPayload; addresses in host byte order (0x7F000001 = 127.0.0.1). Throws
// ParseError if the datagram would exceed 65535 bytes.
Bytes ipv4Udp(ByteView udpPayload, std::uint32_t srcAddr, std::uint32_t dstAddr, std::uint16_t srcPort,
              std::uint16_t dstPort, std::uint16_t id);
// Ethernet II (dst 00:00:00:00:00:00, src 00:00:00:00:00:00, ethertype 0x0800) around an IPv4 packet.
Bytes ethernetIpv4(ByteView ipPacket);

// The 24-byte pcap file header (little-endian, version 2.4, LINKTYPE_ETHERNET).
Bytes pcapFileHeader();
// One pcap record: ts_sec, ts_usec, incl_len, orig_len (little-endian), then the frame.
Bytes pcapRecord(ByteView frame, std::uint64_t microsSinceEpoch);

// A GSMTAP packet as one pcap record: 127.0.0.1:4729 -> 127.0.0.1:4729 over Ethernet.
Bytes pcapGsmtapRecord(ByteView gsmtapPacket, std::uint64_t microsSinceEpoch, std::uint16_t ipId);

// "HOST", "HOST:PORT", "[IPv6]" or "[IPv6]:PORT"; the port defaults to kUdpPort. Throws
// ParseError on an empty host or a bad port.
struct Endpoint {
    std::string host;
    std::uint16_t port = kUdpPort;
};
Endpoint parseEndpoint(std::string_view text);

// Appends GSMTAP SIM packets to a pcap file, flushed after each one so that the file is readable
// while the program runs and after it is killed.
class PcapWriter {
public:
    // Creates (truncates) the file and writes the file header; throws std::runtime_error.
    explicit PcapWriter(const std::string& path);
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;
    // Throws ParseError for a payload above kMaxPayload; write errors are logged once.
    void write(std::uint8_t subType, ByteView payload, std::optional<std::uint64_t> microsSinceEpoch = {});

private:
    std::FILE* m_file = nullptr;
    std::uint16_t m_ipId = 0;
    bool m_failed = false;
};

// Sends GSMTAP SIM packets to HOST:PORT over UDP (IPv4 or IPv6). Never blocks; send errors (no
// listener: ECONNREFUSED) are logged once, not per packet.
class UdpSender {
public:
    explicit UdpSender(const Endpoint& to);  // throws std::runtime_error (unknown host, no socket)
    ~UdpSender();
    UdpSender(const UdpSender&) = delete;
    UdpSender& operator=(const UdpSender&) = delete;
    void send(std::uint8_t subType, ByteView payload);
    const std::string& describe() const { return m_peer; }

private:
    int m_fd = -1;
    std::string m_peer;
    bool m_failed = false;
};

}  // namespace vpcsc::gsmtap
