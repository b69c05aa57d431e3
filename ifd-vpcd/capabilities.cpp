#include "ifd-vpcd/capabilities.hpp"

#include <PCSC/reader.h>

#include <cstring>

#include "common/ifd_error.hpp"

namespace vpcsc::ifd {
namespace {

template <class Fn>
Bytes functionPointer(Fn* fn) {
    Bytes out(sizeof fn);
    std::memcpy(out.data(), &fn, sizeof fn);
    return out;
}

Bytes oneByte(unsigned value) { return Bytes{static_cast<std::uint8_t>(value)}; }

}  // namespace

Bytes capability(Reader& reader, unsigned long tag) {
    switch (tag) {
        case TAG_IFD_ATR:
        case SCARD_ATTR_ATR_STRING: return reader.atr();  // cached at power-up, no card round trip
        case TAG_IFD_SLOTS_NUMBER: return oneByte(reader.config().slots);
        case TAG_IFD_SIMULTANEOUS_ACCESS: return oneByte(kMaxSlots);
        case TAG_IFD_THREAD_SAFE: return oneByte(1);
        case TAG_IFD_SLOT_THREAD_SAFE: return oneByte(1);
        case TAG_IFD_POLLING_THREAD_WITH_TIMEOUT: return functionPointer(&vpcdPollingThread);
        case TAG_IFD_POLLING_THREAD_KILLABLE: return oneByte(0);
        case TAG_IFD_STOP_POLLING_THREAD: return functionPointer(&vpcdStopPollingThread);
        default: break;
    }
    throw IfdError(IfdCode::ErrorTag, "unsupported capability tag");
}

}  // namespace vpcsc::ifd
