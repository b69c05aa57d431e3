// Key derivation of ICAO Doc 9303 Part 11 §9.7.1: K = H(K_seed || c), c a 32-bit big-endian
// counter (1: K_enc, 2: K_mac). 3DES and AES-128 take the first 16 bytes of SHA-1; AES-192 the
// first 24 and AES-256 all 32 bytes of SHA-256 (§9.7.1.1). Used for the session keys that
// MUTUAL AUTHENTICATE establishes.
#pragma once

#include <cstdint>

#include "common/bytes.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::vicc::crypto {

constexpr std::uint32_t kKdfEnc = 1;
constexpr std::uint32_t kKdfMac = 2;

// keySize: 16 for 3DES; 16, 24 or 32 for AES (std::invalid_argument otherwise).
Bytes icaoKdf(BlockCipher algorithm, std::size_t keySize, ByteView seed, std::uint32_t counter);

}  // namespace vpcsc::vicc::crypto
