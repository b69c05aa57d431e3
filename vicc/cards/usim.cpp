// The `usim` card type: a UICC with the USIM application (TS 102 221, TS 31.102) that also
// answers CLA A0 like a SIM; PIN1 1234, PIN2 5678, ADM1 88888888, MILENAGE with the TS 35.208
// test set 1 K and OPc unless personalised (vicc/sim/factory.cpp).
#include "vicc/cards/cards.hpp"
#include "vicc/sim/factory.hpp"

namespace vpcsc::vicc {

std::unique_ptr<Card> createUsimCard(const CardOptions& options) { return sim::createCard(options, true); }

}  // namespace vpcsc::vicc
