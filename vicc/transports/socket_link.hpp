// A Link over a connected stream socket (TCP, IPv4 or IPv6), shared by both vpcd transports.
#pragma once

#include <string>

#include "common/vpcd_protocol.hpp"
#include "vicc/transports/transport.hpp"

namespace vpcsc::vicc {

// Owns a file descriptor; closes it once.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(other.release()) {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    int get() const { return m_fd; }
    int release();
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

class SocketLink : public Link {
public:
    // Sets TCP_NODELAY: each frame goes out at once (no Nagle + delayed-ACK stall).
    SocketLink(Fd socket, std::string peer, int stopFd);
    std::optional<Bytes> receive() override;
    void send(ByteView payload) override;
    std::string peer() const override { return m_peer; }

private:
    Fd m_socket;
    std::string m_peer;
    int m_stopFd;
    vpcd::FrameDecoder m_decoder;
};

// "127.0.0.1:35963" or "[::1]:35963" for a socket address.
std::string formatAddress(const void* sockaddr, unsigned length);

}  // namespace vpcsc::vicc
