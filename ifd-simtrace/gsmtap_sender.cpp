#include "ifd-simtrace/gsmtap_sender.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/log.hpp"
#include "ifd-simtrace/trace.hpp"

namespace vpcsc::simtrace {

GsmtapSender::GsmtapSender(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* res = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res); rc != 0)
        throw std::runtime_error("gsmtap " + host + ": " + gai_strerror(rc));
    for (addrinfo* a = res; a; a = a->ai_next) {
        const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            m_fd = fd;
            break;
        }
        ::close(fd);
    }
    freeaddrinfo(res);
    if (m_fd < 0) throw std::runtime_error("gsmtap " + host + ": cannot create a UDP socket");
}

GsmtapSender::~GsmtapSender() {
    if (m_fd >= 0) ::close(m_fd);
}

void GsmtapSender::send(std::uint8_t subType, ByteView payload) {
    const Bytes p = gsmtap::packet(subType, payload);
    if (::send(m_fd, p.data(), p.size(), MSG_NOSIGNAL) < 0 && errno != ECONNREFUSED)
        LOG_DEBUG("gsmtap send: %s", std::strerror(errno));
}

}  // namespace vpcsc::simtrace
