// Cryptoflex RSA key files (reference notes §1.7). A key file is a list of records, each
// `length(2, big-endian, counting the whole record) keyNumber components...`, ended by 00 00.
// Numbers are stored little-endian; `base` = modulus bytes / 2.
//   private key EF 0012: len = 5·base+3 | key | p | q | iqmp | dmp1 | dmq1   (base bytes each)
//   public key EF 1012:  len = 5·base+7 | key | n (2·base) | J0 (base) | H (2·base) | e (4)
// J0 and H are Montgomery constants of the real card; OpenSC writes zeros and so do we.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::vicc::cryptoflex {

constexpr std::uint16_t kPrivateKeyFid = 0x0012;
constexpr std::uint16_t kPublicKeyFid = 0x1012;

// base for a modulus size in bits: 512 → 32, 768 → 48, 1024 → 64, 2048 → 128; 0 otherwise.
std::size_t baseOfBits(int bits);
bool validBase(std::size_t base);

Bytes reversed(ByteView b);

// Numbers are big-endian here (OpenSSL's order); encode() reverses them.
struct PrivateKeyRecord {
    std::uint8_t keyNumber = 1;
    Bytes p, q, iqmp, dmp1, dmq1;  // base bytes each
    std::size_t base() const { return p.size(); }
    Bytes encode() const;
    static std::optional<PrivateKeyRecord> decode(ByteView record);
};

struct PublicKeyRecord {
    std::uint8_t keyNumber = 1;
    Bytes n;               // 2·base bytes
    std::uint32_t e = 0;
    std::size_t base() const { return n.size() / 2; }
    Bytes encode() const;
    static std::optional<PublicKeyRecord> decode(ByteView record);
};

// The records of a key file up to the 00 00 end mark (or the first record that does not fit).
std::vector<ByteView> keyRecords(ByteView content);
std::optional<ByteView> findKeyRecord(ByteView content, std::uint8_t keyNumber);
// Replaces the record with the same key number (record[2]) or adds it, keeping the others and
// the end mark; false (content unchanged) when the list does not fit in the file.
bool storeKeyRecord(Bytes& content, ByteView record);

}  // namespace vpcsc::vicc::cryptoflex
