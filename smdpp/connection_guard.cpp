// Per-request deadline and size bound over the ES9+ server's connections: see connection_guard.hpp.
#include "smdpp/connection_guard.hpp"

#include <cstdlib>
#include <set>

#include <dirent.h>
#include <linux/tcp.h>  // struct tcp_info with tcpi_bytes_received (glibc's netinet/tcp.h lacks it)
#include <netdb.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common/log.hpp"

namespace vpcsc::smdpp {

namespace {

using Clock = std::chrono::steady_clock;

// The port of an AF_INET/AF_INET6 address, or -1.
int portOf(const sockaddr_storage& a) {
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
    return -1;
}

// "addr|port" as cpp-httplib names a peer (getnameinfo, numeric), so answered() finds it.
std::string peerKey(const std::string& addr, int port) { return addr + "|" + std::to_string(port); }

std::string peerOf(int fd) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return {};
    char host[NI_MAXHOST];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) return {};
    return peerKey(host, portOf(a));
}

std::string printable(const std::string& key) {
    const auto bar = key.rfind('|');
    return bar == std::string::npos ? key : key.substr(0, bar) + ":" + key.substr(bar + 1);
}

}  // namespace

ConnectionGuard::ConnectionGuard(int listenFd, Limits limits) : m_listenFd(listenFd), m_limits(limits) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getsockname(listenFd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        m_family = a.ss_family;
        m_port = portOf(a);
    }
    if (m_port > 0) m_thread = std::thread([this] { run(); });
    else LOG_WARNING("vicc-smdpp: no listening socket to guard: no per-request deadline");
}

ConnectionGuard::~ConnectionGuard() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void ConnectionGuard::answered(const std::string& peerAddr, int peerPort) {
    std::lock_guard<std::mutex> lock(m_mutex);
    Answers& a = m_answers[peerKey(peerAddr, peerPort)];
    ++a.count;
    a.last = Clock::now();
}

std::uint64_t ConnectionGuard::closedCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_closed;
}

void ConnectionGuard::run() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        scan();
        lock.lock();
        m_wake.wait_for(lock, m_limits.interval, [this] { return m_stop; });
    }
}

void ConnectionGuard::scan() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return;
    const auto now = Clock::now();
    std::set<int> seen;
    while (const dirent* e = ::readdir(dir)) {
        char* end = nullptr;
        const long fd = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || fd < 0 || fd == m_listenFd || fd == ::dirfd(dir)) continue;
        struct stat st {};
        if (::fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
        // An accepted connection of our listener: not listening, same family and local port.
        int listening = 1;
        socklen_t optLen = sizeof listening;
        if (::getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ACCEPTCONN, &listening, &optLen) != 0 || listening) continue;
        sockaddr_storage local{};
        socklen_t len = sizeof local;
        if (::getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &len) != 0 ||
            local.ss_family != m_family || portOf(local) != m_port)
            continue;
        const std::string peer = peerOf(static_cast<int>(fd));
        if (peer.empty()) continue;
        seen.insert(static_cast<int>(fd));
        check(static_cast<int>(fd), peer, now);
    }
    ::closedir(dir);
    std::set<std::string> peers;
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        if (!seen.count(it->first)) {
            it = m_connections.erase(it);
        } else {
            peers.insert(it->second.peer);
            ++it;
        }
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto it = m_answers.begin(); it != m_answers.end();) it = peers.count(it->first) ? std::next(it) : m_answers.erase(it);
}

void ConnectionGuard::check(int fd, const std::string& peer, Clock::time_point now) {
    tcp_info info{};
    socklen_t infoLen = sizeof info;
    const std::uint64_t bytes =
        ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &infoLen) == 0 ? info.tcpi_bytes_received : 0;
    auto it = m_connections.find(fd);
    if (it == m_connections.end() || it->second.peer != peer)  // new, or the fd now holds another connection
        it = m_connections.insert_or_assign(fd, Connection{peer, now, bytes, now, 0, false}).first;
    Connection& c = it->second;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto a = m_answers.find(peer);
        if (a != m_answers.end() && a->second.count != c.answersSeen) {
            c.answersSeen = a->second.count;
            c.mark = a->second.last;
            c.baseBytes = bytes;
            c.base = a->second.last;
        }
    }
    if (c.closed) return;
    // Bytes the server has not read yet: it is behind, not the peer (queued for a worker, or busy).
    // The deadline then starts again: time spent waiting for a worker is not the peer's.
    int unread = 0;
    if (::ioctl(fd, FIONREAD, &unread) != 0) unread = 0;
    if (unread > 0) c.mark = now;
    const char* why = nullptr;
    if (bytes - c.baseBytes > m_limits.maxRequestBytes) why = "request larger than the limit";
    else if (now - c.mark > m_limits.requestTimeout) why = "no complete request in time";
    if (!why) return;
    // The fd could have been closed and reused since the scan looked at it: shut it only if it
    // still holds the same peer (a window of microseconds remains; the cost would be one dropped
    // connection that the client retries).
    if (peerOf(fd) != peer) return;
    ::shutdown(fd, SHUT_RDWR);
    c.closed = true;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_closed;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - c.base).count();
    LOG_WARNING("vicc-smdpp: %s: %s (%llu bytes in %lld ms): connection closed", printable(peer).c_str(), why,
             static_cast<unsigned long long>(bytes - c.baseBytes), static_cast<long long>(ms));
}

}  // namespace vpcsc::smdpp
