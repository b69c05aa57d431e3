// Helpers for the sim/usim tests: cards from the registry factories, APDUs as hex strings.
#pragma once

#include <memory>
#include <string>

#include "common/bytes.hpp"
#include "vicc/card_options.hpp"
#include "vicc/cards/cards.hpp"

namespace vpcsc::vicc::test {

inline std::unique_ptr<Card> simCard(const CardOptions& o = {}) {
    auto c = createSimCard(o);
    c->powerOn();
    return c;
}
inline std::unique_ptr<Card> usimCard(const CardOptions& o = {}) {
    auto c = createUsimCard(o);
    c->powerOn();
    return c;
}
inline std::string tx(Card& card, const std::string& apdu) { return toHex(card.process(fromHex(apdu))); }
// The status word only.
inline std::string swOf(Card& card, const std::string& apdu) {
    const std::string r = tx(card, apdu);
    return r.substr(r.size() - 5);
}

constexpr const char* kVerifyChv1 = "A0 20 00 01 08 31 32 33 34 FF FF FF FF";
constexpr const char* kVerifyPin1 = "00 20 00 01 08 31 32 33 34 FF FF FF FF";

}  // namespace vpcsc::vicc::test
