// The C ABI edge (IFD handler API v3) of ifd-simtrace: every IFDH* finds the Reader for its Lun,
// calls one method inside guarded(), which maps the outcome to an IFD_* code in one place;
// output lengths are 0 on every error. Only IFDH* are exported (libifdsimtrace.map).
extern "C" {  // ifdhandler.h has no C++ guards
#include <PCSC/ifdhandler.h>
}
#include <PCSC/reader.h>

#include <cstring>
#include <exception>
#include <memory>

#include "common/log.hpp"
#include "common/ifd_error.hpp"
#include "ifd-simtrace/registry.hpp"

#define IFDH_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using vpcsc::ifd::IfdCode;
using vpcsc::ifd::IfdError;
using vpcsc::simtrace::Reader;
using vpcsc::simtrace::Registry;

static_assert(static_cast<long>(IfdCode::ErrorTag) == IFD_ERROR_TAG);
static_assert(static_cast<long>(IfdCode::NotSupported) == IFD_ERROR_NOT_SUPPORTED);
static_assert(static_cast<long>(IfdCode::CommunicationError) == IFD_COMMUNICATION_ERROR);
static_assert(static_cast<long>(IfdCode::IccPresent) == IFD_ICC_PRESENT);
static_assert(static_cast<long>(IfdCode::IccNotPresent) == IFD_ICC_NOT_PRESENT);
static_assert(static_cast<long>(IfdCode::NoSuchDevice) == IFD_NO_SUCH_DEVICE);
static_assert(static_cast<long>(IfdCode::InsufficientBuffer) == IFD_ERROR_INSUFFICIENT_BUFFER);

// The simultaneous-access count pcscd needs to create a reader per interface of one device.
constexpr unsigned kMaxReaders = 16;

template <class Body>
RESPONSECODE guarded(const char* fn, DWORD lun, Body&& body, PDWORD zeroOnError = nullptr) {
    RESPONSECODE rc;
    try {
        const std::shared_ptr<Reader> reader = Registry::instance().find(lun);
        if (!reader) throw IfdError(IfdCode::NoSuchDevice, "no channel open for this Lun");
        rc = static_cast<RESPONSECODE>(body(*reader));
    } catch (const IfdError& e) {
        rc = static_cast<RESPONSECODE>(e.code);
        LOG_DEBUG("%s(Lun 0x%05lX): %ld: %s", fn, static_cast<unsigned long>(lun), static_cast<long>(rc), e.what());
    } catch (const std::exception& e) {
        rc = IFD_COMMUNICATION_ERROR;
        LOG_ERROR("%s(Lun 0x%05lX): %s", fn, static_cast<unsigned long>(lun), e.what());
    } catch (...) {
        rc = IFD_COMMUNICATION_ERROR;
        LOG_ERROR("%s(Lun 0x%05lX): unknown exception", fn, static_cast<unsigned long>(lun));
    }
    if (rc != IFD_SUCCESS && zeroOnError) *zeroOnError = 0;
    return rc;
}

IfdCode copyOut(const vpcsc::Bytes& value, PUCHAR out, DWORD capacity, PDWORD length) {
    if (value.size() > capacity) throw IfdError(IfdCode::InsufficientBuffer, "buffer too small");
    if (!value.empty()) std::memcpy(out, value.data(), value.size());
    *length = static_cast<DWORD>(value.size());
    return IfdCode::Success;
}

template <class Fn>
vpcsc::Bytes functionPointer(Fn* fn) {
    vpcsc::Bytes out(sizeof fn);
    std::memcpy(out.data(), &fn, sizeof fn);
    return out;
}

}  // namespace

extern "C" RESPONSECODE simtracePollingThread(DWORD lun, int timeoutMs) {
    return guarded("polling thread", lun, [&](Reader& r) {
        r.waitForEvent(timeoutMs);
        return IfdCode::Success;
    });
}

