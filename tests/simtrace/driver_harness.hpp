// What the driver-level tests of ifd-simtrace share: the built libifdsimtrace.so, dlopen'ed as
// pcscd does (Drv), the GSMTAP socket and pcap file it reports to, and the PC/SC client that
// plays the SIM (SimApp). driver_tests.cpp defines log_msg, the pcscd logger the driver calls.
#pragma once

extern "C" {
#include <PCSC/ifdhandler.h>
}
#include <PCSC/reader.h>
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <thread>

#include "ifd-simtrace/st2_protocol.hpp"
#include "ifd-simtrace/trace.hpp"
#include "include/vpcsc/simtrace.h"
#include "tests/simtrace/sim_st2.hpp"

namespace vpcsc::test::drv {

using namespace vpcsc::st2;

inline std::mutex g_logMutex;
inline std::vector<std::string> g_log;

inline bool logContains(const std::string& needle) {
    std::lock_guard lock(g_logMutex);
    for (const auto& l : g_log)
        if (l.find(needle) != std::string::npos) return true;
    return false;
}

struct Drv {
    RESPONSECODE (*createChannelByName)(DWORD, LPSTR);
    RESPONSECODE (*closeChannel)(DWORD);
    RESPONSECODE (*getCapabilities)(DWORD, DWORD, PDWORD, PUCHAR);
    RESPONSECODE (*powerICC)(DWORD, DWORD, PUCHAR, PDWORD);
    RESPONSECODE (*transmitToICC)(DWORD, SCARD_IO_HEADER, PUCHAR, DWORD, PUCHAR, PDWORD, PSCARD_IO_HEADER);
    RESPONSECODE (*control)(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, LPDWORD);
    RESPONSECODE (*iccPresence)(DWORD);

