// Random bytes for GET CHALLENGE, key generation seeds and SM session data.
#pragma once

#include <cstddef>

#include "common/bytes.hpp"

namespace vpcsc::vicc::crypto {

// n bytes from OpenSSL's CSPRNG (RAND_bytes); throws CryptoError if it is not seeded.
Bytes randomBytes(std::size_t n);

}  // namespace vpcsc::vicc::crypto
