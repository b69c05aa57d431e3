// COMP128-1 (COMP128 version 1), the GSM A3/A8 example algorithm: SRES and Kc from Ki and RAND.
// Kept for old SIM test setups (osmocom's HLRs still provision it); it is broken and must not
// protect anything real.
#pragma once

#include "common/bytes.hpp"

namespace vpcsc::vicc::sim {

struct GsmTriplet {
    Bytes sres;  // 4 bytes
    Bytes kc;    // 8 bytes
};

// ki and rand: 16 bytes each (std::invalid_argument otherwise). Kc carries 54 key bits followed
// by 10 zero bits, as COMP128-1 SIMs return it.
GsmTriplet comp128v1(ByteView ki, ByteView rand);

}  // namespace vpcsc::vicc::sim
