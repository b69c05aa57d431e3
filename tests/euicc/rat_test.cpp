// The Rules Authorisation Table (vicc/euicc/rat.hpp, SGP.22 v2.5 §2.9.2.2): its GetRAT encoding
// and which profiles' PPR1/PPR2 it allows for which Profile Owner.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/rat.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using euicc::test::h;
using euicc::test::hx;

namespace {
// StoreMetadata 99 contents (BIT STRING: unused bits, then pprUpdateControl 80, ppr1 40, ppr2 20).
constexpr std::uint8_t kPpr1Bit = 0x40, kPpr2Bit = 0x20;
const Bytes kMdPpr1 = h("0640"), kMdPpr2 = h("0520"), kMdBoth = h("0560"), kUpdateOnly = h("0780"), kNone = h("00");
const Bytes kGermany = h("800362F210");  // profileOwner B7 content {mccMnc 262-01, TS 24.008 coding}
const Bytes kGermanyGid = h("800362F2108101AB");
const Bytes kUs = h("800313F020");  // 310-20

PprRule rule(std::uint8_t ids, const char* mccMnc, std::optional<Bytes> gid1 = std::nullopt) {
    return PprRule{ids, {OperatorId{h(mccMnc), std::move(gid1), std::nullopt}}, false};
}
}  // namespace

TEST_CASE("RAT: rules encode as GetRAT carries them", "[euicc][rat]") {
    // 30 { 80 pprIds, A1 { 30 OperatorId ... }, 82 pprFlags }, named bits DER-trimmed (X.690 §11.2.2).
    CHECK(hx(Rat::named("any").rules.at(0).encode()) == "301180020560A10730058003EEEEEE82020780");
    CHECK(Rat::named("none").rules.empty());
    CHECK(hx(rule(kPpr1Bit, "00F110", h("AB")).encode()) == "301380020640A10A3008800300F1108101AB820100");
    CHECK_THROWS_AS(Rat::named("all"), std::invalid_argument);
}

TEST_CASE("RAT: PPR1 and PPR2 only where a rule allows them for the owner", "[euicc][rat]") {
    const Rat any = Rat::named("any"), none = Rat::named("none");
    // No PPR1/PPR2 bit: always allowed, whatever the table.
    for (const Rat* r : {&any, &none}) {
        CHECK(r->allows(std::nullopt, std::nullopt));
        CHECK(r->allows(kNone, kGermany));
        CHECK(r->allows(kUpdateOnly, std::nullopt));  // pprUpdateControl is not a RAT matter
    }
    CHECK(any.allows(kMdBoth, kGermany));
    CHECK(any.allows(kMdPpr1, std::nullopt));  // a rule for every operator covers an unnamed owner
    CHECK_FALSE(none.allows(kMdPpr1, kGermany));
    CHECK_FALSE(none.allows(kMdPpr2, kGermany));

    Rat de;
    de.rules.push_back(rule(kPpr1Bit, "62F210"));
    CHECK(de.allows(kMdPpr1, kGermany));
    CHECK(de.allows(kMdPpr1, kGermanyGid));             // the rule names no gid1: any
    CHECK_FALSE(de.allows(kMdPpr2, kGermany));          // ppr2 is not in the rule
    CHECK_FALSE(de.allows(kMdBoth, kGermany));          // every bit must be allowed
    CHECK_FALSE(de.allows(kMdPpr1, kUs));               // another operator
    CHECK_FALSE(de.allows(kMdPpr1, std::nullopt));      // no owner: only a rule for any operator
    de.rules.push_back(rule(kPpr2Bit, "62F2EE"));     // ppr2 for every MNC of MCC 262 ('E' wildcard)
    CHECK(de.allows(kMdBoth, kGermany));
    CHECK(de.allows(kMdPpr2, h("800362F299")));
    CHECK_FALSE(de.allows(kMdPpr2, h("800363F210")));   // MCC 363

    Rat gid;
    gid.rules.push_back(rule(kPpr1Bit, "62F210", h("AB")));
    CHECK(gid.allows(kMdPpr1, kGermanyGid));
    CHECK_FALSE(gid.allows(kMdPpr1, kGermany));         // the rule needs gid1 AB
    CHECK_FALSE(gid.allows(kMdPpr1, h("800362F2108101AC")));

    // Malformed owners are never allowed (and never throw).
    for (const char* bad : {"", "80", "800262F2", "800462F21000", "810162"})
        CHECK_FALSE(any.allows(kMdPpr1, h(bad)));
}
