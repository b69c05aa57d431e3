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
    // sim/usim personalisation (vicc/sim/personalisation.hpp); empty: the card's own value
    std::string imsi, iccid, ki, opc, op, msisdn;
};

}  // namespace vpcsc::vicc
