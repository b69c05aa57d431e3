// The Cryptoflex file header (reference notes §1.4, §1.5): what CREATE FILE sends and what SELECT
// answers instead of an ISO FCI. Files live in the shared vicc/fs tree; the Cryptoflex-only
// attributes are kept in the file's FCP extras, so the card image needs no format of its own:
//   86 (ISO 7816-4 "security attributes in proprietary format"): AC0 AC1 AC2 K0 K1 K2
//   81 (DFs only): the DF size reserved at CREATE FILE, 2 bytes
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "common/bytes.hpp"
#include "vicc/fs/file.hpp"

namespace vpcsc::vicc::cryptoflex {

// File type byte (header byte 6).
constexpr std::uint8_t kTypeTransparent = 0x01;
constexpr std::uint8_t kTypeLinearFixed = 0x02;
constexpr std::uint8_t kTypeLinearVariable = 0x04;
constexpr std::uint8_t kTypeCyclic = 0x06;
constexpr std::uint8_t kTypeDf = 0x38;

constexpr std::size_t kCreateDataLength = 16;        // 17 with a record length
constexpr std::size_t kHeaderOverhead = 16;          // memory a file header takes in its DF

// Access condition nibbles (reference notes §1.4): bytes 8-10 of the header, and the AUT key
// numbers at the same nibble positions in bytes 13-15.
//   EF: AC0 = READ|UPDATE, AC1 = DECREASE|INCREASE, AC2 = REHABILITATE|INVALIDATE
//   DF: AC0 = LIST FILES|RFU, AC1 = DELETE|CREATE, AC2 = REHABILITATE|INVALIDATE (the MF only)
struct Attributes {
    std::array<std::uint8_t, 3> ac{};
    std::array<std::uint8_t, 3> keys{};
    std::uint16_t dfSize = 0;
    bool operator==(const Attributes&) const = default;
};

// The attributes of a file; a file without them (a hand-written image) has every nibble 0
// (always) and a DF size of 0.
Attributes attributesOf(const fs::File& file);
void setAttributes(fs::File& file, const Attributes& attributes);

// Bytes of content as the header reports them (body size of an EF).
std::size_t efSize(const fs::File& ef);
// Free memory of a DF: its size minus the sizes and headers of its children (never below 0).
std::size_t freeMemory(const fs::File& df);

// SELECT answer: 16 bytes (+ record length) for an EF, 22 bytes for a DF (§1.4).
Bytes fileHeader(const fs::File& file);

// CREATE FILE data (F0 E0 00 P2 Lc, §1.5) parsed into a new, unattached file; P2 is the number of
// records of a record EF. Throws SwError: 6700 wrong Lc, 6A80 bad type / size / FID / record
// length, 6A86 P2 not fitting the type.
std::unique_ptr<fs::File> parseCreateFile(ByteView data, std::uint8_t p2);

}  // namespace vpcsc::vicc::cryptoflex
