// vpcd client: vicc connects to the reader (ifd-vpcd or vsmartcard's vpcd listening on
// host:port, DEVICENAME /dev/null:PORT). The normal mode of vsmartcard's vicc.
#pragma once

#include <string>

#include "vicc/transports/transport.hpp"

namespace vpcsc::vicc {

class VpcdClient : public Transport {
public:
    VpcdClient(std::string host, std::string port, int stopFd);
    std::unique_ptr<Link> open() override;
    std::string describe() const override;
    std::string unreachableHint() const override;

private:
    std::string m_host;
    std::string m_port;
    int m_stopFd;
};

}  // namespace vpcsc::vicc
