#include "vicc/transports/addresses.hpp"

#include <sys/socket.h>

#include "vicc/transports/transport.hpp"

namespace vpcsc::vicc {

AddressList resolve(const std::string& host, const std::string& port, bool passive) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
    if (rc != 0) throw TransportError("cannot resolve " + joinHostPort(host, port) + ": " + ::gai_strerror(rc));
    return AddressList(found, &::freeaddrinfo);
}

std::string joinHostPort(const std::string& host, const std::string& port) {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
    return host + ":" + port;
}

}  // namespace vpcsc::vicc
