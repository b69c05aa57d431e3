// Byte buffers and hex conversion shared by every part of vpcsc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vpcsc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Thrown by codecs on malformed input; what() says precisely what was wrong.
struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "3B 95 13" (sep = ' '), "3B9513" (sep = 0) or "3b:95:13" with sep = ':' and lower = true.
std::string toHex(ByteView data, char sep = ' ', bool lower = false);

// Accepts upper/lower case with optional separators (space, ':', '-', newline) between bytes.
// Throws ParseError on an odd digit count or a non-hex character.
Bytes fromHex(std::string_view text);

inline std::uint16_t readBe16(ByteView d, std::size_t off) {
    if (off > d.size() || d.size() - off < 2) throw ParseError("readBe16 past end of buffer");
    return static_cast<std::uint16_t>(d[off] << 8 | d[off + 1]);
}

inline void appendBe16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

inline void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace vpcsc
