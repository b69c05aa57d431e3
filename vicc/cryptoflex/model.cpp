#include "vicc/cryptoflex/model.hpp"

#include <vector>

namespace vpcsc::vicc::cryptoflex {

// ATRs from OpenSC card-flex.c flex_atrs[] (reference notes §1.1); all offer T=0 only.
std::span<const Model> models() {
    static const std::vector<Model> table = {
        {"egate32k", "Cryptoflex 32K e-gate", {0x3B, 0x95, 0x18, 0x40, 0xFF, 0x62, 0x01, 0x02, 0x01, 0x04}, true, 32768},
        {"egate32k-v4", "Cryptoflex 32K e-gate v4", {0x3B, 0x95, 0x18, 0x40, 0xFF, 0x62, 0x04, 0x01, 0x01, 0x05}, true, 32768},
        {"32k-v4", "Cryptoflex 32K v4", {0x3B, 0x95, 0x18, 0x40, 0xFF, 0x64, 0x02, 0x01, 0x01, 0x02}, true, 32768},
        {"16k", "Cryptoflex 16K", {0x3B, 0x95, 0x94, 0x40, 0xFF, 0x63, 0x01, 0x01, 0x02, 0x01}, true, 16384},
        {"8k", "Cryptoflex 8K", {0x3B, 0x95, 0x15, 0x40, 0xFF, 0x68, 0x01, 0x02, 0x02, 0x04}, false, 8192},
    };
    return table;
}

const Model& defaultModel() { return models()[0]; }

const Model* findModel(std::string_view name) {
    for (const Model& m : models())
        if (m.name == name) return &m;
    return nullptr;
}

}  // namespace vpcsc::vicc::cryptoflex
