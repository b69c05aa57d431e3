// Hardware test: the built driver against a real SIMtrace2. Runs only when SIMTRACE2 names the
// device as pcscd would ("usb:1d50/60e3:libudev:0:/dev/bus/usb/001/005"); SKIPs otherwise.
// Never arms a cardem interface (that would cut the phone off its SIM): it checks enumeration,
// GET_INFO, presence and READ_TRACE for SIMTRACE2_SECONDS (default 3) seconds. TAP output.
extern "C" {
#include <PCSC/ifdhandler.h>
}
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "ifd-simtrace/trace.hpp"
#include "include/vpcsc/simtrace.h"

int main() {
    const char* dev = std::getenv("SIMTRACE2");
    if (!dev || !*dev) {
        std::printf("1..0 # SKIP set SIMTRACE2=usb:1d50/60e3:libudev:IF:/dev/bus/usb/BBB/DDD to test a real device\n");
        return 0;
    }
    std::printf("1..4\n");
    const char* b = std::getenv("top_builddir");
    const std::string path = std::string(b ? b : ".") + "/.libs/libifdsimtrace.so";
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        std::printf("not ok 1 - dlopen %s: %s\n", path.c_str(), dlerror());
        return 1;
    }
    auto open = reinterpret_cast<RESPONSECODE (*)(DWORD, LPSTR)>(dlsym(h, "IFDHCreateChannelByName"));
    auto close = reinterpret_cast<RESPONSECODE (*)(DWORD)>(dlsym(h, "IFDHCloseChannel"));
    auto control = reinterpret_cast<RESPONSECODE (*)(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, LPDWORD)>(dlsym(h, "IFDHControl"));
    auto presence = reinterpret_cast<RESPONSECODE (*)(DWORD)>(dlsym(h, "IFDHICCPresence"));
    std::string name = dev;
    const RESPONSECODE rc = open(0, name.data());
    std::printf("%s 1 - open %s (%ld)\n", rc == IFD_SUCCESS ? "ok" : "not ok", dev, static_cast<long>(rc));
    if (rc != IFD_SUCCESS) return 1;
    std::vector<unsigned char> out(70000);
    DWORD n = 0;
    const RESPONSECODE info = control(0, VPCSC_SIMTRACE_GET_INFO, nullptr, 0, out.data(), static_cast<DWORD>(out.size()), &n);
    std::printf("%s 2 - GET_INFO: kind %d, armed %d, %lu bytes\n", info == IFD_SUCCESS && n >= 9 ? "ok" : "not ok",
                n ? out[0] : -1, n > 1 ? out[1] : -1, static_cast<unsigned long>(n));
    const RESPONSECODE p = presence(0);
    std::printf("%s 3 - presence %ld\n", p == IFD_ICC_PRESENT || p == IFD_ICC_NOT_PRESENT ? "ok" : "not ok", static_cast<long>(p));
    const char* secs = std::getenv("SIMTRACE2_SECONDS");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(secs ? std::atoi(secs) : 3);
    std::size_t records = 0;
    bool good = true;
    while (std::chrono::steady_clock::now() < until) {
        n = 0;
        if (control(0, VPCSC_SIMTRACE_READ_TRACE, nullptr, 0, out.data(), static_cast<DWORD>(out.size()), &n) != IFD_SUCCESS) good = false;
        try {
            for (const auto& r : vpcsc::simtrace::decodeRecords({out.data(), n})) {
                ++records;
                std::printf("# type %u flags 0x%x %zu bytes\n", r.type, r.flags, r.data.size());
            }
        } catch (const std::exception&) {
            good = false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("%s 4 - READ_TRACE: %zu records\n", good ? "ok" : "not ok", records);
    close(0);
    return good ? 0 : 1;
}
