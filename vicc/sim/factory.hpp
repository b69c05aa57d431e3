// Building a sim or usim card: default file system, PINs and keys, then the personalisation.
#pragma once

#include <memory>

#include "vicc/card.hpp"
#include "vicc/card_options.hpp"

namespace vpcsc::vicc::sim {

std::unique_ptr<Card> createCard(const CardOptions& options, bool usim);

}  // namespace vpcsc::vicc::sim
