#include "tests/vicc/fake_reader.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/vpcd_protocol.hpp"

namespace vpcsc::vicc::test {
namespace {

bool resolve(const std::string& host, int port, sockaddr_storage& out, socklen_t& len) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* ai = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &ai) != 0) return false;
    std::memcpy(&out, ai->ai_addr, ai->ai_addrlen);
    len = ai->ai_addrlen;
    ::freeaddrinfo(ai);
    return true;
}

int localPort(int fd) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
}

}  // namespace

FakeReader::~FakeReader() {
    closeConnection();
    closeListener();
}

bool FakeReader::listen(const std::string& host, int port) {
    sockaddr_storage a{};
    socklen_t len = 0;
    if (!resolve(host, port, a, len)) return false;
    m_listener = ::socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_listener, reinterpret_cast<sockaddr*>(&a), len) < 0 || ::listen(m_listener, 4) < 0) {
        closeListener();
        return false;
    }
    m_port = localPort(m_listener);
    return true;
}

bool FakeReader::accept(int timeoutMs) {
    pollfd p{m_listener, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    closeConnection();
    m_conn = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
    int one = 1;
    ::setsockopt(m_conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return m_conn >= 0;
}

bool FakeReader::connect(const std::string& host, int port) {
    sockaddr_storage a{};
    socklen_t len = 0;
    if (!resolve(host, port, a, len)) return false;
    closeConnection();
    m_conn = ::socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(m_conn, reinterpret_cast<sockaddr*>(&a), len) < 0) {
        closeConnection();
        return false;
    }
    return true;
}

bool FakeReader::sendRaw(ByteView bytes) {
    return ::send(m_conn, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

bool FakeReader::sendFrame(ByteView payload) { return sendRaw(vpcd::encodeFrame(payload)); }

bool FakeReader::readExactly(std::uint8_t* out, std::size_t n, int timeoutMs) {
    std::size_t done = 0;
    while (done < n) {
        pollfd p{m_conn, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0) return false;
        ssize_t got = ::recv(m_conn, out + done, n - done, 0);
        if (got <= 0) return false;
        done += static_cast<std::size_t>(got);
    }
    return true;
}

std::optional<Bytes> FakeReader::receiveFrame(int timeoutMs) {
    std::uint8_t header[2];
    if (!readExactly(header, 2, timeoutMs)) return std::nullopt;
    Bytes payload(static_cast<std::size_t>(header[0] << 8 | header[1]));
    if (!payload.empty() && !readExactly(payload.data(), payload.size(), timeoutMs)) return std::nullopt;
    return payload;
}

bool FakeReader::waitClosed(int timeoutMs) {
    if (m_conn < 0) return true;
    pollfd p{m_conn, POLLIN, 0};
    if (::poll(&p, 1, timeoutMs) <= 0) return false;
    std::uint8_t b;
    return ::recv(m_conn, &b, 1, 0) <= 0;
}

std::optional<Bytes> FakeReader::powerOnAndGetAtr() {
    if (!sendRaw(vpcd::encodeControl(vpcd::Control::PowerOn))) return std::nullopt;
    if (!sendRaw(vpcd::encodeControl(vpcd::Control::GetAtr))) return std::nullopt;
    return receiveFrame();
}

std::optional<Bytes> FakeReader::transmit(ByteView apdu, int timeoutMs) {
    if (!sendFrame(apdu)) return std::nullopt;
    return receiveFrame(timeoutMs);
}

void FakeReader::closeConnection() {
    if (m_conn >= 0) ::close(m_conn);
    m_conn = -1;
}

void FakeReader::closeListener() {
    if (m_listener >= 0) ::close(m_listener);
    m_listener = -1;
}

}  // namespace vpcsc::vicc::test
