// Which transmission protocols an ATR offers (ISO/IEC 7816-3 §8.2.3: T indicated in TDi;
// no TD1 means T=0 only). Only what IFDHSetProtocolParameters needs; lenient on truncation.
#pragma once

#include "common/bytes.hpp"

namespace vpcsc::ifd {

constexpr unsigned kProtocolT0 = 1;  // SCARD_PROTOCOL_T0
constexpr unsigned kProtocolT1 = 2;  // SCARD_PROTOCOL_T1

// Bit mask of kProtocolT0 / kProtocolT1 offered by atr (0 for an empty ATR).
unsigned atrProtocols(ByteView atr);

}  // namespace vpcsc::ifd
