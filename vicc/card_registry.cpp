#include "vicc/card_registry.hpp"

#include <vector>

#include "vicc/card_options.hpp"
#include "vicc/cards/cards.hpp"

namespace vpcsc::vicc {

// One line per card type, in the order --list-types shows them. A card type file in
// vicc/cards/ declares its factory in vicc/cards/cards.hpp and adds itself here, e.g.
//   {"iso7816", "ISO 7816-4 file system card, PIN 1234", createIso7816Card},
std::span<const CardType> cardTypes() {
    static const std::vector<CardType> table = {
        {"iso7816", "ISO 7816-4 file system card, PIN 1234", createIso7816Card},
        {"sim", "GSM SIM (TS 51.011, CLA A0): phonebook, SMS, RUN GSM ALGORITHM", createSimCard},
        {"usim", "UICC with a USIM (TS 31.102) and the SIM view: AUTHENTICATE (MILENAGE)", createUsimCard},
        {"relay", "a real card in another PC/SC reader (--reader), with --mitm hooks", createRelayCard},
        {"cryptoflex", "Schlumberger Cryptoflex 32K e-gate for OpenSC's flex driver", createCryptoflexCard},
        {"euicc", "SGP.22 consumer eUICC: ISD-R with ES10a/b/c, the enabled profile as USIM (--pki DIR, doc/euicc.md)", createEuiccCard},
    };
    return table;
}

const CardType* findCardType(std::string_view name) { return findCardType(cardTypes(), name); }

const CardType* findCardType(std::span<const CardType> types, std::string_view name) {
    for (const CardType& type : types)
        if (type.name == name) return &type;
    return nullptr;
}

}  // namespace vpcsc::vicc
