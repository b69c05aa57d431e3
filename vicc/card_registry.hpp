// The table of card types vicc can emulate (`vicc --list-types`). One entry per card type file in
// vicc/cards/; never an if/else chain over names.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "vicc/card.hpp"

namespace vpcsc::vicc {

struct CardOptions;  // vicc/card_options.hpp: what the command line hands to a card type

struct CardType {
    std::string_view name;         // -t NAME
    std::string_view description;  // one line for --list-types
    std::function<std::unique_ptr<Card>(const CardOptions&)> create;
};

std::span<const CardType> cardTypes();
const CardType* findCardType(std::string_view name);
// The same lookup over another table (a test program adds its own types to cardTypes()).
const CardType* findCardType(std::span<const CardType> types, std::string_view name);

}  // namespace vpcsc::vicc
