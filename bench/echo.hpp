// The answer of the bench cards (bench-peer and ifd-null): 90 00, or in echo mode the command's
// data field + 90 00, so that a long extended APDU costs bytes in both directions.
#pragma once

#include <algorithm>
#include <cstddef>

#include "common/apdu.hpp"

namespace vpcsc::bench {

// Largest response data a vpcd frame can carry (65535-byte payload minus SW1 SW2).
constexpr std::size_t kMaxEchoData = 0xFFFF - 2;

// Echo: the data field, cut to Ne when the command has an Le, and to maxData. Without an Le the
// whole data field comes back as well (simpler for the tests than a case-3 answer). 67 00 for a
// malformed APDU.
inline Bytes respond(ByteView apdu, bool echo, std::size_t maxData = kMaxEchoData) {
    Bytes out;
    if (echo) {
        CommandApdu c;
        try {
            c = CommandApdu::parse(apdu);
        } catch (const ParseError&) {
            return {0x67, 0x00};
        }
        std::size_t len = std::min(c.data.size(), maxData);
        if (c.ne) len = std::min<std::size_t>(len, *c.ne);
        out.assign(c.data.begin(), c.data.begin() + static_cast<long>(len));
    }
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
}

}  // namespace vpcsc::bench
