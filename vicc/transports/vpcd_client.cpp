#include "vicc/transports/vpcd_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "vicc/transports/addresses.hpp"
#include "vicc/transports/socket_link.hpp"

namespace vpcsc::vicc {

VpcdClient::VpcdClient(std::string host, std::string port, int stopFd)
    : m_host(std::move(host)), m_port(std::move(port)), m_stopFd(stopFd) {}

std::string VpcdClient::describe() const { return joinHostPort(m_host, m_port); }

std::string VpcdClient::unreachableHint() const { return "is pcscd running with ifd-vpcd?"; }

namespace {

// Non-blocking connect, so that the stop descriptor can interrupt it; returns errno or 0.
int connectInterruptibly(int fd, const addrinfo& ai, int stopFd) {
    int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int err = 0;
    if (::connect(fd, ai.ai_addr, ai.ai_addrlen) < 0) {
        err = errno;
        if (err == EINPROGRESS || err == EINTR) {
            pollfd p[2] = {{fd, POLLOUT, 0}, {stopFd, POLLIN, 0}};
            for (;;) {
                int n = ::poll(p, stopFd >= 0 ? 2 : 1, -1);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) return errno;
                if (stopFd >= 0 && (p[1].revents & POLLIN)) throw Stopped{};
                if (p[0].revents) break;
            }
            socklen_t len = sizeof err;
            if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
        }
    }
    ::fcntl(fd, F_SETFL, flags);
    return err;
}

}  // namespace

std::unique_ptr<Link> VpcdClient::open() {
    AddressList addresses = resolve(m_host, m_port, false);
    std::string failure;
    for (const addrinfo* ai = addresses.get(); ai; ai = ai->ai_next) {
        Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        const std::string where = formatAddress(ai->ai_addr, ai->ai_addrlen);
        if (!fd) {
            failure = where + ": " + std::strerror(errno);
            continue;
        }
        if (int err = connectInterruptibly(fd.get(), *ai, m_stopFd)) {
            failure = where + ": " + std::strerror(err);
            continue;
        }
        return std::make_unique<SocketLink>(std::move(fd), where, m_stopFd);
    }
    throw TransportError("cannot reach " + failure);
}

}  // namespace vpcsc::vicc
