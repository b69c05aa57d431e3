// Shared helpers of the crypto tests: hex in, hex out.
#pragma once

#include <string>

#include "common/bytes.hpp"

namespace vpcsc::vicc::crypto::test {

inline Bytes h(const std::string& hex) { return fromHex(hex); }
inline std::string hx(ByteView data) { return toHex(data, 0); }

}  // namespace vpcsc::vicc::crypto::test
