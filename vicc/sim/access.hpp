// GSM 11.11 access conditions (TS 51.011 §9.3: ALW, CHV1, CHV2, ADM 4-E, NEV) kept in the file
// system as ISO 7816-4 compact security attributes (tag 8C), so that one access check serves the
// GSM (CLA A0) and UICC (CLA 00) commands. The SC byte of a level is 00 (ALW), FF (NEV) or
// 1n: user authentication with SE number n = the GSM level (1 CHV1/PIN1, 2 CHV2/PIN2, 4-E ADM).
// The AM byte covers b1 READ/SEEK, b2 UPDATE, b3 INCREASE (ISO WRITE), b4 INVALIDATE
// (DEACTIVATE), b5 REHABILITATE (ACTIVATE).
#pragma once

#include <cstdint>
#include <memory>
#include <set>

#include "vicc/fs/access.hpp"
#include "vicc/fs/file.hpp"
#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc::sim {

// GSM access condition levels (TS 51.011 §9.3).
enum GsmLevel : std::uint8_t { kAlw = 0x0, kChv1 = 0x1, kChv2 = 0x2, kAdm = 0xA, kNev = 0xF };

// PIN references (TS 102 221 §9.5.1 Table 9.3): PIN1 = CHV1, PIN2 (local) = CHV2, ADM1.
constexpr std::uint8_t kPin1 = 0x01, kPin2 = 0x81, kAdm1 = 0x0A;

// UNBLOCK CHV (PUK) of a CHV/PIN reference, with its persistent retry counter.
struct UnblockCode {
    Bytes value;
    std::uint8_t maxTries = 10;
    std::uint8_t triesLeft = 10;
};

struct GsmAccess {
    std::uint8_t read = kChv1, update = kAdm, increase = kNev, invalidate = kAdm, rehabilitate = kAdm;
};

Bytes compactSecurityOf(const GsmAccess& access);
// The GSM level that governs the mode on the file (ALW when no 8C restricts it).
std::uint8_t gsmLevel(const fs::File& file, fs::AccessMode mode);

// The security status of one channel: verified PINs, and the card-wide set of disabled PINs
// (a disabled PIN1 satisfies CHV1 conditions, TS 51.011 §11.3 / TS 102 221 §9.5.1).
class SimSecurityState : public BasicSecurityState {
public:
    explicit SimSecurityState(const std::set<std::uint8_t>& disabledPins) : m_disabled(disabledPins) {}
    bool satisfied(const SecurityCondition& condition) const override;

private:
    const std::set<std::uint8_t>& m_disabled;
};

}  // namespace vpcsc::vicc::sim
