// Cryptoflex security state and access conditions (reference notes §1.4, §1.6). The state is
// card-wide (not per DF): CHV1 / CHV2 verified and the AUT keys presented with VERIFY KEY stay
// valid across SELECTs until LOGOUT (F0 22), reset or power off.
#pragma once

#include <cstdint>
#include <set>

#include "vicc/cryptoflex/file_header.hpp"

namespace vpcsc::vicc::cryptoflex {

struct SecurityStatus {
    bool chv1 = false;
    bool chv2 = false;
    std::set<std::uint8_t> keys;  // AUT key numbers verified
    void clear() { *this = {}; }
};

// What a command does to a file, and so which nibble of the header governs it.
enum class Operation { Read, Update, Rehabilitate, Invalidate, ListFiles, Delete, Create };

// Access condition nibble values (reference notes §1.4, OpenSC add_acl_entry).
constexpr std::uint8_t kAcAlways = 0x0;
constexpr std::uint8_t kAcChv1 = 0x1;
constexpr std::uint8_t kAcChv2 = 0x2;
constexpr std::uint8_t kAcPro = 0x3;   // secure messaging: not offered, never satisfied
constexpr std::uint8_t kAcAut = 0x4;
constexpr std::uint8_t kAcChv1Pro = 0x6;
constexpr std::uint8_t kAcChv2Pro = 0x7;
constexpr std::uint8_t kAcChv1Aut = 0x8;
constexpr std::uint8_t kAcChv2Aut = 0x9;
constexpr std::uint8_t kAcNever = 0xF;

// Whether the status satisfies an AC nibble; keyNibble is the AUT key number at the same
// position (0 means the AAK, key 1, as OpenSC assumes). Unknown nibbles are never satisfied.
bool satisfied(std::uint8_t ac, std::uint8_t keyNibble, const SecurityStatus& status);
// The AC and key nibbles that govern op on this file.
struct Condition {
    std::uint8_t ac;
    std::uint8_t key;
};
Condition conditionOf(const fs::File& file, Operation op);
// Throws SwError 6982 when the condition of op on file is not satisfied.
void checkAccess(const fs::File& file, Operation op, const SecurityStatus& status);

}  // namespace vpcsc::vicc::cryptoflex
