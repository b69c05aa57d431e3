// Block ciphers for card keys and secure messaging: AES (FIPS 197) with 128/192/256-bit keys and
// Triple DES (NIST SP 800-67) with two keys (K1 K2 K1) or three keys, in ECB and CBC mode
// (NIST SP 800-38A) without padding, plus the padding of ISO/IEC 9797-1 §6.1.2 method 2
// (ISO 7816-4 §10.2.3.1: 80 then 00 up to the block boundary).
#pragma once

#include <cstddef>

#include "common/bytes.hpp"

namespace vpcsc::vicc::crypto {

enum class BlockCipher { Aes, TripleDes };

// A secret key with its algorithm. The bytes are wiped on destruction; never log them.
class SymmetricKey {
public:
    // AES: 16, 24 or 32 bytes; TripleDes: 16 (2-key) or 24 (3-key) bytes, parity bits ignored.
    // Throws std::invalid_argument on another length.
    SymmetricKey(BlockCipher algorithm, ByteView key);
    SymmetricKey(const SymmetricKey&) = default;
    SymmetricKey& operator=(const SymmetricKey&);
    ~SymmetricKey();

    BlockCipher algorithm() const { return m_algorithm; }
    std::size_t blockSize() const { return m_algorithm == BlockCipher::Aes ? 16 : 8; }
    std::size_t size() const { return m_key.size(); }
    ByteView bytes() const { return m_key; }

private:
    BlockCipher m_algorithm;
    Bytes m_key;
};

// Data must be a multiple of the block size (std::invalid_argument otherwise); no padding.
Bytes encryptEcb(const SymmetricKey& key, ByteView data);
Bytes decryptEcb(const SymmetricKey& key, ByteView data);
// iv must be one block.
Bytes encryptCbc(const SymmetricKey& key, ByteView iv, ByteView data);
Bytes decryptCbc(const SymmetricKey& key, ByteView iv, ByteView data);
// CBC with an all-zero IV, as ISO 7816-4 SM with 3DES and the authentication cryptograms use it.
Bytes encryptCbcZeroIv(const SymmetricKey& key, ByteView data);
Bytes decryptCbcZeroIv(const SymmetricKey& key, ByteView data);

// ISO/IEC 9797-1 padding method 2: always appends 80, then 00 to a multiple of blockSize.
Bytes padIso9797M2(ByteView data, std::size_t blockSize);
// The inverse; throws ParseError when the length is not a non-zero multiple of blockSize or the
// last block does not end in 80 00..00.
Bytes unpadIso9797M2(ByteView data, std::size_t blockSize);

}  // namespace vpcsc::vicc::crypto
