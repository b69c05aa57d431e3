// ifd-null: a pcscd driver whose card is always present and answers in-process (90 00, or the
// command data + 90 00 like bench-peer -e). The ceiling every driver in bench/ is compared to.
// A DEVICENAME containing "echo" (pcscd wants /dev/null:echo) selects echo mode, else plain 90 00.
extern "C" {  // the header has no C++ guards
#include <PCSC/ifdhandler.h>
}
#include <PCSC/reader.h>

#include <cstring>
#include <mutex>
#include <set>
#include <string>

#include "bench/echo.hpp"

#define IFD_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

const vpcsc::Bytes kAtr = {0x3B, 0x80, 0x80, 0x01, 0x01};

std::mutex g_mutex;          // guards g_echoLuns
std::set<DWORD> g_echoLuns;  // readers opened with DEVICENAME "echo"

bool echoing(DWORD lun) {
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_echoLuns.count(lun) != 0;
}

RESPONSECODE putValue(PDWORD length, PUCHAR value, const void* data, DWORD size) {
    if (*length < size) return IFD_ERROR_INSUFFICIENT_BUFFER;
    std::memcpy(value, data, size);
    *length = size;
    return IFD_SUCCESS;
}

}  // namespace

IFD_EXPORT RESPONSECODE IFDHCreateChannelByName(DWORD lun, LPSTR deviceName) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (deviceName && std::string(deviceName).find("echo") != std::string::npos) g_echoLuns.insert(lun);
    return IFD_SUCCESS;
}

IFD_EXPORT RESPONSECODE IFDHCreateChannel(DWORD, DWORD) { return IFD_SUCCESS; }

IFD_EXPORT RESPONSECODE IFDHCloseChannel(DWORD lun) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_echoLuns.erase(lun);
    return IFD_SUCCESS;
}

IFD_EXPORT RESPONSECODE IFDHGetCapabilities(DWORD, DWORD tag, PDWORD length, PUCHAR value) {
    const UCHAR one = 1;
    switch (tag) {
        case TAG_IFD_ATR:
        case SCARD_ATTR_ATR_STRING: return putValue(length, value, kAtr.data(), static_cast<DWORD>(kAtr.size()));
        case TAG_IFD_SLOTS_NUMBER:
        case TAG_IFD_SIMULTANEOUS_ACCESS:
        case TAG_IFD_THREAD_SAFE:
        case TAG_IFD_SLOT_THREAD_SAFE: return putValue(length, value, &one, 1);
        default: *length = 0; return IFD_ERROR_TAG;
    }
}

IFD_EXPORT RESPONSECODE IFDHSetCapabilities(DWORD, DWORD, DWORD, PUCHAR) { return IFD_ERROR_TAG; }

IFD_EXPORT RESPONSECODE IFDHSetProtocolParameters(DWORD, DWORD, UCHAR, UCHAR, UCHAR, UCHAR) {
    return IFD_SUCCESS;
}

IFD_EXPORT RESPONSECODE IFDHPowerICC(DWORD, DWORD action, PUCHAR atr, PDWORD atrLength) {
    if (action == IFD_POWER_DOWN) {
        *atrLength = 0;
        return IFD_SUCCESS;
    }
    *atrLength = static_cast<DWORD>(kAtr.size());
    std::memcpy(atr, kAtr.data(), kAtr.size());
    return IFD_SUCCESS;
}

IFD_EXPORT RESPONSECODE IFDHTransmitToICC(DWORD lun, SCARD_IO_HEADER, PUCHAR tx, DWORD txLength, PUCHAR rx,
                                          PDWORD rxLength, PSCARD_IO_HEADER recvPci) {
    const std::size_t room = *rxLength >= 2 ? *rxLength - 2 : 0;
    const vpcsc::Bytes r = vpcsc::bench::respond(vpcsc::ByteView(tx, txLength), echoing(lun),
                                                 std::min(room, vpcsc::bench::kMaxEchoData));
    if (r.size() > *rxLength) {
        *rxLength = 0;
        return IFD_COMMUNICATION_ERROR;
    }
    std::memcpy(rx, r.data(), r.size());
    *rxLength = static_cast<DWORD>(r.size());
    if (recvPci) recvPci->Protocol = 1;
    return IFD_SUCCESS;
}

IFD_EXPORT RESPONSECODE IFDHControl(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, LPDWORD bytesReturned) {
    *bytesReturned = 0;
    return IFD_ERROR_NOT_SUPPORTED;
}

IFD_EXPORT RESPONSECODE IFDHICCPresence(DWORD) { return IFD_ICC_PRESENT; }
