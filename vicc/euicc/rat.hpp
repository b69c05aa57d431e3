// The Rules Authorisation Table (SGP.22 v2.5 §2.9.2.2, GetRAT §5.7.22): which Profile Policy Rules
// the eUICC accepts in a profile's metadata, and for which Profile Owners. A profile whose PPR1 or
// PPR2 no rule allows for its owner is refused at StoreMetadata with pprNotAllowed (§2.9.2.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::euicc {

// OperatorId ::= SEQUENCE { mccMnc [0] (3, TS 24.008 coding), gid1 [1] OPTIONAL, gid2 [2] OPTIONAL }.
// A nibble 'E' of mccMnc in a rule matches any digit.
struct OperatorId {
    Bytes mccMnc;
    std::optional<Bytes> gid1, gid2;
};

// ProfilePolicyAuthorisationRule ::= SEQUENCE { pprIds [0] PprIds, allowedOperators [1] SEQUENCE OF
// OperatorId, pprFlags [2] BIT STRING { consentRequired(0) } }.
struct PprRule {
    std::uint8_t pprIds = 0;  // PprIds bits as in the BIT STRING's first byte: ppr1 0x40, ppr2 0x20
    std::vector<OperatorId> allowedOperators;
    bool consentRequired = false;
    Bytes encode() const;  // 30 { 80 .., A1 { 30 {80 ..} .. }, 82 .. }
};

// PprIds ::= BIT STRING { pprUpdateControl(0), ppr1(1), ppr2(2) } (SGP.22 §2.9.2.1): ppr1
// "disabling not allowed", ppr2 "deletion not allowed".
constexpr std::uint8_t kPpr1 = 0x40, kPpr2 = 0x20;
// The PprIds bits of StoreMetadata's profilePolicyRules (BIT STRING content: unused-bits byte,
// then the bits), 0 when absent.
std::uint8_t pprBits(const std::optional<Bytes>& profilePolicyRules);

class Rat {
public:
    std::vector<PprRule> rules;

    // "any": PPR1 and PPR2 for every operator (mccMnc EEEEEE), the end user's consent required;
    // "none": no rule, so no profile with PPR1 or PPR2 installs. Throws std::invalid_argument.
    static Rat named(std::string_view name);

    // Whether every PPR1/PPR2 bit of profilePolicyRules (the BIT STRING content of StoreMetadata
    // tag 99: unused-bits byte, then the bits) is allowed for profileOwner (the content of B7).
    // Malformed input is not allowed.
    bool allows(const std::optional<Bytes>& profilePolicyRules, const std::optional<Bytes>& profileOwner) const;
};

}  // namespace vpcsc::euicc
