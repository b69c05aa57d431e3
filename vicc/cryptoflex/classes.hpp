// Cryptoflex instruction classes (reference notes §1.3): C0 for everyday commands, F0 for
// administrative ones; 00 and 10 (chaining) only for the 2048-bit RSA operation.
#pragma once

#include <cstdint>

#include "common/apdu.hpp"
#include "common/sw.hpp"

namespace vpcsc::vicc::cryptoflex {

constexpr std::uint8_t kClaEveryday = 0xC0;
constexpr std::uint8_t kClaAdministrative = 0xF0;
constexpr std::uint8_t kClaIso = 0x00;
constexpr std::uint8_t kClaIsoChaining = 0x10;

// 6E00 when the command came with another class than the one this command belongs to.
inline void requireClass(const CommandApdu& c, std::uint8_t cla) {
    if (c.cla != cla) throw SwError(sw::kClaNotSupported);
}

}  // namespace vpcsc::vicc::cryptoflex
