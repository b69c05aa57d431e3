// Per-request deadline and size bound over the ES9+ server's connections: see connection_guard.hpp.
#include "smdpp/connection_guard.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>  // struct tcp_info with tcpi_bytes_received (glibc's netinet/tcp.h lacks it)
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.hpp"

namespace vpcsc::smdpp {

namespace {

using Clock = std::chrono::steady_clock;

// TCP states (include/net/tcp_states.h): a connection being served, or half closed by its peer.
constexpr unsigned kTcpEstablished = 1;
constexpr unsigned kTcpCloseWait = 8;

// The port of an AF_INET/AF_INET6 address, or -1.
int portOf(const sockaddr_storage& a) {
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
    return -1;
}

// "addr|port" as cpp-httplib names a peer (numeric address), so answered() finds it.
std::string peerKey(const std::string& addr, int port) { return addr + "|" + std::to_string(port); }

std::string printable(const std::string& key) {
    const auto bar = key.rfind('|');
    return bar == std::string::npos ? key : key.substr(0, bar) + ":" + key.substr(bar + 1);
}

// The descriptor of this process that holds socket `inode`, or -1 (readlink: by path, no
// descriptor of another thread is used).
int descriptorOf(unsigned inode) {
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return -1;
    const std::string want = "socket:[" + std::to_string(inode) + "]";
    int found = -1;
    while (const dirent* e = ::readdir(dir)) {
        char link[64];
        const std::string path = std::string("/proc/self/fd/") + e->d_name;
        const ssize_t n = ::readlink(path.c_str(), link, sizeof link);
        if (n == static_cast<ssize_t>(want.size()) && want.compare(0, want.size(), link, static_cast<std::size_t>(n)) == 0) {
            found = std::atoi(e->d_name);
            break;
        }
    }
    ::closedir(dir);
    return found;
}

}  // namespace

struct ConnectionGuard::Seen {
    unsigned inode = 0;
    std::string peer;
    std::uint32_t unread = 0;   // idiag_rqueue: received, not yet read by the server
    std::uint64_t received = 0;  // tcpi_bytes_received
};

ConnectionGuard::ConnectionGuard(int listenFd, Limits limits) : m_limits(limits) {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getsockname(listenFd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        m_family = a.ss_family;
        m_port = portOf(a);
    }
    m_netlink = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    // pidfd_open/pidfd_getfd through syscall(): the sanitizers do not model them, and the
    // duplicates they give are used by this guard's thread only, with raw system calls too.
    m_pidfd = static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0));
    if (m_port <= 0 || m_netlink < 0 || m_pidfd < 0) {
        LOG_WARNING("vicc-smdpp: no per-request deadline (%s): slow clients can hold worker threads",
                    m_port <= 0 ? "no listening socket" : m_netlink < 0 ? "no sock_diag" : "no pidfd_open");
        return;
    }
    m_thread = std::thread([this] { run(); });
}

ConnectionGuard::~ConnectionGuard() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
    if (m_netlink >= 0) ::close(m_netlink);
    if (m_pidfd >= 0) ::syscall(SYS_close, m_pidfd);
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

// One sock_diag dump of the TCP sockets of the listener's family (Documentation/networking: the
// inet_diag_req_v2 request, answered by inet_diag_msg + INET_DIAG_INFO tcp_info), keeping those
// whose local port is the listener's.
void ConnectionGuard::scan() {
    struct {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } request{};
    request.nlh.nlmsg_len = sizeof request;
    request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.req.sdiag_family = static_cast<std::uint8_t>(m_family);
    request.req.sdiag_protocol = IPPROTO_TCP;
    request.req.idiag_states = (1u << kTcpEstablished) | (1u << kTcpCloseWait);
    request.req.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(m_netlink, &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) return;

    const auto now = Clock::now();
    std::set<unsigned> alive;
    alignas(nlmsghdr) char buffer[32768];
    for (bool done = false; !done;) {
        const ssize_t got = ::recv(m_netlink, buffer, sizeof buffer, 0);
        if (got <= 0) return;
        int left = static_cast<int>(got);
        for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                done = true;
                break;
            }
            if (h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) continue;
            const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
            if (ntohs(m->id.idiag_sport) != m_port || m->idiag_inode == 0) continue;
            Seen s;
            s.inode = m->idiag_inode;
            s.unread = m->idiag_rqueue;
            char addr[INET6_ADDRSTRLEN] = "";
            ::inet_ntop(m->idiag_family, m->id.idiag_dst, addr, sizeof addr);
            s.peer = peerKey(addr, ntohs(m->id.idiag_dport));
            int attrLen = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
            for (auto* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, attrLen); a = RTA_NEXT(a, attrLen)) {
                if (a->rta_type != INET_DIAG_INFO) continue;
                tcp_info info{};
                std::memcpy(&info, RTA_DATA(a), std::min<std::size_t>(RTA_PAYLOAD(a), sizeof info));
                s.received = info.tcpi_bytes_received;
            }
            alive.insert(s.inode);
            check(s, now);
        }
    }
    std::set<std::string> peers;
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        if (!alive.count(it->first)) {
            it = m_connections.erase(it);
        } else {
            peers.insert(it->second.peer);
            ++it;
        }
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto it = m_answers.begin(); it != m_answers.end();) it = peers.count(it->first) ? std::next(it) : m_answers.erase(it);
}

void ConnectionGuard::check(const Seen& s, Clock::time_point now) {
    auto it = m_connections.find(s.inode);
    if (it == m_connections.end())
        it = m_connections.emplace(s.inode, Connection{s.peer, now, s.received, now, 0, false}).first;
    Connection& c = it->second;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto a = m_answers.find(s.peer);
        if (a != m_answers.end() && a->second.count != c.answersSeen) {
            c.answersSeen = a->second.count;
            c.mark = a->second.last;
            c.baseBytes = s.received;
            c.base = a->second.last;
        }
    }
    if (c.closed) return;
    // Bytes the server has not read yet: it is behind, not the peer (queued for a worker, or busy).
    // The deadline then starts again: time spent waiting for a worker is not the peer's.
    if (s.unread > 0) c.mark = now;
    const char* why = nullptr;
    if (s.received - c.baseBytes > m_limits.maxRequestBytes) why = "request larger than the limit";
    else if (now - c.mark > m_limits.requestTimeout) why = "no complete request in time";
    if (!why || !shutDown(s.inode)) return;
    c.closed = true;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_closed;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - c.base).count();
    LOG_WARNING("vicc-smdpp: %s: %s (%llu bytes in %lld ms): connection closed", printable(s.peer).c_str(), why,
                static_cast<unsigned long long>(s.received - c.baseBytes), static_cast<long long>(ms));
}

// Shuts down socket `inode` through a duplicate of its descriptor that only this thread holds;
// the duplicate is checked to be that socket first, so a descriptor closed and reused since the
// look-up is left alone. Raw system calls on the duplicate: see the constructor.
bool ConnectionGuard::shutDown(unsigned inode) const {
    const int fd = descriptorOf(inode);
    if (fd < 0) return false;  // closed meanwhile, or not ours
    const long mine = ::syscall(SYS_pidfd_getfd, m_pidfd, fd, 0);
    if (mine < 0) return false;
    struct statx st {};
    const bool same = ::syscall(SYS_statx, mine, "", AT_EMPTY_PATH, STATX_INO, &st) == 0 && st.stx_ino == inode;
    if (same) ::syscall(SYS_shutdown, mine, SHUT_RDWR);
    ::syscall(SYS_close, mine);
    return same;
}

}  // namespace vpcsc::smdpp
