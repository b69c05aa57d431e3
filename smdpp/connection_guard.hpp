// A deadline per request for the ES9+ server's connections. cpp-httplib 0.11 times out each read,
// not a request: a client that trickles header lines or body bytes (slowloris) holds a worker
// thread for as long as it keeps sending, and the number of header lines is unbounded. The guard
// looks at the process's accepted sockets on the listening port every `interval` and shuts down
// (SHUT_RDWR: httplib's read fails, it closes the socket and frees the worker) a connection that
//  - has not completed a request within requestTimeout of being accepted, of its last answer or
//    of the last scan that found bytes the server had not read yet (a connection queued for a
//    worker, its request waiting in the kernel, is the server's delay, not the peer's);
//  - or has sent more than maxRequestBytes since then (TCP_INFO bytes received; TLS included).
// The handler reports each answer with answered(). Linux only (/proc/self/fd, TCP_INFO).
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

    void run();
    void scan();
    void check(int fd, const std::string& peer, std::chrono::steady_clock::time_point now);

    const int m_listenFd;
    const Limits m_limits;
    int m_family = 0;
    int m_port = 0;
    std::map<int, Connection> m_connections;  // by fd; only the guard's thread
    mutable std::mutex m_mutex;               // m_answers, m_closed, m_stop
    std::map<std::string, Answers> m_answers;  // by peer
    std::uint64_t m_closed = 0;
    bool m_stop = false;
    std::condition_variable m_wake;
    std::thread m_thread;
};

}  // namespace vpcsc::smdpp
