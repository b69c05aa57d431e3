// CHV files (reference notes §1.6): EF 0000 holds CHV1, EF 0100 CHV2; 23 bytes, as OpenSC's
// pkcs15-cflex writes them:
//   3 bytes (FF FF FF) | PIN[8] | tries left | max tries | PUK[8] | PUK tries left | PUK max tries
// PINs are compared as the 8 bytes VERIFY sends (ASCII digits padded by the host).
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.hpp"

namespace vpcsc::vicc::cryptoflex {

constexpr std::size_t kChvFileSize = 23;
constexpr std::size_t kChvLength = 8;

// FID of the file of CHV n (1 or 2).
constexpr std::uint16_t chvFid(std::uint8_t n) { return n == 2 ? 0x0100 : 0x0000; }

struct ChvFile {
    Bytes pin;
    std::uint8_t triesLeft = 0;
    std::uint8_t maxTries = 0;
    Bytes puk;
    std::uint8_t pukTriesLeft = 0;
    std::uint8_t pukMaxTries = 0;

    // nullopt when the file is shorter than 23 bytes.
    static std::optional<ChvFile> parse(ByteView content);
    // Writes the fields back into the content (at least 23 bytes; the first 3 are kept).
    void store(Bytes& content) const;
};

}  // namespace vpcsc::vicc::cryptoflex
