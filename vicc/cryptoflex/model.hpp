// The Cryptoflex models vicc can present (`"model"` in the card image). Each is an ATR from
// OpenSC's flex driver table (reference notes §1.1) and what the model can do: OpenSC offers
// on-card key generation only for the models its table marks with FLAG_KEYGEN.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::vicc::cryptoflex {

struct Model {
    std::string_view name;        // image "model"
    std::string_view description;  // OpenSC's name for the ATR
    Bytes atr;                     // T=0 only (TD1 = 40)
    bool keyGeneration;            // GENERATE RSA KEY (F0 46) available
    std::size_t memory;            // EEPROM for files: the MF's size in its header
};

std::span<const Model> models();
const Model& defaultModel();                       // "egate32k": Cryptoflex 32K e-gate, with keygen
const Model* findModel(std::string_view name);     // nullptr if unknown

}  // namespace vpcsc::vicc::cryptoflex
