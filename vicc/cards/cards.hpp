// Factories of the card types in vicc/cards/, one per file; vicc/card_registry.cpp lists them.
#pragma once

#include <memory>

#include "vicc/card.hpp"
#include "vicc/card_options.hpp"

namespace vpcsc::vicc {

// vicc/cards/iso7816.cpp: a blank ISO 7816-4 development card.
std::unique_ptr<Card> createIso7816Card(const CardOptions& options);

// vicc/cards/sim.cpp, vicc/cards/usim.cpp: GSM SIM and UICC/USIM (vicc/sim/).
std::unique_ptr<Card> createSimCard(const CardOptions& options);
std::unique_ptr<Card> createUsimCard(const CardOptions& options);
// vicc/cards/relay.cpp: a real card behind another PC/SC reader (vicc/relay/, doc/relay.md).
std::unique_ptr<Card> createRelayCard(const CardOptions& options);
// vicc/cards/cryptoflex.cpp: a Schlumberger Cryptoflex 32K e-gate for OpenSC's flex driver.
std::unique_ptr<Card> createCryptoflexCard(const CardOptions& options);
// vicc/cards/euicc.cpp: an SGP.22 consumer eUICC (vicc/euicc/, doc/euicc.md).
std::unique_ptr<Card> createEuiccCard(const CardOptions& options);

}  // namespace vpcsc::vicc
