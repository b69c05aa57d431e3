// bench-peer: a minimal vpcd card for benchmarks and integration tests. Connects to the reader
// (or, with -R, listens for it like `vicc -R`), answers GET ATR with a fixed ATR, POWER ON/OFF/RESET
// silently and every APDU with 90 00 (-e: data + 90 00). Scripted faults: die, hang or send
// garbage instead of answering APDU number N+1.
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "bench/echo.hpp"
#include "common/vpcd_protocol.hpp"

namespace {

using namespace vpcsc;

struct Options {
    std::string host = "127.0.0.1";
    unsigned port = vpcd::kDefaultPort;
    bool reversed = false;
    bool echo = false;
    bool verbose = false;
    Bytes atr = {0x3B, 0x80, 0x80, 0x01, 0x01};
    long dieAfter = -1;      // exit instead of answering APDU dieAfter+1
    long hangAfter = -1;     // stop answering (socket stays open) at APDU hangAfter+1
    long garbageAfter = -1;  // answer APDU garbageAfter+1 with unframed random bytes
    double retrySeconds = 5; // keep retrying connect() this long
};

[[noreturn]] void usage(int rc) {
    std::fprintf(rc ? stderr : stdout,
                 "usage: bench-peer [-H HOST] [-p PORT] [-R] [-e] [-a ATRHEX] [-v]\n"
                 "                  [--die-after N] [--hang-after N] [--garbage-after N] [--retry SEC]\n"
                 "  -R  reversed mode: listen on HOST:PORT for the reader (like vicc -R)\n"
                 "  -e  echo: answer data field + 90 00 instead of 90 00\n");
    std::exit(rc);
}

Options parseArgs(int argc, char** argv) {
    static const option longOpts[] = {
        {"die-after", required_argument, nullptr, 'D'}, {"hang-after", required_argument, nullptr, 'S'},
        {"garbage-after", required_argument, nullptr, 'G'}, {"retry", required_argument, nullptr, 'T'},
        {"help", no_argument, nullptr, 'h'}, {nullptr, 0, nullptr, 0}};
    Options o;
    int c;
    try {
        while ((c = getopt_long(argc, argv, "H:p:Rea:vh", longOpts, nullptr)) != -1) {
            switch (c) {
                case 'H': o.host = optarg; break;
                case 'p': o.port = static_cast<unsigned>(std::stoul(optarg, nullptr, 0)); break;
                case 'R': o.reversed = true; break;
                case 'e': o.echo = true; break;
                case 'a': o.atr = fromHex(optarg); break;
                case 'v': o.verbose = true; break;
                case 'D': o.dieAfter = std::stol(optarg); break;
                case 'S': o.hangAfter = std::stol(optarg); break;
                case 'G': o.garbageAfter = std::stol(optarg); break;
                case 'T': o.retrySeconds = std::stod(optarg); break;
                case 'h': usage(0);
                default: usage(2);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench-peer: bad argument: %s\n", e.what());
        usage(2);
    }
    if (optind != argc || o.port == 0 || o.port > 65535) usage(2);
    return o;
}

sockaddr_in address(const Options& o) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(o.port));
    if (inet_pton(AF_INET, o.host.c_str(), &sa.sin_addr) != 1) {
        std::fprintf(stderr, "bench-peer: HOST must be an IPv4 address: %s\n", o.host.c_str());
        std::exit(2);
    }
    return sa;
}

bool writeAll(int fd, const Bytes& b) {
    std::size_t off = 0;
    while (off < b.size()) {
        const ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

// Serves one reader connection until it closes. Returns the number of APDUs answered.
long serve(int fd, const Options& o, long apdus) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    vpcd::FrameDecoder decoder;
    std::uint8_t buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return apdus;
        decoder.feed(ByteView(buf, static_cast<std::size_t>(n)));
        while (auto payload = decoder.next()) {
            if (payload->empty()) continue;  // not sent by a correct reader; ignore
            if (payload->size() == 1) {
                if (o.verbose) std::fprintf(stderr, "bench-peer: control %02X\n", (*payload)[0]);
                if ((*payload)[0] == static_cast<std::uint8_t>(vpcd::Control::GetAtr) &&
                    !writeAll(fd, vpcd::encodeFrame(o.atr)))
                    return apdus;
                continue;
            }
            if (o.verbose) std::fprintf(stderr, "bench-peer: APDU %zu bytes\n", payload->size());
            if (apdus == o.dieAfter) {
                std::fprintf(stderr, "bench-peer: dying at APDU %ld\n", apdus + 1);
                std::_Exit(0);
            }
            if (apdus == o.hangAfter) {
                std::fprintf(stderr, "bench-peer: hanging at APDU %ld\n", apdus + 1);
                for (;;) pause();
            }
            if (apdus == o.garbageAfter) {
                std::fprintf(stderr, "bench-peer: garbage at APDU %ld\n", apdus + 1);
                Bytes junk(300);
                for (auto& b : junk) b = static_cast<std::uint8_t>(std::rand());
                junk[0] = 0xFF;  // announce a near-maximal frame that never completes
                if (!writeAll(fd, junk)) return apdus;
                ++apdus;
                continue;
            }
            if (!writeAll(fd, vpcd::encodeFrame(bench::respond(*payload, o.echo)))) return apdus;
            ++apdus;
        }
    }
}

int runClient(const Options& o) {
    const sockaddr_in sa = address(o);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.retrySeconds);
    for (;;) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return 1;
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) {
            const long n = serve(fd, o, 0);
            std::fprintf(stderr, "bench-peer: reader closed the connection after %ld APDUs\n", n);
            ::close(fd);
            return 0;
        }
        const int err = errno;
        ::close(fd);
        if (std::chrono::steady_clock::now() >= deadline) {
            std::fprintf(stderr, "bench-peer: connect %s:%u: %s\n", o.host.c_str(), o.port, std::strerror(err));
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int runListener(const Options& o) {
    const sockaddr_in sa = address(o);
    const int ls = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ls < 0 || ::bind(ls, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 || ::listen(ls, 4) != 0) {
        std::fprintf(stderr, "bench-peer: listen %s:%u: %s\n", o.host.c_str(), o.port, std::strerror(errno));
        return 1;
    }
    long apdus = 0;
    for (;;) {  // the reader may reconnect; fault counters run across connections
        const int fd = ::accept(ls, nullptr, nullptr);
        if (fd < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (o.verbose) std::fprintf(stderr, "bench-peer: reader connected\n");
        apdus = serve(fd, o, apdus);
        ::close(fd);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parseArgs(argc, argv);
    std::setvbuf(stderr, nullptr, _IOLBF, 0);
    return o.reversed ? runListener(o) : runClient(o);
}
