// ICAO Doc 9303 Part 11 §9.7.1 key derivation function.
#include "vicc/crypto/kdf.hpp"

#include <stdexcept>

#include "vicc/crypto/digest.hpp"

namespace vpcsc::vicc::crypto {

Bytes icaoKdf(BlockCipher algorithm, std::size_t keySize, ByteView seed, std::uint32_t counter) {
    const bool ok = algorithm == BlockCipher::TripleDes ? keySize == 16 : (keySize == 16 || keySize == 24 || keySize == 32);
    if (!ok) throw std::invalid_argument("icaoKdf: unsupported key size");
    Bytes input(seed.begin(), seed.end());
    for (int shift = 24; shift >= 0; shift -= 8) input.push_back(static_cast<std::uint8_t>(counter >> shift));
    Bytes k = digest(keySize == 16 ? DigestAlgorithm::Sha1 : DigestAlgorithm::Sha256, input);
    k.resize(keySize);
    return k;
}

}  // namespace vpcsc::vicc::crypto
