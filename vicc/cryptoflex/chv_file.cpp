#include "vicc/cryptoflex/chv_file.hpp"

#include <algorithm>
#include <stdexcept>

namespace vpcsc::vicc::cryptoflex {

namespace {
constexpr std::size_t kPinOffset = 3;
constexpr std::size_t kTriesOffset = 11;
constexpr std::size_t kPukOffset = 13;
constexpr std::size_t kPukTriesOffset = 21;
}  // namespace

std::optional<ChvFile> ChvFile::parse(ByteView c) {
    if (c.size() < kChvFileSize) return std::nullopt;
    ChvFile f;
    f.pin.assign(c.begin() + kPinOffset, c.begin() + kPinOffset + kChvLength);
    f.triesLeft = c[kTriesOffset];
    f.maxTries = c[kTriesOffset + 1];
    f.puk.assign(c.begin() + kPukOffset, c.begin() + kPukOffset + kChvLength);
    f.pukTriesLeft = c[kPukTriesOffset];
    f.pukMaxTries = c[kPukTriesOffset + 1];
    return f;
}

void ChvFile::store(Bytes& c) const {
    if (c.size() < kChvFileSize || pin.size() != kChvLength || puk.size() != kChvLength)
        throw std::logic_error("ChvFile::store: short file or value");
    std::copy(pin.begin(), pin.end(), c.begin() + kPinOffset);
    c[kTriesOffset] = triesLeft;
    c[kTriesOffset + 1] = maxTries;
    std::copy(puk.begin(), puk.end(), c.begin() + kPukOffset);
    c[kPukTriesOffset] = pukTriesLeft;
    c[kPukTriesOffset + 1] = pukMaxTries;
}

}  // namespace vpcsc::vicc::cryptoflex