    static Drv& get() {
        static Drv d = [] {
            const char* b = std::getenv("top_builddir");
            const std::string path = std::string(b ? b : ".") + "/.libs/libifdsimtrace.so";
            void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!h) FAIL("dlopen " << path << ": " << dlerror());
            Drv x{};
            x.createChannelByName = reinterpret_cast<decltype(x.createChannelByName)>(dlsym(h, "IFDHCreateChannelByName"));
            x.closeChannel = reinterpret_cast<decltype(x.closeChannel)>(dlsym(h, "IFDHCloseChannel"));
            x.getCapabilities = reinterpret_cast<decltype(x.getCapabilities)>(dlsym(h, "IFDHGetCapabilities"));
            x.powerICC = reinterpret_cast<decltype(x.powerICC)>(dlsym(h, "IFDHPowerICC"));
            x.transmitToICC = reinterpret_cast<decltype(x.transmitToICC)>(dlsym(h, "IFDHTransmitToICC"));
            x.control = reinterpret_cast<decltype(x.control)>(dlsym(h, "IFDHControl"));
            x.iccPresence = reinterpret_cast<decltype(x.iccPresence)>(dlsym(h, "IFDHICCPresence"));
            return x;
        }();
        return d;
    }
    RESPONSECODE open(DWORD lun, const std::string& name) {
        std::string copy = name;
        return createChannelByName(lun, copy.data());
    }
    RESPONSECODE ctl(DWORD lun, unsigned long code, ByteView in, Bytes& out, DWORD cap = 70000) {
        out.assign(cap, 0);
        DWORD n = 0;
        const RESPONSECODE rc = control(lun, code, const_cast<PUCHAR>(in.data()), static_cast<DWORD>(in.size()), out.data(), cap, &n);
        out.resize(rc == IFD_SUCCESS ? n : 0);
        return rc;
    }
    RESPONSECODE ctl(DWORD lun, unsigned long code, ByteView in = {}) {
        Bytes out;
        return ctl(lun, code, in, out);
    }
    bool waitPresence(DWORD lun, RESPONSECODE want, int ms = 2000) {
        for (int i = 0; i < ms / 5; ++i) {
            if (iccPresence(lun) == want) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }
};

struct Channel {
    DWORD lun;
    ~Channel() { Drv::get().closeChannel(lun); }
};

inline std::string pcapPath() { return "/tmp/vpcsc-simtrace-test-" + std::to_string(getpid()) + ".pcap"; }

// One UDP socket on loopback receives the driver's GSMTAP, and a pcap file gets the same packets;
// the configuration file naming them is written before the first channel opens (the driver
// reads it once per process).
inline int gsmtapSocket() {
    static int fd = [] {
        const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
        const std::string conf = "/tmp/vpcsc-simtrace-test-" + std::to_string(getpid()) + ".conf";
        std::ofstream(conf) << "# test configuration\ngsmtap = 127.0.0.1:" << ntohs(a.sin_port) << "\npcap = " << pcapPath()
                            << "\nlog = debug\n";
        setenv("VPCSC_SIMTRACE_CONF", conf.c_str(), 1);
        return s;
    }();
    return fd;
}

inline std::vector<Bytes> gsmtapPackets(int waitMs = 300) {
    std::vector<Bytes> out;
    pollfd p{gsmtapSocket(), POLLIN, 0};
    while (poll(&p, 1, waitMs) > 0) {
        Bytes b(70000);
        const ssize_t n = recv(p.fd, b.data(), b.size(), 0);
        if (n < 0) break;
        b.resize(static_cast<std::size_t>(n));
        out.push_back(std::move(b));
        waitMs = 50;
    }
    return out;
}

// The GSMTAP packets in the pcap file: each record is Ethernet (14) + IPv4 (20) + UDP (8) + GSMTAP.
inline std::vector<Bytes> pcapGsmtapPackets() {
    std::ifstream in(pcapPath(), std::ios::binary);
    const Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<Bytes> out;
    if (file.size() < 24) return out;
    for (std::size_t off = 24; off + 16 <= file.size();) {
        const std::size_t len = file[off + 8] | file[off + 9] << 8 | file[off + 10] << 16 | std::size_t(file[off + 11]) << 24;
        off += 16;
        if (len < 42 || file.size() - off < len) break;
        out.emplace_back(file.begin() + static_cast<std::ptrdiff_t>(off + 42), file.begin() + static_cast<std::ptrdiff_t>(off + len));
        off += len;
    }
    return out;
}

inline Bytes statusMsg(std::uint32_t flags) {
    return encodeMessage(MsgClass::Cardem, cardem::BD_STATUS, encodeStatus({flags, 3000, 1, 1, 10, 9600}));
}

// The PC/SC client playing the SIM: GET_EVENT / PUT_RESPONSE in a thread.
struct SimApp {
    DWORD lun;
    std::function<Bytes(const Bytes&)> answer;
    std::atomic<bool> stop{false};
    std::mutex m;
    std::vector<Bytes> commands;
    std::vector<Bytes> events;
    std::thread t;
    SimApp(DWORD l, std::function<Bytes(const Bytes&)> a) : lun(l), answer(std::move(a)) {
        t = std::thread([this] {
            while (!stop) {
                Bytes ev;
                const Bytes timeout{100, 0};
                if (Drv::get().ctl(lun, VPCSC_SIMTRACE_GET_EVENT, timeout, ev) != IFD_SUCCESS) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    continue;
                }
                if (ev.empty()) continue;
                {
                    std::lock_guard lock(m);
                    events.push_back(ev);
                }
                if (ev[0] != VPCSC_SIMTRACE_EV_APDU) continue;
                const Bytes cmd(ev.begin() + 1, ev.end());
                {
                    std::lock_guard lock(m);
                    commands.push_back(cmd);
                }
                Drv::get().ctl(lun, VPCSC_SIMTRACE_PUT_RESPONSE, answer(cmd));
            }
        });
    }
    ~SimApp() {
        stop = true;
        t.join();
    }
    std::vector<Bytes> seen() {
        std::lock_guard lock(m);
        return commands;
    }
    bool sawEvent(std::uint8_t type) {
        std::lock_guard lock(m);
        for (const auto& e : events)
            if (!e.empty() && e[0] == type) return true;
        return false;
    }
};

inline const Bytes kFci = fromHex("00 00 00 00 3F 00 01 00 00 00 00 00 0D 13 00 0A 04 00 83 8A 83 8A 00");

inline Bytes simAnswer(const Bytes& c) {
    if (c.size() >= 2 && c[1] == 0xA4) {
        Bytes r = kFci;
        append(r, fromHex("90 00"));
        return r;
    }
    if (c.size() >= 2 && c[1] == 0xB2) return fromHex("DE AD BE EF 90 00");
    if (c.size() >= 2 && c[1] == 0xB0) return fromHex("01 02 03 90 00");
    if (c.size() >= 2 && c[1] == 0x20) return c.size() == 13 && c[5] == '1' ? fromHex("90 00") : fromHex("63 C2");
    if (c.size() >= 2 && c[1] == 0x88) {
        Bytes r = fromHex("DB 08 11 22 33 44 55 66 77 88");
        append(r, fromHex("90 00"));
        return r;
    }
    return fromHex("6D 00");
}

// Armed cardem reader with the phone powered.
inline void armAndPower(Drv& d, DWORD lun, SimSimtrace& sim) {
    REQUIRE(d.ctl(lun, VPCSC_SIMTRACE_SET_ATR, fromHex("3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5")) == IFD_SUCCESS);
    REQUIRE(d.ctl(lun, VPCSC_SIMTRACE_ARM) == IFD_SUCCESS);
    sim.send(0x86, statusMsg(STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE));
    REQUIRE(d.waitPresence(lun, IFD_ICC_PRESENT));
}

}  // namespace vpcsc::test::drv