extern "C" RESPONSECODE simtraceStopPollingThread(DWORD lun) {
    return guarded("stop polling", lun, [&](Reader& r) {
        r.stopPolling();
        return IfdCode::Success;
    });
}

IFDH_EXPORT RESPONSECODE IFDHCreateChannelByName(DWORD Lun, LPSTR DeviceName) {
    Registry& registry = Registry::instance();
    const vpcsc::simtrace::Config& config = registry.init();
    const std::string name = DeviceName ? DeviceName : "";
    try {
        if (registry.find(Lun)) throw IfdError(IfdCode::CommunicationError, "channel already open");
        const vpcsc::simtrace::UsbAddress address = vpcsc::simtrace::parseDeviceName(name);
        const std::shared_ptr<vpcsc::simtrace::UsbDevice> device = registry.device(address);
        const auto info = device->interface(address.interface);
        if (!info) throw IfdError(IfdCode::NoSuchDevice, "no interface " + std::to_string(address.interface));
        std::shared_ptr<Reader> reader;
        if (info->cls == 0xFF && info->subclass == 1 && info->epIn)
            reader = std::make_shared<vpcsc::simtrace::TraceReader>(Lun, device, *info, config);
        else if (info->cls == 0xFF && info->subclass == 2 && info->epIn && info->epOut)
            reader = std::make_shared<vpcsc::simtrace::CardemReader>(Lun, device, *info, config);
        else
            throw IfdError(IfdCode::NoSuchDevice, "interface " + std::to_string(info->number) + " (class " +
                                                      std::to_string(info->cls) + "/" + std::to_string(info->subclass) +
                                                      ") is not a SIMtrace2 trace or cardem function");
        reader->start();
        if (!registry.add(Lun, reader)) {
            reader->close();
            throw IfdError(IfdCode::CommunicationError, "channel already open");
        }
        LOG_INFO("Lun 0x%05lX: %s reader on %s interface %d \"%s\"", static_cast<unsigned long>(Lun),
                 info->subclass == 1 ? "trace" : "cardem", device->product().c_str(), info->number, info->name.c_str());
        return IFD_SUCCESS;
    } catch (const IfdError& e) {
        LOG_INFO("cannot open Lun 0x%05lX (%s): %s", static_cast<unsigned long>(Lun), name.c_str(), e.what());
        return static_cast<RESPONSECODE>(e.code);
    } catch (const std::exception& e) {
        LOG_ERROR("cannot open Lun 0x%05lX (%s): %s", static_cast<unsigned long>(Lun), name.c_str(), e.what());
    } catch (...) {
        LOG_ERROR("cannot open Lun 0x%05lX: unknown exception", static_cast<unsigned long>(Lun));
    }
    return IFD_NO_SUCH_DEVICE;
}

IFDH_EXPORT RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD) {
    LOG_ERROR("Lun 0x%05lX: ifd-simtrace is a USB driver; pcscd must use IFDHCreateChannelByName",
              static_cast<unsigned long>(Lun));
    return IFD_NO_SUCH_DEVICE;
}

IFDH_EXPORT RESPONSECODE IFDHCloseChannel(DWORD Lun) {
    return guarded("IFDHCloseChannel", Lun, [&](Reader& r) {
        r.close();
        Registry::instance().remove(Lun);
        return IfdCode::Success;
    });
}

