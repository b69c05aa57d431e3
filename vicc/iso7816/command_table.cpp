#include "vicc/iso7816/command_table.hpp"

#include <stdexcept>

namespace vpcsc::vicc {

CommandTable& CommandTable::add(std::uint8_t ins, Handler handler, ClassSet set) {
    auto& slot = slots(set)[ins];
    if (slot) throw std::logic_error("CommandTable::add: INS already has a handler");
    slot = std::move(handler);
    return *this;
}

CommandTable& CommandTable::replace(std::uint8_t ins, Handler handler, ClassSet set) {
    auto& slot = slots(set)[ins];
    if (!slot) throw std::logic_error("CommandTable::replace: INS has no handler");
    slot = std::move(handler);
    return *this;
}

CommandTable& CommandTable::remove(std::uint8_t ins, ClassSet set) {
    slots(set)[ins] = nullptr;
    return *this;
}

const CommandTable::Handler* CommandTable::find(ClassSet set, std::uint8_t ins) const {
    const auto& slot = slots(set)[ins];
    return slot ? &slot : nullptr;
}

bool CommandTable::hasAny(ClassSet set) const {
    for (const auto& h : slots(set))
        if (h) return true;
    return false;
}

}  // namespace vpcsc::vicc
