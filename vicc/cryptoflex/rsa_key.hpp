// RSA for the Cryptoflex key files, with OpenSSL (DESIGN.md style 8): key pair generation for
// GENERATE RSA KEY (any modulus of 512/768/1024/2048 bits, any odd public exponent) and the
// private-key operation of INTERNAL AUTHENTICATE (C0 88), computed by OpenSSL with the CRT
// components of EF 0012.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.hpp"
#include "vicc/cryptoflex/key_files.hpp"

namespace vpcsc::vicc::cryptoflex {

struct GeneratedKey {
    PrivateKeyRecord privateKey;
    PublicKeyRecord publicKey;
};

// bits: 512, 768, 1024 or 2048; e odd and at least 3 (std::invalid_argument otherwise).
// Throws crypto::CryptoError when OpenSSL fails.
GeneratedKey generateRsaKey(int bits, std::uint32_t e, std::uint8_t keyNumber);

// m^d mod n for input m (big-endian, exactly 2·base bytes), result of the same length. EF 0012
// holds no public exponent: e comes from the matching EF 1012 record when there is one,
// otherwise 65537 or 3 are tried; an exponent is accepted only if e·dP ≡ 1 (mod p-1) and
// e·dQ ≡ 1 (mod q-1). Throws SwError 6700 for a wrong input length, 6A80 for m >= n, 6984 when
// the key record is inconsistent.
Bytes rsaPrivateOperation(const PrivateKeyRecord& key, std::optional<std::uint32_t> e, ByteView input);

}  // namespace vpcsc::vicc::cryptoflex
