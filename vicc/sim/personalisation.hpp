// Personalisation from the command line (--imsi --iccid --ki --opc/--op --msisdn): every value
// is validated and encoded first (vicc/sim/encoding.hpp), then all are written, so an invalid
// value never leaves a half-personalised card. Applied after the card image is loaded, so the
// options win over the image (and the image then holds them).
#pragma once

#include <string>

#include "vicc/card_options.hpp"

namespace vpcsc::vicc::sim {

class SimCard;

struct Personalisation {
    std::string imsi, iccid, ki, opc, op, msisdn;  // empty: unchanged
    bool empty() const { return imsi.empty() && iccid.empty() && ki.empty() && opc.empty() && op.empty() && msisdn.empty(); }
};

Personalisation personalisationFrom(const CardOptions& options);
// Throws EncodingError (std::invalid_argument) naming the option and the problem.
void personalise(SimCard& card, const Personalisation& p);

}  // namespace vpcsc::vicc::sim
