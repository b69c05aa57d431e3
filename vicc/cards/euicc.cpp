// The `euicc` card type: an SGP.22 consumer eUICC (vicc/euicc/, doc/euicc.md). Its identity (EID,
// trusted CI) comes from a test PKI directory: $VPCSC_EUICC_PKI, else the build tree's NIST PKI
// under $top_builddir (make builds it with vicc/euicc/pki/make-test-pki.sh).
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "vicc/cards/cards.hpp"
#include "vicc/euicc/euicc_card.hpp"

namespace vpcsc::vicc {

std::unique_ptr<Card> createEuiccCard(const CardOptions& options) {
    std::string dir;
    if (const char* pki = std::getenv("VPCSC_EUICC_PKI"); pki && *pki) {
        dir = pki;
    } else if (const char* top = std::getenv("top_builddir"); top && *top) {
        dir = std::string(top) + "/vicc/euicc/pki/nist";
    } else {
        throw std::runtime_error("euicc: set VPCSC_EUICC_PKI to a PKI directory (`make euicc-test-pki` writes "
                                 "vicc/euicc/pki/nist and .../brp in the build tree)");
    }
    auto card = std::make_unique<euicc::EuiccCard>(euicc::EuiccIdentity::fromPkiDirectory(dir));
    card->setAtr(options.atr);
    return card;
}

}  // namespace vpcsc::vicc
