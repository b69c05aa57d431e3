#include "vicc/transports/vpcd_reversed.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "vicc/transports/addresses.hpp"

namespace vpcsc::vicc {

VpcdReversed::VpcdReversed(std::string bindAddress, std::string port, int stopFd)
    : m_bind(std::move(bindAddress)), m_port(std::move(port)), m_stopFd(stopFd) {}

std::string VpcdReversed::describe() const {
    return "listening on " + (m_local.empty() ? joinHostPort(m_bind, m_port) : m_local);
}

std::string VpcdReversed::unreachableHint() const {
    return "is another vicc listening there? (--bind ADDR, -P PORT)";
}

std::string VpcdReversed::localAddress() {
    if (!m_listener) listenNow();
    return m_local;
}

void VpcdReversed::listenNow() {
    AddressList addresses = resolve(m_bind, m_port, true);
    std::string failure;
    for (const addrinfo* ai = addresses.get(); ai; ai = ai->ai_next) {
        const std::string where = formatAddress(ai->ai_addr, ai->ai_addrlen);
        Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        int one = 1;
        // SO_REUSEADDR: a restarted vicc can listen again while old connections sit in TIME_WAIT.
        if (!fd || ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
            ::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) < 0 || ::listen(fd.get(), 1) < 0) {
            failure = where + ": " + std::strerror(errno);
            continue;
        }
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &len);
        m_local = formatAddress(&local, len);
        m_listener = std::move(fd);
        return;
    }
    throw TransportError("cannot listen on " + failure);
}

std::unique_ptr<Link> VpcdReversed::open() {
    if (!m_listener) listenNow();
    pollfd p[2] = {{m_listener.get(), POLLIN, 0}, {m_stopFd, POLLIN, 0}};
    for (;;) {
        int n = ::poll(p, m_stopFd >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw TransportError(std::string("poll: ") + std::strerror(errno));
        }
        if (m_stopFd >= 0 && (p[1].revents & POLLIN)) throw Stopped{};
        if (!p[0].revents) continue;
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        Fd fd(::accept4(m_listener.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC));
        if (!fd) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) continue;
            const std::string reason = std::strerror(errno);
            m_listener = Fd();  // listen again on the next open()
            throw TransportError("accepting a reader on " + m_local + ": " + reason);
        }
        return std::make_unique<SocketLink>(std::move(fd), formatAddress(&peer, len), m_stopFd);
    }
}

}  // namespace vpcsc::vicc
