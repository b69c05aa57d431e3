// The `sim` card type: a GSM SIM (TS 51.011) answering CLA A0 only, with the default file
// system of vicc/sim/default_fs.cpp, MILENAGE (GSM-MILENAGE for RUN GSM ALGORITHM) keyed with
// the TS 35.208 test set 1 values, and CHV1 1234 / CHV2 5678 / UNBLOCK 12345678 / 87654321.
#include "vicc/cards/cards.hpp"
#include "vicc/sim/factory.hpp"

namespace vpcsc::vicc {

std::unique_ptr<Card> createSimCard(const CardOptions& options) { return sim::createCard(options, false); }

}  // namespace vpcsc::vicc
