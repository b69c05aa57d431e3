// common/gsmtap: exact bytes of the GSMTAP v2 header, IPv4/UDP/Ethernet framing and pcap records.
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/gsmtap.hpp"

using namespace vpcsc;
using namespace vpcsc::gsmtap;

namespace {
Bytes h(const char* hex) { return fromHex(hex); }
}  // namespace

TEST_CASE("GSMTAP v2 header for SIM APDUs and ATRs", "[gsmtap]") {
    CHECK(header(kTypeSim, kSimApdu) == h("02 04 04 00 0000 00 00 00000000 00 00 00 00"));
    CHECK(simPacket(kSimAtr, h("3B 00")) == h("02 04 04 00 0000 00 00 00000000 01 00 00 00 3B 00"));
    CHECK(simPacket(kSimApdu, h("00 A4 00 0C 02 3F 00 90 00")).size() == kHeaderSize + 9);
    CHECK_THROWS_AS(simPacket(kSimApdu, Bytes(kMaxPayload + 1)), ParseError);
    CHECK(simPacket(kSimApdu, Bytes(kMaxPayload)).size() == 65535 - 28);
}

TEST_CASE("GSMTAP APDU payload is the command then the response, cut at one datagram", "[gsmtap]") {
    CHECK(apduPayload(h("00 B0 00 00 02"), h("AA BB 90 00")) == h("00 B0 00 00 02 AA BB 90 00"));
    CHECK(apduPayload({}, {}).empty());
    const Bytes big(70000, 0x55);
    CHECK(apduPayload(big, h("90 00")).size() == kMaxPayload);
    const Bytes half(40000, 0x11);
    const Bytes p = apduPayload(half, half);
    REQUIRE(p.size() == kMaxPayload);
    CHECK(p[39999] == 0x11);
}

TEST_CASE("RFC 791 checksum of a known IPv4 header", "[gsmtap]") {
    // The textbook example: 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7.
    CHECK(internetChecksum(h("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7")) == 0xB861);
    CHECK(internetChecksum(h("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7")) == 0);
    CHECK(internetChecksum(h("01")) == 0xFEFF);  // odd length: padded with a zero byte
}

TEST_CASE("IPv4 + UDP framing with both checksums", "[gsmtap]") {
    const Bytes packet = ipv4Udp(h("01 02"), 0x7F000001, 0x7F000001, 4729, 4729, 0);
    CHECK(packet == h("45 00 00 1E 00 00 40 00 40 11 3C CD 7F 00 00 01 7F 00 00 01"
                      "12 79 12 79 00 0A DB E3 01 02"));
    CHECK(internetChecksum(ByteView(packet).subspan(0, 20)) == 0);
    CHECK_THROWS_AS(ipv4Udp(Bytes(65535 - 27), 1, 2, 3, 4, 5), ParseError);
    CHECK(ipv4Udp(Bytes(65535 - 28), 1, 2, 3, 4, 5).size() == 65535);
    CHECK(ethernetIpv4(h("45")) == h("000000000000 000000000000 0800 45"));
}

TEST_CASE("pcap file header and records, little-endian, LINKTYPE_ETHERNET", "[gsmtap]") {
    CHECK(pcapFileHeader() == h("D4C3B2A1 0200 0400 00000000 00000000 00000400 01000000"));
    CHECK(pcapRecord(h("AA"), 1'500'000) == h("01000000 20A10700 01000000 01000000 AA"));
    const Bytes gsm = simPacket(kSimApdu, h("00 B0 00 00 02 AA BB 90 00"));
    const Bytes rec = pcapGsmtapRecord(gsm, 2'000'001, 7);
    REQUIRE(rec.size() == 16 + 14 + 20 + 8 + gsm.size());
    CHECK(Bytes(rec.begin(), rec.begin() + 16) == h("02000000 01000000 43000000 43000000"));  // 67-byte frame: 14 + 20 + 8 + 16 + 9
    CHECK(Bytes(rec.begin() + 16 + 12, rec.begin() + 16 + 14) == h("0800"));
    const ByteView ip = ByteView(rec).subspan(30);
    CHECK(readBe16(ip, 4) == 7);                      // IP id
    CHECK(readBe16(ip, 22) == kUdpPort);              // UDP destination port
    CHECK(readBe16(ip, 24) == 8 + gsm.size());        // UDP length
    CHECK(Bytes(ip.begin() + 28, ip.end()) == gsm);   // the GSMTAP packet, unchanged
}

TEST_CASE("PcapWriter writes a file Wireshark reads: header then one record per packet", "[gsmtap]") {
    const auto path = std::filesystem::temp_directory_path() / ("vpcsc-gsmtap-" + std::to_string(::getpid()) + ".pcap");
    {
        PcapWriter w(path.string());
        w.write(kSimAtr, h("3B 80 80 01 01"), 1'000'000);
        w.write(kSimApdu, h("00 A4 00 0C 02 3F 00 90 00"), 1'000'002);
    }
    std::ifstream in(path, std::ios::binary);
    const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    Bytes want = pcapFileHeader();
    append(want, pcapGsmtapRecord(simPacket(kSimAtr, h("3B 80 80 01 01")), 1'000'000, 0));
    append(want, pcapGsmtapRecord(simPacket(kSimApdu, h("00 A4 00 0C 02 3F 00 90 00")), 1'000'002, 1));
    CHECK(file == want);
    CHECK_THROWS_AS(PcapWriter("/nonexistent-dir/x.pcap"), std::runtime_error);
}

TEST_CASE("GSMTAP endpoints: HOST, HOST:PORT, [IPv6]:PORT", "[gsmtap]") {
    CHECK(parseEndpoint("127.0.0.1").host == "127.0.0.1");
    CHECK(parseEndpoint("127.0.0.1").port == 4729);
    CHECK(parseEndpoint("localhost:5000").port == 5000);
    CHECK(parseEndpoint("localhost:5000").host == "localhost");
    CHECK(parseEndpoint("[::1]:6000").host == "::1");
    CHECK(parseEndpoint("[::1]:6000").port == 6000);
    CHECK(parseEndpoint("::1").host == "::1");  // bare IPv6: no port
    CHECK(parseEndpoint("[::1]").port == 4729);
    for (const char* bad : {"", ":4729", "host:", "host:0", "host:65536", "host:12a", "[::1", "[::1]x", "[]:1"})
        CHECK_THROWS_AS(parseEndpoint(bad), ParseError);
}

TEST_CASE("UdpSender sends one GSMTAP datagram per packet", "[gsmtap]") {
    int rx = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(rx >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(rx, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    UdpSender s(Endpoint{"127.0.0.1", ntohs(a.sin_port)});
    s.send(kSimApdu, h("00 B0 00 00 01 42 90 00"));
    pollfd p{rx, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 2000) == 1);
    Bytes buf(100);
    const auto n = ::recv(rx, buf.data(), buf.size(), 0);
    REQUIRE(n > 0);
    buf.resize(static_cast<std::size_t>(n));
    CHECK(buf == simPacket(kSimApdu, h("00 B0 00 00 01 42 90 00")));
    ::close(rx);
    CHECK_THROWS_AS(UdpSender(Endpoint{"no-such-host.invalid", 4729}), std::runtime_error);
}
