// The `euicc` card type: an SGP.22 consumer eUICC (vicc/euicc/, doc/euicc.md). Its identity (EID,
// certificates, key, trusted CI) comes from --pki DIR, else from defaultPkiDirectory("nist"):
// $VPCSC_EUICC_PKI, the build tree's test PKI, or a per-user test PKI generated on first use.
// --rat any|none sets the Rules Authorisation Table the EUM would have set (default any).
#include <string>

#include "vicc/cards/cards.hpp"
#include "vicc/euicc/default_pki.hpp"
#include "vicc/euicc/euicc_card.hpp"

namespace vpcsc::vicc {

std::unique_ptr<Card> createEuiccCard(const CardOptions& options) {
    const std::string dir = options.pki.empty() ? euicc::defaultPkiDirectory("nist") : options.pki;
    euicc::EuiccIdentity id = euicc::EuiccIdentity::fromPkiDirectory(dir);
    id.rat = euicc::Rat::named(options.rat);
    auto card = std::make_unique<euicc::EuiccCard>(std::move(id));
    card->setAtr(options.atr);
    return card;
}

}  // namespace vpcsc::vicc
