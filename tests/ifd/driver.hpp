// The built libifdvpcd.so, dlopen'ed from $top_builddir/.libs like pcscd does, with its IFDH*
// entry points resolved by dlsym, plus the log lines it sent to log_msg (which this test binary
// exports, standing in for pcscd).
#pragma once

extern "C" {
#include <PCSC/ifdhandler.h>
}
#include <PCSC/reader.h>

#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::test {

struct Driver {
    RESPONSECODE (*createChannelByName)(DWORD, LPSTR);
    RESPONSECODE (*createChannel)(DWORD, DWORD);
    RESPONSECODE (*closeChannel)(DWORD);
    RESPONSECODE (*getCapabilities)(DWORD, DWORD, PDWORD, PUCHAR);
    RESPONSECODE (*setCapabilities)(DWORD, DWORD, DWORD, PUCHAR);
    RESPONSECODE (*setProtocolParameters)(DWORD, DWORD, UCHAR, UCHAR, UCHAR, UCHAR);
    RESPONSECODE (*powerICC)(DWORD, DWORD, PUCHAR, PDWORD);
    RESPONSECODE (*transmitToICC)(DWORD, SCARD_IO_HEADER, PUCHAR, DWORD, PUCHAR, PDWORD, PSCARD_IO_HEADER);
    RESPONSECODE (*control)(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, LPDWORD);
    RESPONSECODE (*iccPresence)(DWORD);

    static Driver& get();  // loads once; FAILs the test if the library is missing

    // Conveniences over the raw entry points.
    RESPONSECODE open(DWORD lun, const std::string& deviceName);
    bool present(DWORD lun);
    bool waitPresent(DWORD lun, bool expected, int timeoutMs);
    RESPONSECODE powerUp(DWORD lun, Bytes& atr);
    RESPONSECODE transmit(DWORD lun, ByteView command, Bytes& response, DWORD capacity = 65548);
    using PollFn = RESPONSECODE (*)(DWORD, int);
    using StopFn = RESPONSECODE (*)(DWORD);
    PollFn pollFunction(DWORD lun);
    StopFn stopFunction(DWORD lun);
};

// Closes the channel at scope exit.
struct Channel {
    DWORD lun;
    ~Channel() { Driver::get().closeChannel(lun); }
};

// Log lines received through log_msg since the last clearLog().
std::vector<std::string> logLines();
bool logContains(const std::string& needle);
void clearLog();

}  // namespace vpcsc::test
