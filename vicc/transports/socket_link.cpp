#include "vicc/transports/socket_link.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vpcsc::vicc {

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd() {
    if (m_fd >= 0) ::close(m_fd);
}

int Fd::release() {
    int fd = m_fd;
    m_fd = -1;
    return fd;
}

bool waitForStop(int stopFd, int timeoutMs) {
    pollfd p{stopFd, POLLIN, 0};
    for (;;) {
        int n = ::poll(&p, 1, timeoutMs);
        if (n >= 0) return n > 0;
        if (errno != EINTR) return false;
    }
}

namespace {

// Waits until fd is ready for `events`; throws Stopped when the stop descriptor fires first.
void waitReady(int fd, short events, int stopFd) {
    pollfd p[2] = {{fd, events, 0}, {stopFd, POLLIN, 0}};
    for (;;) {
        int n = ::poll(p, stopFd >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw TransportError(std::string("poll: ") + std::strerror(errno));
        }
        if (stopFd >= 0 && (p[1].revents & POLLIN)) throw Stopped{};
        if (p[0].revents) return;  // readable, writable, hang-up or error: the I/O call tells which
    }
}

}  // namespace

std::string formatAddress(const void* addr, unsigned length) {
    char host[INET6_ADDRSTRLEN] = "?";
    const auto* sa = static_cast<const sockaddr*>(addr);
    if (sa->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        const auto* in = static_cast<const sockaddr_in*>(addr);
        ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
    }
    if (sa->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        const auto* in6 = static_cast<const sockaddr_in6*>(addr);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
    }
    return "?";
}

SocketLink::SocketLink(Fd socket, std::string peer, int stopFd)
    : m_socket(std::move(socket)), m_peer(std::move(peer)), m_stopFd(stopFd) {
    int one = 1;
    ::setsockopt(m_socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::optional<Bytes> SocketLink::receive() {
    std::uint8_t buffer[16384];
    for (;;) {
        if (auto payload = m_decoder.next()) return payload;
        waitReady(m_socket.get(), POLLIN, m_stopFd);
        ssize_t n = ::recv(m_socket.get(), buffer, sizeof buffer, 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            throw TransportError("reading from " + m_peer + ": " + std::strerror(errno));
        }
        if (n == 0) {
            if (m_decoder.idle()) return std::nullopt;
            throw TransportError(m_peer + " closed the connection in the middle of a frame");
        }
        m_decoder.feed(ByteView(buffer, static_cast<std::size_t>(n)));
    }
}

void SocketLink::send(ByteView payload) {
    const Bytes frame = vpcd::encodeFrame(payload);  // header + payload: one write per frame
    std::size_t done = 0;
    while (done < frame.size()) {
        ssize_t n = ::send(m_socket.get(), frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                waitReady(m_socket.get(), POLLOUT, m_stopFd);
                continue;
            }
            throw TransportError("writing to " + m_peer + ": " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);  // a short write only when the socket buffer is full
    }
}

}  // namespace vpcsc::vicc
