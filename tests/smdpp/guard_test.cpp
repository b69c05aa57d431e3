// The per-request deadline and size bound of vicc-smdpp's connections (smdpp/connection_guard.hpp),
// through the real server on plain HTTP with raw sockets: a trickling (slowloris) request is cut
// after the deadline, a kept-alive connection gets a fresh deadline with each answer, a flood of
// header lines is cut long before it ends, and the server keeps serving.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/smdpp/harness.hpp"

using namespace vpcsc::smdpp;
using namespace vpcsc::smdpp::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kRequestHead = "POST /gsma/rsp2/es9plus/handleNotification HTTP/1.1\r\nHost: 127.0.0.1\r\n";
constexpr const char* kBody = R"({"pendingNotification":"MAA="})";

std::string wholeRequest() {
    return std::string(kRequestHead) + "Content-Type: application/json\r\nX-Admin-Protocol: gsma/rsp/v2.2.0\r\n" +
           "Content-Length: " + std::to_string(std::strlen(kBody)) + "\r\n\r\n" + kBody;
}

struct Socket {
    int fd = -1;
    explicit Socket(int port) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    ~Socket() { ::close(fd); }
    bool send(const std::string& s) const { return ::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()); }
    // The peer closed (EOF or reset) within ms.
    bool closedWithin(int ms) const {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, ms) <= 0) return false;
        char c[4096];
        return ::recv(fd, c, sizeof c, MSG_DONTWAIT) <= 0;
    }
    // One HTTP status line within ms ("" if none).
    std::string statusLine(int ms) const {
        std::string got;
        const auto end = Clock::now() + std::chrono::milliseconds(ms);
        while (got.find("\r\n\r\n") == std::string::npos && Clock::now() < end) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            char c[4096];
            const ssize_t n = ::recv(fd, c, sizeof c, 0);
            if (n <= 0) break;
            got.append(c, static_cast<std::size_t>(n));
        }
        return got.substr(0, got.find("\r\n"));
    }
};

int served(int port) {
    httplib::Client plain("127.0.0.1", port);
    auto res = plain.Post("/gsma/rsp2/es9plus/handleNotification", kBody, "application/json");
    return res ? res->status : -1;
}

}  // namespace

TEST_CASE("smdpp guard: a request trickled line by line is cut after the request timeout", "[smdpp][guard]") {
    Server s("nist", {}, /*tls=*/false, std::chrono::seconds(1));
    Socket slow(s.port);
    REQUIRE(slow.send(kRequestHead));
    const auto start = Clock::now();
    bool closed = false;
    for (int line = 0; line < 50 && !closed; ++line) {  // a header line every 200 ms, for up to 10 s
        closed = slow.closedWithin(200) || !slow.send("X-Trickle-" + std::to_string(line) + ": a\r\n");
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    CHECK(closed);
    CHECK(took >= 900);   // not before the deadline (1 s, minus scheduling)
    CHECK(took < 8000);   // 1 s + a 250 ms scan, with room for a loaded machine
    CHECK(served(s.port) == 204);
}

TEST_CASE("smdpp guard: a kept-alive connection gets a fresh deadline with each answer", "[smdpp][guard]") {
    Server s("nist", {}, /*tls=*/false, std::chrono::seconds(1));
    Socket c(s.port);
    // Four requests 600 ms apart on one connection: 1.8 s in all, more than the 1 s deadline, but
    // never 1 s without an answer (and each gap within cpp-httplib's 2 s keep-alive).
    for (int i = 0; i < 4; ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(600));
        REQUIRE(c.send(wholeRequest()));
        CHECK(c.statusLine(5000) == "HTTP/1.1 204 No Content");
    }
}

TEST_CASE("smdpp guard: an idle connection that never sends a request is closed", "[smdpp][guard]") {
    Server s("nist", {}, /*tls=*/false, std::chrono::seconds(1));
    Socket idle(s.port);
    const auto start = Clock::now();
    CHECK(idle.closedWithin(8000));
    CHECK(Clock::now() - start >= std::chrono::milliseconds(900));
}

TEST_CASE("smdpp guard: header lines sent as fast as possible are cut long before they end", "[smdpp][guard]") {
    Server s("nist", {}, /*tls=*/false, std::chrono::seconds(60));
    Socket flood(s.port);
    REQUIRE(flood.send(kRequestHead));
    std::string chunk;
    for (int j = 0; j < 600; ++j) chunk += "X-Flood-" + std::to_string(j) + ": " + std::string(100, 'a') + "\r\n";
    std::size_t sent = 0;
    const std::size_t limit = 256u << 20;
    while (sent < limit && flood.send(chunk)) sent += chunk.size();
    INFO("sent " << sent << " bytes");
    CHECK(sent < limit);  // closed: the bound is maxBody + 64 KiB (320 KiB) plus what one 250 ms scan lets in
    CHECK(served(s.port) == 204);
}
