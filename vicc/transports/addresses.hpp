// Name resolution for the vpcd transports: getaddrinfo for IPv4 and IPv6, numeric ports only.
#pragma once

#include <netdb.h>

#include <memory>
#include <string>

namespace vpcsc::vicc {

using AddressList = std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)>;

// Throws TransportError with "cannot resolve HOST: reason".
AddressList resolve(const std::string& host, const std::string& port, bool passive);

// "[::1]:35963" or "127.0.0.1:35963" for the text form of an endpoint.
std::string joinHostPort(const std::string& host, const std::string& port);

}  // namespace vpcsc::vicc