IFDH_EXPORT RESPONSECODE IFDHGetCapabilities(DWORD Lun, DWORD Tag, PDWORD Length, PUCHAR Value) {
    if (!Length) return IFD_COMMUNICATION_ERROR;
    return guarded("IFDHGetCapabilities", Lun, [&](Reader& r) {
        vpcsc::Bytes v;
        switch (Tag) {
            case TAG_IFD_ATR:
            case SCARD_ATTR_ATR_STRING: v = r.atr(); break;
            case TAG_IFD_SLOTS_NUMBER: v = {1}; break;
            case TAG_IFD_SIMULTANEOUS_ACCESS: v = {kMaxReaders}; break;
            case TAG_IFD_THREAD_SAFE: v = {1}; break;
            case TAG_IFD_SLOT_THREAD_SAFE: v = {1}; break;
            case TAG_IFD_POLLING_THREAD_WITH_TIMEOUT: v = functionPointer(&simtracePollingThread); break;
            case TAG_IFD_POLLING_THREAD_KILLABLE: v = {0}; break;
            case TAG_IFD_STOP_POLLING_THREAD: v = functionPointer(&simtraceStopPollingThread); break;
            default: throw IfdError(IfdCode::ErrorTag, "unsupported capability tag");
        }
        if (!Value) throw IfdError(IfdCode::CommunicationError, "null buffer");
        return copyOut(v, Value, *Length, Length);
    }, Length);
}

IFDH_EXPORT RESPONSECODE IFDHSetCapabilities(DWORD Lun, DWORD, DWORD, PUCHAR) {
    return guarded("IFDHSetCapabilities", Lun, [&](Reader&) { return IfdCode::ErrorTag; });
}

IFDH_EXPORT RESPONSECODE IFDHSetProtocolParameters(DWORD Lun, DWORD Protocol, UCHAR, UCHAR, UCHAR, UCHAR) {
    return guarded("IFDHSetProtocolParameters", Lun, [&](Reader&) {
        // The firmware negotiates PPS with the phone itself; T=0 is all there is.
        return Protocol == SCARD_PROTOCOL_T0 ? IfdCode::Success : IfdCode::ProtocolNotSupported;
    });
}

IFDH_EXPORT RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action, PUCHAR Atr, PDWORD AtrLength) {
    return guarded("IFDHPowerICC", Lun, [&](Reader& r) {
        switch (Action) {
            case IFD_POWER_UP:
            case IFD_RESET: {  // never touches the phone<->SIM link
                const vpcsc::Bytes atr = r.powerUp();
                if (Atr && AtrLength) copyOut(atr, Atr, MAX_ATR_SIZE, AtrLength);
                return IfdCode::Success;
            }
            case IFD_POWER_DOWN: r.checkDevice(); return IfdCode::Success;  // must never cut the phone off
            default: throw IfdError(IfdCode::NotSupported, "unknown power action " + std::to_string(Action));
        }
    }, AtrLength);
}

IFDH_EXPORT RESPONSECODE IFDHTransmitToICC(DWORD Lun, SCARD_IO_HEADER, PUCHAR, DWORD, PUCHAR, PDWORD RxLength,
                                           PSCARD_IO_HEADER) {
    if (!RxLength) return IFD_COMMUNICATION_ERROR;
    return guarded("IFDHTransmitToICC", Lun, [&](Reader& r) {
        r.checkDevice();
        // The host is not a terminal on a SIMtrace2 link: use the SCardControl escapes.
        throw IfdError(IfdCode::NotSupported, "transmit is not possible on a SIMtrace2 reader");
        return IfdCode::NotSupported;
    }, RxLength);
}

IFDH_EXPORT RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer,
                                     DWORD RxLength, LPDWORD pdwBytesReturned) {
    if (!pdwBytesReturned) return IFD_COMMUNICATION_ERROR;
    return guarded("IFDHControl", Lun, [&](Reader& r) {
        const vpcsc::ByteView input = TxBuffer ? vpcsc::ByteView(TxBuffer, TxLength) : vpcsc::ByteView();
        const DWORD capacity = RxBuffer ? RxLength : 0;
        return copyOut(r.control(dwControlCode, input, capacity), RxBuffer, capacity, pdwBytesReturned);
    }, pdwBytesReturned);
}

IFDH_EXPORT RESPONSECODE IFDHICCPresence(DWORD Lun) {
    return guarded("IFDHICCPresence", Lun, [&](Reader& r) {
        return r.present() ? IfdCode::IccPresent : IfdCode::IccNotPresent;
    });
}
