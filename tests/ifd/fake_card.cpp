#include "tests/ifd/fake_card.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <random>
#include <stdexcept>

namespace vpcsc::test {
namespace {

addrinfo* resolve(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) throw std::runtime_error("resolve");
    return res;
}

bool readExact(int fd, std::uint8_t* p, std::size_t n) {
    while (n) {
        const ssize_t r = ::recv(fd, p, n, 0);
        if (r == 0) return false;
        if (r < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

void writeAll(int fd, ByteView b) {
    std::size_t done = 0;
    while (done < b.size()) {
        const ssize_t r = ::send(fd, b.data() + done, b.size() - done, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return;
        done += static_cast<std::size_t>(r);
    }
}

}  // namespace

Bytes frame(ByteView payload) {
    Bytes out(2 + payload.size());
    out[0] = static_cast<std::uint8_t>(payload.size() >> 8);
    out[1] = static_cast<std::uint8_t>(payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + 2);
    return out;
}

std::unique_ptr<FakeCard> FakeCard::connect(std::uint16_t port, Script script, const std::string& host) {
    std::unique_ptr<FakeCard> card(new FakeCard(std::move(script)));
    addrinfo* ai = resolve(host, port);
    card->m_fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int rc = ::connect(card->m_fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0) throw std::runtime_error("fake card: connect to port " + std::to_string(port) + " failed");
    const int one = 1;
    setsockopt(card->m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    card->m_connected = true;
    card->m_thread = std::thread([c = card.get()] { c->serve(); });
    return card;
}

std::unique_ptr<FakeCard> FakeCard::listen(std::uint16_t port, Script script, const std::string& host) {
    std::unique_ptr<FakeCard> card(new FakeCard(std::move(script)));
    addrinfo* ai = resolve(host, port);
    card->m_listenFd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(card->m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const int rc = ::bind(card->m_listenFd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0 || ::listen(card->m_listenFd, 1) != 0) throw std::runtime_error("fake card: listen failed");
    card->m_thread = std::thread([c = card.get()] { c->serve(); });
    return card;
}

FakeCard::~FakeCard() {
    m_stop = true;
    if (m_fd >= 0) ::shutdown(m_fd, SHUT_RDWR);
    if (m_listenFd >= 0) ::shutdown(m_listenFd, SHUT_RDWR);
    if (m_thread.joinable()) m_thread.join();
    if (m_fd >= 0) ::close(m_fd);
    if (m_listenFd >= 0) ::close(m_listenFd);
}

void FakeCard::serve() {
    if (m_listenFd >= 0) {
        while (!m_stop) {
            pollfd p{m_listenFd, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) return;
            std::lock_guard lock(m_mutex);
            m_fd = fd;
            m_connected = true;
            m_cv.notify_all();
            break;
        }
        if (m_stop) return;
    }
    while (!m_stop) {
        std::uint8_t header[2];
        if (!readExact(m_fd, header, 2)) break;
        Bytes payload(static_cast<std::size_t>(header[0] << 8 | header[1]));
        if (!readExact(m_fd, payload.data(), payload.size())) break;
        {
            std::lock_guard lock(m_mutex);
            m_messages.push_back(payload);
        }
        Reply reply;
        if (payload.size() == 1) {
            if (payload[0] != 0x04) continue;  // 00/01/02: no answer
            reply = m_script.onGetAtr ? m_script.onGetAtr() : answer(m_script.atr);
        } else {
            reply = m_script.onApdu ? m_script.onApdu(payload) : answer(fromHex("90 00"));
        }
        if (reply.hang) {
            while (!m_stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return;
        }
        writeAll(m_fd, reply.wire);
        if (reply.close) {
            ::shutdown(m_fd, SHUT_RDWR);
            return;
        }
    }
    std::lock_guard lock(m_mutex);
    if (!m_stop) m_closedByDriver = true;
    m_cv.notify_all();
}

void FakeCard::sendRaw(ByteView bytes) { writeAll(m_fd, bytes); }

bool FakeCard::waitClosedByDriver(int timeoutMs) {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_closedByDriver; });
}

bool FakeCard::waitConnected(int timeoutMs) {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_connected; });
}

std::vector<Bytes> FakeCard::messages() const {
    std::lock_guard lock(m_mutex);
    return m_messages;
}

void FakeCard::disconnect() {
    m_stop = true;
    if (m_fd >= 0) ::shutdown(m_fd, SHUT_RDWR);
    if (m_listenFd >= 0) ::shutdown(m_listenFd, SHUT_RDWR);
    if (m_thread.joinable()) m_thread.join();
}

std::uint16_t freePorts(unsigned count) {
    static std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int> pick(20000, 31000);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int base = pick(rng);
        bool ok = true;
        for (unsigned i = 0; i < count && ok; ++i) {
            for (const char* host : {"127.0.0.1", "::1"}) {
                addrinfo* ai = resolve(host, static_cast<std::uint16_t>(base + static_cast<int>(i)));
                const int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 && std::string(host) == "127.0.0.1") ok = false;
                ::close(fd);
                freeaddrinfo(ai);
            }
        }
        if (ok) return static_cast<std::uint16_t>(base);
    }
    throw std::runtime_error("no free ports");
}

int openFdCount() {
    int n = 0;
    DIR* d = opendir("/proc/self/fd");
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n - 1;  // the DIR's own fd
}

}  // namespace vpcsc::test
