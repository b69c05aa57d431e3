// Options from the command line that a card type may use when it is created.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::vicc {

struct CardOptions {
    std::optional<Bytes> atr;  // --atr HEX: overrides the type's (and the image's) ATR
    std::string reader;        // relay: the PC/SC reader to forward to (--reader)
    std::string mitm;          // relay: man-in-the-middle hook (--mitm)
    bool exclusive = false;        // relay: --exclusive (SCARD_SHARE_EXCLUSIVE)
    bool autoGetResponse = false;  // relay: --auto-get-response (61xx / 6Cxx handled by the relay)
    // The vpcd reader this vicc connects to (empty host with --reversed): the relay refuses to
    // relay the reader it is itself presented in.
    std::string vpcdHost;
    int vpcdPort = 0;
    // sim/usim personalisation (vicc/sim/personalisation.hpp); empty: the card's own value
    std::string imsi, iccid, ki, opc, op, msisdn;
    // euicc: the PKI directory (ci.der, eum.der, euicc.der, euicc.key); empty: defaultPkiDirectory
    std::string pki;
    // euicc: the Rules Authorisation Table, "any" or "none" (vicc/euicc/rat.hpp)
    std::string rat = "any";
};

}  // namespace vpcsc::vicc
