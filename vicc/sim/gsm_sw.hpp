// The status words of TS 51.011 §9.4 (CLA A0).
#pragma once

#include <cstdint>

namespace vpcsc::vicc::sim::gsm_sw {

constexpr std::uint16_t kSatBusy = 0x9300;                      // §9.4.2
constexpr std::uint16_t kNoEfSelected = 0x9400;                 // §9.4.4 referencing
constexpr std::uint16_t kOutOfRange = 0x9402;
constexpr std::uint16_t kNotFound = 0x9404;                     // file ID or pattern not found
constexpr std::uint16_t kFileInconsistent = 0x9408;             // file inconsistent with the command
constexpr std::uint16_t kNoChvInitialised = 0x9802;             // §9.4.5 security management
constexpr std::uint16_t kAccessNotFulfilled = 0x9804;           // also: wrong CHV, attempts left
constexpr std::uint16_t kChvContradiction = 0x9808;             // contradiction with CHV status
constexpr std::uint16_t kInvalidationContradiction = 0x9810;    // contradiction with invalidation status
constexpr std::uint16_t kChvBlocked = 0x9840;                   // CHV/UNBLOCK CHV blocked
constexpr std::uint16_t kIncreaseFailed = 0x9850;               // max value reached
constexpr std::uint16_t kWrongP3 = 0x6700;                      // §9.4.6 application independent errors
constexpr std::uint16_t kWrongP1P2 = 0x6B00;
constexpr std::uint16_t kTechnicalProblem = 0x6F00;

}  // namespace vpcsc::vicc::sim::gsm_sw
