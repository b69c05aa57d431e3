// The GSMA TS.48 test profiles (not shipped): $VPCSC_TS48_DIR, else the path configured at build
// time. Tests over them SKIP when the directory is absent (distcheck, other checkouts).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::saip::test {

inline std::string ts48Dir() {
    if (const char* env = std::getenv("VPCSC_TS48_DIR"); env && *env) return env;
    return VPCSC_TS48_DIR;
}

// The file's bytes, or empty when the data directory or the file is missing.
inline Bytes ts48(const std::string& name) {
    std::ifstream in(ts48Dir() + "/" + name, std::ios::binary);
    if (!in) return {};
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool haveTs48() { return std::filesystem::is_directory(ts48Dir()); }

}  // namespace vpcsc::saip::test
