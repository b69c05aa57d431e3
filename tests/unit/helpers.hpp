// Small helpers shared by the unit tests: keep loops to one TAP point each, and never print
// megabytes of bytes when a large comparison fails.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::test {

// Every proper prefix length (0 .. size-1, from `from`) for which parse() did NOT throw Error,
// as "3 7 12"; empty when truncation is always rejected.
template <typename Error>
std::string prefixesAccepted(ByteView full, const std::function<void(ByteView)>& parse, std::size_t from = 0) {
    std::string accepted;
    for (std::size_t cut = from; cut < full.size(); ++cut) {
        try {
            parse(full.first(cut));
            accepted += std::to_string(cut) + " ";
        } catch (const Error&) {
        }
    }
    return accepted;
}

}  // namespace vpcsc::test
