#include "tests/ifd/driver.hpp"

#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace {

std::mutex g_logMutex;
std::vector<std::string> g_log;

}  // namespace

// pcscd's logging entry point (debuglog.h); the driver binds to it through a weak reference.
extern "C" __attribute__((visibility("default"))) void log_msg(const int priority, const char* fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (std::getenv("VPCD_TEST_VERBOSE")) std::fprintf(stderr, "[pcscd log %d] %s\n", priority, buf);
    std::lock_guard lock(g_logMutex);
    g_log.emplace_back(buf);
}

namespace vpcsc::test {

std::vector<std::string> logLines() {
    std::lock_guard lock(g_logMutex);
    return g_log;
}

bool logContains(const std::string& needle) {
    for (const auto& l : logLines())
        if (l.find(needle) != std::string::npos) return true;
    return false;
}

void clearLog() {
    std::lock_guard lock(g_logMutex);
    g_log.clear();
}

template <class T>
static void bind(void* handle, T& fn, const char* name) {
    void* sym = dlsym(handle, name);
    if (!sym) FAIL("dlsym " << name << ": " << dlerror());
    fn = reinterpret_cast<T>(sym);
}

Driver& Driver::get() {
    static Driver driver = [] {
        const char* builddir = std::getenv("top_builddir");
        const std::string path = std::string(builddir ? builddir : ".") + "/.libs/libifdvpcd.so";
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) FAIL("dlopen " << path << ": " << dlerror());
        Driver d{};
        bind(handle, d.createChannelByName, "IFDHCreateChannelByName");
        bind(handle, d.createChannel, "IFDHCreateChannel");
        bind(handle, d.closeChannel, "IFDHCloseChannel");
        bind(handle, d.getCapabilities, "IFDHGetCapabilities");
        bind(handle, d.setCapabilities, "IFDHSetCapabilities");
        bind(handle, d.setProtocolParameters, "IFDHSetProtocolParameters");
        bind(handle, d.powerICC, "IFDHPowerICC");
        bind(handle, d.transmitToICC, "IFDHTransmitToICC");
        bind(handle, d.control, "IFDHControl");
        bind(handle, d.iccPresence, "IFDHICCPresence");
        return d;
    }();
    return driver;
}

RESPONSECODE Driver::open(DWORD lun, const std::string& deviceName) {
    std::string copy = deviceName;
    return createChannelByName(lun, copy.data());
}

bool Driver::present(DWORD lun) { return iccPresence(lun) == IFD_ICC_PRESENT; }

bool Driver::waitPresent(DWORD lun, bool expected, int timeoutMs) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        if (present(lun) == expected) return true;
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

RESPONSECODE Driver::powerUp(DWORD lun, Bytes& atr) {
    atr.assign(MAX_ATR_SIZE, 0);
    DWORD len = MAX_ATR_SIZE;
    const RESPONSECODE rc = powerICC(lun, IFD_POWER_UP, atr.data(), &len);
    atr.resize(len);
    return rc;
}

RESPONSECODE Driver::transmit(DWORD lun, ByteView command, Bytes& response, DWORD capacity) {
    response.assign(capacity, 0xEE);
    DWORD len = capacity;
    SCARD_IO_HEADER send{SCARD_PROTOCOL_T1, 8};
    SCARD_IO_HEADER recv{0, 8};
    Bytes tx(command.begin(), command.end());
    const RESPONSECODE rc = transmitToICC(lun, send, tx.data(), static_cast<DWORD>(tx.size()), response.data(), &len, &recv);
    response.resize(len);
    return rc;
}

Driver::PollFn Driver::pollFunction(DWORD lun) {
    PollFn fn = nullptr;
    DWORD len = sizeof fn;
    if (getCapabilities(lun, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT, &len, reinterpret_cast<PUCHAR>(&fn)) != IFD_SUCCESS ||
        len != sizeof fn)
        return nullptr;
    return fn;
}

Driver::StopFn Driver::stopFunction(DWORD lun) {
    StopFn fn = nullptr;
    DWORD len = sizeof fn;
    if (getCapabilities(lun, TAG_IFD_STOP_POLLING_THREAD, &len, reinterpret_cast<PUCHAR>(&fn)) != IFD_SUCCESS ||
        len != sizeof fn)
        return nullptr;
    return fn;
}

}  // namespace vpcsc::test
