#include "vicc/cryptoflex/access.hpp"

#include "common/sw.hpp"

namespace vpcsc::vicc::cryptoflex {

namespace {
constexpr std::uint8_t kAak = 1;  // OpenSC flex_init: aak_key_ref = 1
}

bool satisfied(std::uint8_t ac, std::uint8_t keyNibble, const SecurityStatus& s) {
    const std::uint8_t key = keyNibble == 0 ? kAak : keyNibble;
    const bool aut = s.keys.count(key) != 0;
    switch (ac) {
    case kAcAlways: return true;
    case kAcChv1: return s.chv1;
    case kAcChv2: return s.chv2;
    case kAcAut: return aut;
    case kAcChv1Aut: return s.chv1 && aut;
    case kAcChv2Aut: return s.chv2 && aut;
    case kAcPro:
    case kAcChv1Pro:
    case kAcChv2Pro:
    case kAcNever:
    default: return false;
    }
}

// Reference notes §1.4: the nibble positions of each operation in AC0-AC2 / K0-K2.
Condition conditionOf(const fs::File& file, Operation op) {
    const Attributes a = attributesOf(file);
    auto hi = [&](int i) { return Condition{static_cast<std::uint8_t>(a.ac[i] >> 4), static_cast<std::uint8_t>(a.keys[i] >> 4)}; };
    auto lo = [&](int i) { return Condition{static_cast<std::uint8_t>(a.ac[i] & 0x0F), static_cast<std::uint8_t>(a.keys[i] & 0x0F)}; };
    switch (op) {
    case Operation::Read:
    case Operation::ListFiles: return hi(0);
    case Operation::Update: return lo(0);
    case Operation::Delete: return hi(1);
    case Operation::Create: return lo(1);
    case Operation::Rehabilitate: return hi(2);
    case Operation::Invalidate: return lo(2);
    }
    return {kAcNever, 0};
}

void checkAccess(const fs::File& file, Operation op, const SecurityStatus& status) {
    const Condition c = conditionOf(file, op);
    if (!satisfied(c.ac, c.key, status)) throw SwError(sw::kSecurityStatusNotSatisfied);
}

}  // namespace vpcsc::vicc::cryptoflex
