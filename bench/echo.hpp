// The answer of the bench cards (bench-peer and ifd-null): 90 00, or in echo mode the command's
// data field + 90 00, so that a long extended APDU costs bytes in both directions.
#pragma once

#include <algorithm>
#include <cstddef>

#include "common/bytes.hpp"

namespace vpcsc::bench {

// Largest response data a vpcd frame can carry (65535-byte payload minus SW1 SW2).
constexpr std::size_t kMaxEchoData = 0xFFFF - 2;

// Data field and Ne of a command APDU (ISO 7816-4 §5.1, short and extended cases);
// ok = false when the length does not match any case.
struct CommandBody {
    bool ok = false;
    ByteView data;
    std::size_t ne = 0;
};

inline CommandBody parseBody(ByteView a) {
    const std::size_t n = a.size();
    if (n < 4) return {};
    if (n == 4) return {true, {}, 0};                                      // case 1
    if (n == 5) return {true, {}, a[4] ? a[4] : 256u};                     // case 2S
    if (a[4] != 0) {                                                       // short Lc
        const std::size_t lc = a[4];
        if (n == 5 + lc) return {true, a.subspan(5, lc), 0};               // case 3S
        if (n == 6 + lc) return {true, a.subspan(5, lc), a[n - 1] ? a[n - 1] : 256u};  // case 4S
        return {};
    }
    if (n < 7) return {};
    const std::size_t x = static_cast<std::size_t>(a[5] << 8 | a[6]);
    if (n == 7) return {true, {}, x ? x : 65536u};                         // case 2E
    if (x == 0) return {};
    if (n == 7 + x) return {true, a.subspan(7, x), 0};                     // case 3E
    if (n == 9 + x) {                                                      // case 4E
        const std::size_t le = static_cast<std::size_t>(a[n - 2] << 8 | a[n - 1]);
        return {true, a.subspan(7, x), le ? le : 65536u};
    }
    return {};
}

// Echo: the data field, cut to Ne when the command has an Le, and to maxData. Without an Le
// the whole data field comes back as well (simpler for the tests than a case-3 answer).
inline Bytes respond(ByteView apdu, bool echo, std::size_t maxData = kMaxEchoData) {
    const CommandBody b = parseBody(apdu);
    if (!b.ok) return {0x67, 0x00};
    Bytes out;
    if (echo) {
        std::size_t len = std::min(b.data.size(), maxData);
        if (b.ne) len = std::min(len, b.ne);
        out.assign(b.data.begin(), b.data.begin() + static_cast<long>(len));
    }
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
}

}  // namespace vpcsc::bench
