#include "vicc/sim/access.hpp"

namespace vpcsc::vicc::sim {

namespace {
std::uint8_t scOf(std::uint8_t level) {
    if (level == kAlw) return 0x00;
    if (level >= kNev) return 0xFF;
    return static_cast<std::uint8_t>(0x10 | level);
}
}  // namespace

Bytes compactSecurityOf(const GsmAccess& a) {
    // ISO 7816-4 §9.3.2: the SC bytes follow the AM byte in the order b7..b1 of its set bits.
    return {0x1F, scOf(a.rehabilitate), scOf(a.invalidate), scOf(a.increase), scOf(a.update), scOf(a.read)};
}

std::uint8_t gsmLevel(const fs::File& file, fs::AccessMode mode) {
    const auto sc = fs::securityCondition(file, mode);
    if (!sc || *sc == 0x00) return kAlw;
    if (*sc == 0xFF) return kNev;
    const std::uint8_t n = *sc & 0x0F;
    return n == 0 ? std::uint8_t{kAdm} : n;
}

bool SimSecurityState::satisfied(const SecurityCondition& c) const {
    switch (c.seNumber()) {
    case kChv1: return pinVerified(kPin1) || m_disabled.count(kPin1) != 0;
    case kChv2: return pinVerified(kPin2);
    case 0x0: case 0x3: case 0xF: return false;
    default: return pinVerified(kAdm1);  // ADM levels 4-E: the administrative code
    }
}

}  // namespace vpcsc::vicc::sim
