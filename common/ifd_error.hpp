// The one exception type of our pcscd drivers (ifd-vpcd, ifd-simtrace): it carries the IFD_* code
// that the C ABI edge returns (DESIGN.md style 6: exceptions inside, codes at the edges). Each
// driver's ifdhandler.cpp maps it in one place.
#pragma once

#include <stdexcept>
#include <string>

namespace vpcsc::ifd {

// IFD_* response codes of ifdhandler.h v3, restated so that the reader logic needs no PC/SC header.
enum class IfdCode : long {
    Success = 0,
    ErrorTag = 600,
    NotSupported = 606,              // IFD_ERROR_NOT_SUPPORTED
    ProtocolNotSupported = 607,
    PowerAction = 608,               // IFD_ERROR_POWER_ACTION
    CommunicationError = 612,
    ResponseTimeout = 613,
    IccPresent = 615,
    IccNotPresent = 616,
    NoSuchDevice = 617,
    InsufficientBuffer = 618,
};

struct IfdError : std::runtime_error {
    IfdError(IfdCode c, const std::string& what) : std::runtime_error(what), code(c) {}
    IfdCode code;
};

}  // namespace vpcsc::ifd
