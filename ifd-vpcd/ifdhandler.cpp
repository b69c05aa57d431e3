// The C ABI edge (IFD handler API v3, /usr/include/PCSC/ifdhandler.h): every IFDH* finds the
// Reader for its Lun, calls one C++ method inside guarded(), and guarded() maps the outcome to
// an IFD_* code in one place; *RxLength (or its equivalent) is 0 on every error. Only IFDH*
// symbols are exported (-fvisibility=hidden, -export-symbols-regex '^IFDH').
extern "C" {  // ifdhandler.h has no C++ guards
#include <PCSC/ifdhandler.h>
}
#include <PCSC/reader.h>

#include <cstring>
#include <exception>
#include <memory>

#include "common/log.hpp"
#include "ifd-vpcd/capabilities.hpp"
#include "ifd-vpcd/device_name.hpp"
#include "ifd-vpcd/features.hpp"
#include "common/ifd_error.hpp"
#include "ifd-vpcd/registry.hpp"

#define IFDH_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using vpcsc::ifd::IfdCode;
using vpcsc::ifd::IfdError;
using vpcsc::ifd::Reader;
using vpcsc::ifd::Registry;

static_assert(static_cast<long>(IfdCode::ErrorTag) == IFD_ERROR_TAG);
static_assert(static_cast<long>(IfdCode::NotSupported) == IFD_ERROR_NOT_SUPPORTED);
static_assert(static_cast<long>(IfdCode::ProtocolNotSupported) == IFD_PROTOCOL_NOT_SUPPORTED);
static_assert(static_cast<long>(IfdCode::PowerAction) == IFD_ERROR_POWER_ACTION);
static_assert(static_cast<long>(IfdCode::CommunicationError) == IFD_COMMUNICATION_ERROR);
static_assert(static_cast<long>(IfdCode::ResponseTimeout) == IFD_RESPONSE_TIMEOUT);
static_assert(static_cast<long>(IfdCode::IccPresent) == IFD_ICC_PRESENT);
static_assert(static_cast<long>(IfdCode::IccNotPresent) == IFD_ICC_NOT_PRESENT);
static_assert(static_cast<long>(IfdCode::NoSuchDevice) == IFD_NO_SUCH_DEVICE);
static_assert(static_cast<long>(IfdCode::InsufficientBuffer) == IFD_ERROR_INSUFFICIENT_BUFFER);

RESPONSECODE toResponse(IfdCode code) { return static_cast<RESPONSECODE>(code); }

// The one place where outcomes become IFD_* codes. zeroOnError: the length to clear on failure.
template <class Body>
RESPONSECODE guarded(const char* fn, DWORD lun, Body&& body, PDWORD zeroOnError = nullptr) {
    RESPONSECODE rc;
    try {
        const std::shared_ptr<Reader> reader = Registry::instance().find(lun);
        if (!reader) throw IfdError(IfdCode::NoSuchDevice, "no channel open for this Lun");
        rc = toResponse(body(*reader));
    } catch (const IfdError& e) {
        rc = toResponse(e.code);
        LOG_DEBUG("%s(Lun 0x%05lX): %ld: %s", fn, static_cast<unsigned long>(lun), static_cast<long>(rc), e.what());
    } catch (const std::exception& e) {
        rc = IFD_COMMUNICATION_ERROR;
        LOG_ERROR("%s(Lun 0x%05lX): %s", fn, static_cast<unsigned long>(lun), e.what());
    } catch (...) {
        rc = IFD_COMMUNICATION_ERROR;
        LOG_ERROR("%s(Lun 0x%05lX): unknown exception", fn, static_cast<unsigned long>(lun));
    }
    if (rc != IFD_SUCCESS && zeroOnError) *zeroOnError = 0;  // only data-returning calls pass one
    return rc;
}

template <class Configure>
RESPONSECODE openChannel(DWORD lun, Configure&& configure) {
    Registry& registry = Registry::instance();
    registry.initLogging();
    try {
        if (registry.find(lun)) throw IfdError(IfdCode::CommunicationError, "channel already open");
        const vpcsc::ifd::DeviceConfig config = configure();
        if (config.logLevel) vpcsc::log::setLevel(*config.logLevel);
        auto reader = std::make_shared<Reader>(lun, config);
        if (!registry.add(lun, reader)) {
            reader->close();
            throw IfdError(IfdCode::CommunicationError, "channel already open");
        }
        return IFD_SUCCESS;
    } catch (const std::exception& e) {
        LOG_ERROR("cannot open Lun 0x%05lX: %s", static_cast<unsigned long>(lun), e.what());
    } catch (...) {
        LOG_ERROR("cannot open Lun 0x%05lX: unknown exception", static_cast<unsigned long>(lun));
    }
    return IFD_COMMUNICATION_ERROR;
}

