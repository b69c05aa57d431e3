#include "ifd-vpcd/tcp_transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vpcsc::ifd {
namespace {

std::string errnoText(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

[[noreturn]] void fail(const char* what, int err) {
    throw TransportError(TransportError::Kind::Failed, errnoText(what, err));
}

std::string addressText(const sockaddr* sa) {
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        return std::string(host) + ":" + std::to_string(port);
    }
    if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        return "[" + std::string(host) + "]:" + std::to_string(port);
    }
    return "?";
}

Endpoint fromAddrinfo(const addrinfo* ai) {
    Endpoint e;
    if (ai->ai_addrlen > e.storage.size()) fail("address too long", EINVAL);
    std::memcpy(e.storage.data(), ai->ai_addr, ai->ai_addrlen);
    e.length = static_cast<unsigned>(ai->ai_addrlen);
    e.text = addressText(ai->ai_addr);
    return e;
}

Endpoint lookup(const std::string& host, std::uint16_t port, int flags) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
    if (rc != 0 || !res)
        throw TransportError(TransportError::Kind::Failed,
                             "cannot resolve '" + host + "': " + gai_strerror(rc));
    Endpoint e = fromAddrinfo(res);
    freeaddrinfo(res);
    return e;
}

const sockaddr* asSockaddr(const Endpoint& e) { return reinterpret_cast<const sockaddr*>(e.storage.data()); }

void setNoDelay(int fd) {
    const int one = 1;
    // Best effort: a failure only costs latency, never correctness.
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Waits for fd to become readable/writable until deadline. Throws Timeout.
void waitFor(int fd, short events, Clock::time_point deadline) {
    while (true) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) throw TransportError(TransportError::Kind::Timeout, "no answer from card in time");
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000 * 1000)));
        if (n > 0) return;  // ready, or error/hangup: the following syscall reports which
        if (n < 0 && errno != EINTR) fail("poll", errno);
    }
}

}  // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        reset();
        m_fd = o.release();
    }
    return *this;
}

void Fd::reset() {
    if (m_fd >= 0) ::close(m_fd);  // no EINTR retry on Linux: the fd is released either way
    m_fd = -1;
}

Endpoint numericEndpoint(const std::string& address, std::uint16_t port) {
    return lookup(address, port, AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE);
}

Endpoint resolveEndpoint(const std::string& host, std::uint16_t port) {
    return lookup(host, port, AI_NUMERICSERV | AI_ADDRCONFIG);
}

void TcpConnection::sendAll(ByteView data, Clock::time_point deadline) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(m_fd.get(), data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            waitFor(m_fd.get(), POLLOUT, deadline);
            continue;
        }
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
            throw TransportError(TransportError::Kind::Closed, "card closed the connection");
        fail("send", errno);
    }
}

std::size_t TcpConnection::recvSome(std::span<std::uint8_t> out, Clock::time_point deadline, bool pollFirst) {
    if (pollFirst) waitFor(m_fd.get(), POLLIN, deadline);
    while (true) {
        const ssize_t n = ::recv(m_fd.get(), out.data(), out.size(), 0);
        if (n > 0) return static_cast<std::size_t>(n);
        if (n == 0) throw TransportError(TransportError::Kind::Closed, "card closed the connection");
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            waitFor(m_fd.get(), POLLIN, deadline);
            continue;
        }
        if (errno == ECONNRESET) throw TransportError(TransportError::Kind::Closed, "card reset the connection");
        fail("recv", errno);
    }
}

std::span<std::uint8_t> TcpConnection::receiveBuffer() {
    if (m_rx.empty()) m_rx.resize(2 + 0xFFFF);
    return m_rx;
}

TcpConnection::IdleState TcpConnection::probeIdle() const {
    if (!m_unsolicited.empty()) return IdleState::Readable;
    std::uint8_t b;
    while (true) {
        const ssize_t n = ::recv(m_fd.get(), &b, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n > 0) return IdleState::Readable;
        if (n == 0) return IdleState::Eof;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return IdleState::Quiet;
        return IdleState::Failed;
    }
}

void TcpConnection::abort() { (void)::shutdown(m_fd.get(), SHUT_RDWR); }

TcpListener::TcpListener(const Endpoint& where) : m_address(where.text) {
    const int family = asSockaddr(where)->sa_family;
    m_fd = Fd(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!m_fd) fail("socket", errno);
    const int one = 1;
    (void)setsockopt(m_fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) (void)setsockopt(m_fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (::bind(m_fd.get(), asSockaddr(where), where.length) != 0)
        fail(("bind " + where.text).c_str(), errno);
    // A short backlog: extra connections are accepted and closed by the reader, never queued.
    if (::listen(m_fd.get(), 4) != 0) fail(("listen " + where.text).c_str(), errno);
}

std::unique_ptr<TcpConnection> TcpListener::acceptOne() {
    while (true) {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        const int fd = ::accept4(m_fd.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            setNoDelay(fd);
            return std::make_unique<TcpConnection>(Fd(fd), addressText(reinterpret_cast<sockaddr*>(&peer)));
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return nullptr;
        fail("accept", errno);  // EMFILE etc.: reported, the listener stays usable
    }
}

PendingConnect::PendingConnect(const Endpoint& to) : m_peer(to.text) {
    m_fd = Fd(::socket(asSockaddr(to)->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!m_fd) fail("socket", errno);
    setNoDelay(m_fd.get());
    int rc;
    do rc = ::connect(m_fd.get(), asSockaddr(to), to.length);
    while (rc != 0 && errno == EINTR);
    if (rc == 0) {
        m_connected = true;
        return;
    }
    if (errno != EINPROGRESS) fail(("connect " + to.text).c_str(), errno);
}

PendingConnect::Status PendingConnect::check(std::string& error) {
    if (m_connected) return Status::Connected;
    pollfd p{m_fd.get(), POLLOUT, 0};
    int n;
    do n = ::poll(&p, 1, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return Status::Pending;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(m_fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) {
        error = errnoText(("connect " + m_peer).c_str(), err);
        return Status::Failed;
    }
    m_connected = true;
    return Status::Connected;
}

std::unique_ptr<TcpConnection> PendingConnect::take() { return std::make_unique<TcpConnection>(std::move(m_fd), m_peer); }

Waker::Waker() : m_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!m_fd) fail("eventfd", errno);
}

void Waker::wake() {
    const std::uint64_t one = 1;
    ssize_t n;
    do n = ::write(m_fd.get(), &one, sizeof one);
    while (n < 0 && errno == EINTR);
    // EAGAIN means the counter is saturated: the poller is already due to wake.
}

void Waker::drain() {
    std::uint64_t v;
    ssize_t n;
    do n = ::read(m_fd.get(), &v, sizeof v);
    while (n < 0 && errno == EINTR);
}

void pollFds(std::vector<PollItem>& items, std::chrono::milliseconds timeout) {
    std::vector<pollfd> fds;
    fds.reserve(items.size());
    for (const auto& it : items) {
        short ev = it.want == PollItem::Want::Read ? POLLIN : it.want == PollItem::Want::Write ? POLLOUT : POLLRDHUP;
        fds.push_back(pollfd{it.fd, ev, 0});
    }
    const int ms = static_cast<int>(std::clamp<long long>(timeout.count(), 0, 24LL * 3600 * 1000));
    const int n = ::poll(fds.data(), fds.size(), ms);
    if (n <= 0) return;  // timeout or EINTR: nothing ready
    for (std::size_t i = 0; i < items.size(); ++i) items[i].ready = fds[i].revents != 0;
}

}  // namespace vpcsc::ifd
