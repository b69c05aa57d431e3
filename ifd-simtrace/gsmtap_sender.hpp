// Sends GSMTAP packets over UDP (connected socket, non-blocking, errors only logged).
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::simtrace {

class GsmtapSender {
public:
    GsmtapSender(const std::string& host, std::uint16_t port);  // throws std::runtime_error
    ~GsmtapSender();
    GsmtapSender(const GsmtapSender&) = delete;
    GsmtapSender& operator=(const GsmtapSender&) = delete;
    void send(std::uint8_t subType, ByteView payload);

private:
    int m_fd = -1;
};

}  // namespace vpcsc::simtrace
