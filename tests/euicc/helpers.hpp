// Shared helpers of the euicc tests: hex in/out and the build tree's test PKI.
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::euicc::test {

inline Bytes h(const std::string& hex) { return fromHex(hex); }
inline std::string hx(ByteView data) { return toHex(data, 0); }

// A file of the generated test PKI: pkiFile("nist", "euicc.der").
inline Bytes pkiFile(const std::string& curve, const std::string& name) {
    const std::string path = std::string(VPCSC_EUICC_PKI_DIR) + "/" + curve + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("missing " + path + " (make builds it)");
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
inline std::string pkiText(const std::string& curve, const std::string& name) {
    const Bytes b = pkiFile(curve, name);
    return std::string(b.begin(), b.end());
}

}  // namespace vpcsc::euicc::test
