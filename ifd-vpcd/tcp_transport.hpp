// TCP transport of ifd-vpcd: the only file of the driver that touches sockets. Every fd is
// non-blocking and close-on-exec; every connection has TCP_NODELAY (one frame = one segment, no
// Nagle/delayed-ACK stall); sends use MSG_NOSIGNAL (a vanished card must not SIGPIPE pcscd);
// EINTR and partial reads/writes are handled here, so callers see whole operations or a
// TransportError.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::ifd {

using Clock = std::chrono::steady_clock;

struct TransportError : std::runtime_error {
    enum class Kind { Timeout, Closed, Failed };
    TransportError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
    Kind kind;
};

// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& o) noexcept : m_fd(o.release()) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    int release() { int f = m_fd; m_fd = -1; return f; }
    void reset();
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

// A resolved socket address (sockaddr_storage bytes) and its printable form.
struct Endpoint {
    std::array<std::uint8_t, 128> storage{};
    unsigned length = 0;
    std::string text;  // "127.0.0.1:35963", "[::1]:35963"
};
// Numeric IPv4/IPv6 literal only (no DNS inside pcscd). Throws TransportError.
Endpoint numericEndpoint(const std::string& address, std::uint16_t port);
// Host name or literal, resolved once with getaddrinfo. Throws TransportError.
Endpoint resolveEndpoint(const std::string& host, std::uint16_t port);

class TcpConnection {
public:
    TcpConnection(Fd fd, std::string peer) : m_fd(std::move(fd)), m_peer(std::move(peer)) {}
    int fd() const { return m_fd.get(); }
    const std::string& peer() const { return m_peer; }

    // Writes all of data (one send() call unless the kernel takes it partially).
    void sendAll(ByteView data, Clock::time_point deadline);
    // Waits until at least one byte arrives, reads at most out.size(). Throws Closed on EOF.
    // pollFirst: poll(2) before the first recv(2), for an answer that cannot be there yet (saves
    // the recv that would fail with EAGAIN right after a send).
    std::size_t recvSome(std::span<std::uint8_t> out, Clock::time_point deadline, bool pollFirst = false);

    // Bytes a reader took from the socket beyond the frame it wanted (the card sent more than one
    // answer). They are unsolicited: probeIdle() reports Readable until the connection is dropped.
    void keepUnsolicited(ByteView extra) { append(m_unsolicited, extra); }
    // A reusable receive buffer of one maximal vpcd frame (2 + 65535 bytes), allocated once.
    std::span<std::uint8_t> receiveBuffer();

    // Non-blocking look at an idle connection (MSG_PEEK): nothing pending, bytes pending
    // (unsolicited: a protocol violation), orderly EOF, or a socket error.
    enum class IdleState { Quiet, Readable, Eof, Failed };
    IdleState probeIdle() const;
    // shutdown(2) both directions: a thread blocked in an exchange on this connection fails at once.
    void abort();

private:
    Fd m_fd;
    std::string m_peer;
    Bytes m_unsolicited;
    Bytes m_rx;
};

class TcpListener {
public:
    // socket/SO_REUSEADDR/bind/listen. Throws TransportError with errno text (e.g. address in use).
    explicit TcpListener(const Endpoint& where);
    int fd() const { return m_fd.get(); }
    const std::string& address() const { return m_address; }
    // Accepts one pending connection (non-blocking); nullptr when none is pending.
    std::unique_ptr<TcpConnection> acceptOne();

private:
    Fd m_fd;
    std::string m_address;
};

// A non-blocking connect() in progress (reversed mode).
class PendingConnect {
public:
    // Starts connecting. Throws TransportError when it fails at once (e.g. ECONNREFUSED on loopback).
    explicit PendingConnect(const Endpoint& to);
    int fd() const { return m_fd.get(); }
    enum class Status { Pending, Connected, Failed };
    Status check(std::string& error);  // non-blocking
    std::unique_ptr<TcpConnection> take();

private:
    Fd m_fd;
    std::string m_peer;
    bool m_connected = false;
};

// Wake-up channel for a waiting poller (eventfd).
class Waker {
public:
    Waker();
    int fd() const { return m_fd.get(); }
    void wake();
    void drain();

private:
    Fd m_fd;
};

// poll(2) over a few fds. want: Read (POLLIN), Write (POLLOUT) or Hangup (POLLRDHUP only: peer
// closed or error, but not ordinary data). EINTR counts as "nothing ready".
struct PollItem {
    enum class Want { Read, Write, Hangup };
    int fd;
    Want want;
    bool ready = false;
};
void pollFds(std::vector<PollItem>& items, std::chrono::milliseconds timeout);

}  // namespace vpcsc::ifd
