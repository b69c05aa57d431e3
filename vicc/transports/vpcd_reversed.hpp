// Reversed vpcd: vicc listens and the reader connects to it (ifd-vpcd with DEVICENAME
// HOST:PORT, vsmartcard's `vicc --reversed`). One reader at a time: the next is accepted when
// the current connection ends. Binds to loopback unless told otherwise.
#pragma once

#include <string>

#include "vicc/transports/socket_link.hpp"

namespace vpcsc::vicc {

class VpcdReversed : public Transport {
public:
    VpcdReversed(std::string bindAddress, std::string port, int stopFd);
    std::unique_ptr<Link> open() override;
    std::string describe() const override;
    std::string unreachableHint() const override;
    // The bound address (port resolved when port 0 was asked for); listens if not yet.
    std::string localAddress();

private:
    void listenNow();

    std::string m_bind;
    std::string m_port;
    int m_stopFd;
    Fd m_listener;
    std::string m_local;
};

}  // namespace vpcsc::vicc
