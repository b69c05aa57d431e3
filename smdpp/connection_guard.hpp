// A deadline per request for the ES9+ server's connections. cpp-httplib 0.11 times out each read,
// not a request: a client that trickles header lines or body bytes (slowloris) holds a worker
// thread for as long as it keeps sending, and the number of header lines is unbounded. Every
// `interval` the guard asks the kernel (sock_diag over its own netlink socket: no descriptor of
// another thread is touched) for the TCP connections on the listening port and shuts down one that
//  - has not completed a request within requestTimeout of being accepted, of its last answer or
//    of the last look that found bytes the server had not read yet (a connection queued for a
//    worker, its request waiting in the kernel, is the server's delay, not the peer's);
//  - or has received more than maxRequestBytes since then (tcp_info bytes received; TLS included).
// To shut one down it takes its own duplicate of the connection's descriptor (pidfd_getfd), checks
// that it is the same socket (inode), and shuts that down: a descriptor closed and reused meanwhile
// is never hit. httplib's read then fails, it closes the socket and frees the worker. The handler
// reports each answer with answered(). Linux only (sock_diag, pidfd_getfd: 5.6 or later).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace vpcsc::smdpp {

class ConnectionGuard {
public:
    struct Limits {
        std::chrono::milliseconds requestTimeout{20000};
        std::uint64_t maxRequestBytes = 320 * 1024;
        std::chrono::milliseconds interval{250};
    };

    // listenFd: the server's listening socket (its family and port select the connections).
    // Without sock_diag or pidfd_getfd the guard logs why and does nothing.
    ConnectionGuard(int listenFd, Limits limits);
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

    // A request from this peer (httplib's remote_addr / remote_port) was answered.
    void answered(const std::string& peerAddr, int peerPort);
    // Connections shut down so far.
    std::uint64_t closedCount() const;

private:
    struct Connection {
        std::string peer;
        std::chrono::steady_clock::time_point mark;  // accepted (first seen) or last answered
        std::uint64_t baseBytes = 0;                 // bytes received when accepted or last answered
        std::chrono::steady_clock::time_point base;  // and that time
        std::uint64_t answersSeen = 0;
        bool closed = false;
    };
    struct Answers {
        std::uint64_t count = 0;
        std::chrono::steady_clock::time_point last;
    };

    struct Seen;  // one connection as sock_diag reports it
    void run();
    void scan();
    void check(const Seen& s, std::chrono::steady_clock::time_point now);
    bool shutDown(unsigned inode) const;

    const Limits m_limits;
    int m_family = 0;
    int m_port = 0;
    int m_netlink = -1;                           // NETLINK_SOCK_DIAG, the guard's own
    int m_pidfd = -1;                             // this process, for pidfd_getfd
    std::map<unsigned, Connection> m_connections;  // by socket inode; only the guard's thread
    mutable std::mutex m_mutex;               // m_answers, m_closed, m_stop
    std::map<std::string, Answers> m_answers;  // by peer
    std::uint64_t m_closed = 0;
    bool m_stop = false;
    std::condition_variable m_wake;
    std::thread m_thread;
};

}  // namespace vpcsc::smdpp