RESPONSECODE copyOut(const vpcsc::Bytes& value, PUCHAR out, DWORD capacity, PDWORD length) {
    if (value.size() > capacity) throw IfdError(IfdCode::InsufficientBuffer, "buffer too small");
    if (!value.empty()) std::memcpy(out, value.data(), value.size());
    *length = static_cast<DWORD>(value.size());
    return IFD_SUCCESS;
}

}  // namespace

// ---- polling functions handed out through IFDHGetCapabilities ---------------------------------

extern "C" RESPONSECODE vpcdPollingThread(DWORD lun, int timeoutMs) {
    return guarded("polling thread", lun, [&](Reader& r) {
        r.waitForEvent(timeoutMs);
        return IfdCode::Success;
    });
}

extern "C" RESPONSECODE vpcdStopPollingThread(DWORD lun) {
    return guarded("stop polling", lun, [&](Reader& r) {
        r.stopPolling();
        return IfdCode::Success;
    });
}

// ---- IFD handler API v3 -----------------------------------------------------------------------

IFDH_EXPORT RESPONSECODE IFDHCreateChannelByName(DWORD Lun, LPSTR DeviceName) {
    return openChannel(Lun, [&] { return vpcsc::ifd::parseDeviceName(DeviceName ? DeviceName : ""); });
}

// IFD handler v2 entry: CHANNELID is the base port, server mode, defaults otherwise.
IFDH_EXPORT RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD Channel) {
    return openChannel(Lun, [&] {
        if (Channel == 0 || Channel > 65535) throw vpcsc::ParseError("CHANNELID " + std::to_string(Channel) + " is not a TCP port");
        vpcsc::ifd::DeviceConfig config;
        config.port = static_cast<std::uint16_t>(Channel);
        return config;
    });
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
        return static_cast<IfdCode>(copyOut(vpcsc::ifd::capability(r, Tag), Value, *Length, Length));
    }, Length);
}

IFDH_EXPORT RESPONSECODE IFDHSetCapabilities(DWORD Lun, DWORD, DWORD, PUCHAR) {
    return guarded("IFDHSetCapabilities", Lun, [&](Reader&) { return IfdCode::ErrorTag; });
}

IFDH_EXPORT RESPONSECODE IFDHSetProtocolParameters(DWORD Lun, DWORD Protocol, UCHAR, UCHAR, UCHAR, UCHAR) {
    return guarded("IFDHSetProtocolParameters", Lun, [&](Reader& r) {
        r.setProtocol(Protocol);
        return IfdCode::Success;
    });
}

IFDH_EXPORT RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action, PUCHAR Atr, PDWORD AtrLength) {
    return guarded("IFDHPowerICC", Lun, [&](Reader& r) {
        switch (Action) {
            case IFD_POWER_UP:
            case IFD_RESET: {
                const vpcsc::Bytes atr = Action == IFD_POWER_UP ? r.powerUp() : r.reset();
                if (Atr && AtrLength) copyOut(atr, Atr, MAX_ATR_SIZE, AtrLength);  // pcscd's buffer: MAX_ATR_SIZE
                return IfdCode::Success;
            }
            case IFD_POWER_DOWN:  // pcscd passes Atr = AtrLength = NULL here
                r.powerDown();
                return IfdCode::Success;
            default: throw IfdError(IfdCode::NotSupported, "unknown power action " + std::to_string(Action));
        }
    }, AtrLength);
}

IFDH_EXPORT RESPONSECODE IFDHTransmitToICC(DWORD Lun, SCARD_IO_HEADER SendPci, PUCHAR TxBuffer, DWORD TxLength,
                                           PUCHAR RxBuffer, PDWORD RxLength, PSCARD_IO_HEADER RecvPci) {
    if (!RxLength) return IFD_COMMUNICATION_ERROR;
    return guarded("IFDHTransmitToICC", Lun, [&](Reader& r) {
        if (!TxBuffer || !RxBuffer) throw IfdError(IfdCode::CommunicationError, "null buffer");
        *RxLength = static_cast<DWORD>(r.transmit({TxBuffer, TxLength}, {RxBuffer, *RxLength}));
        if (RecvPci) RecvPci->Protocol = SendPci.Protocol;
        return IfdCode::Success;
    }, RxLength);
}

IFDH_EXPORT RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer,
                                     DWORD RxLength, LPDWORD pdwBytesReturned) {
    if (!pdwBytesReturned) return IFD_COMMUNICATION_ERROR;
    return guarded("IFDHControl", Lun, [&](Reader&) {
        const vpcsc::ByteView input = TxBuffer ? vpcsc::ByteView(TxBuffer, TxLength) : vpcsc::ByteView();
        return static_cast<IfdCode>(
            copyOut(vpcsc::ifd::controlResponse(dwControlCode, input), RxBuffer, RxBuffer ? RxLength : 0, pdwBytesReturned));
    }, pdwBytesReturned);
}

IFDH_EXPORT RESPONSECODE IFDHICCPresence(DWORD Lun) {
    return guarded("IFDHICCPresence", Lun, [&](Reader& r) {
        return r.present() ? IfdCode::IccPresent : IfdCode::IccNotPresent;
    });
}
