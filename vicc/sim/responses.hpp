// What SELECT and STATUS return: the GSM 11.11 response parameters (TS 51.011 §9.2.1) for CLA
// A0, and the UICC FCP template (TS 102 221 §11.1.1.3) for CLA 00.
#pragma once

#include <cstddef>
#include <map>
#include <set>

#include "common/bytes.hpp"
#include "vicc/fs/file.hpp"
#include "vicc/iso7816/security_state.hpp"
#include "vicc/sim/access.hpp"

namespace vpcsc::vicc::sim {

struct PinView {
    const std::map<std::uint8_t, Pin>& pins;
    const std::set<std::uint8_t>& disabled;
    const std::map<std::uint8_t, UnblockCode>& unblock;
};

// MF/DF: 22 bytes; EF: 15 bytes. freeMemory: bytes not allocated (bytes 3-4 of a DF response).
Bytes gsmSelectResponse(const fs::File& file, const PinView& pins, std::size_t freeMemory);
// 62 L 82 83 [84] [A5] 8A 8C [C6] [80 81] 88
Bytes uiccFcp(const fs::File& file, const PinView& pins);

}  // namespace vpcsc::vicc::sim
