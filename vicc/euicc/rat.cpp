#include "vicc/euicc/rat.hpp"

#include <stdexcept>
#include <string>

#include "common/tlv.hpp"
#include "vicc/euicc/der_fields.hpp"

namespace vpcsc::euicc {

namespace {

using es10::der::namedBits;

// mccMnc: each nibble equal, or 'E' in the rule (SGP.22 §2.9.2.2 wildcard).
bool mccMncMatches(ByteView rule, ByteView owner) {
    if (rule.size() != 3 || owner.size() != 3) return false;
    for (std::size_t i = 0; i < 3; ++i)
        for (int shift : {0, 4}) {
            const unsigned r = (rule[i] >> shift) & 0x0F, o = (owner[i] >> shift) & 0x0F;
            if (r != 0x0E && r != o) return false;
        }
    return true;
}

bool operatorMatches(const OperatorId& rule, const OperatorId& owner) {
    if (!mccMncMatches(rule.mccMnc, owner.mccMnc)) return false;
    if (rule.gid1 && rule.gid1 != owner.gid1) return false;
    return !rule.gid2 || rule.gid2 == owner.gid2;
}

std::optional<OperatorId> decodeOwner(const std::optional<Bytes>& content) {
    if (!content) return std::nullopt;
    OperatorId id;
    for (const auto& t : tlv::parseAll(*content)) {
        if (t.tag == 0x80) id.mccMnc = t.valueBytes();
        else if (t.tag == 0x81) id.gid1 = t.valueBytes();
        else if (t.tag == 0x82) id.gid2 = t.valueBytes();
    }
    if (id.mccMnc.size() != 3) throw ParseError("profileOwner: mccMnc is not 3 bytes");
    return id;
}

}  // namespace

std::uint8_t pprBits(const std::optional<Bytes>& profilePolicyRules) {
    return profilePolicyRules && profilePolicyRules->size() > 1 ? (*profilePolicyRules)[1] : 0;
}

Bytes PprRule::encode() const {
    tlv::Builder ops;
    for (const auto& o : allowedOperators) {
        tlv::Builder id;
        id.add(0x80, o.mccMnc);
        if (o.gid1) id.add(0x81, *o.gid1);
        if (o.gid2) id.add(0x82, *o.gid2);
        ops.addRaw(id.wrap(0x30));
    }
    return tlv::Builder()
        .add(0x80, namedBits(pprIds))
        .add(0xA1, ops)
        .add(0x82, namedBits(consentRequired ? 0x80 : 0x00))
        .wrap(0x30);
}

Rat Rat::named(std::string_view name) {
    Rat r;
    if (name == "any") {
        r.rules.push_back(PprRule{kPpr1 | kPpr2, {OperatorId{{0xEE, 0xEE, 0xEE}, std::nullopt, std::nullopt}}, true});
    } else if (name != "none") {
        throw std::invalid_argument("RAT \"" + std::string(name) + "\": expected any or none");
    }
    return r;
}

bool Rat::allows(const std::optional<Bytes>& profilePolicyRules, const std::optional<Bytes>& profileOwner) const {
    const std::uint8_t wanted = pprBits(profilePolicyRules) & (kPpr1 | kPpr2);
    if (!wanted) return true;
    std::optional<OperatorId> owner;
    try {
        owner = decodeOwner(profileOwner);
    } catch (const ParseError&) {
        return false;
    }
    for (std::uint8_t ppr : {kPpr1, kPpr2}) {
        if (!(wanted & ppr)) continue;
        bool granted = false;
        for (const auto& rule : rules) {
            if (!(rule.pprIds & ppr)) continue;
            for (const auto& op : rule.allowedOperators) {
                // A profile without an owner matches only a rule for every operator.
                const bool any = op.mccMnc == Bytes{0xEE, 0xEE, 0xEE} && !op.gid1 && !op.gid2;
                if (owner ? operatorMatches(op, *owner) : any) granted = true;
            }
        }
        if (!granted) return false;
    }
    return true;
}

}  // namespace vpcsc::euicc
