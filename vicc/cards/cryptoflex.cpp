// The `cryptoflex` card type: a Schlumberger Cryptoflex 32K e-gate (with on-card key generation)
// that OpenSC's flex driver can initialise and use (vicc/cryptoflex/, doc/cryptoflex.md). Without
// an image it is a blank transport-configured card with a random serial number.
#include "vicc/cards/cards.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"

namespace vpcsc::vicc {

std::unique_ptr<Card> createCryptoflexCard(const CardOptions& options) {
    auto card = CryptoflexCard::blank(cryptoflex::defaultModel(), crypto::randomBytes(8));
    card->setCommandLineAtr(options.atr);
    return card;
}

}  // namespace vpcsc::vicc
