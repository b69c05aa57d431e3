#include "vicc/fs/access.hpp"

#include <bit>

#include "common/sw.hpp"

namespace vpcsc::vicc::fs {

std::uint8_t accessModeBit(const File& file, AccessMode mode) {
    switch (mode) {
    case AccessMode::Read: return 0x01;
    case AccessMode::Update: return 0x02;
    case AccessMode::Write: return 0x04;
    case AccessMode::GetData: return file.isDf() ? 0x00 : 0x01;
    case AccessMode::PutData: return 0x02;
    case AccessMode::DeleteChild: return 0x01;
    case AccessMode::CreateEf: return 0x02;
    case AccessMode::CreateDf: return 0x04;
    case AccessMode::Deactivate: return 0x08;
    case AccessMode::Activate: return 0x10;
    case AccessMode::Terminate: return 0x20;
    case AccessMode::DeleteSelf: return 0x40;
    }
    return 0;
}

bool validCompactSecurity(ByteView a) {
    return !a.empty() && a.size() == 1u + static_cast<unsigned>(std::popcount(static_cast<unsigned>(a[0] & 0x7F)));
}

// ISO 7816-4 §9.3: SC bytes follow the AM byte in the order b7 to b1 of the AM bits set.
std::optional<std::uint8_t> securityCondition(const File& file, AccessMode mode) {
    const Bytes& a = file.compactSecurity;
    const std::uint8_t bit = accessModeBit(file, mode);
    if (a.empty() || bit == 0 || !(a[0] & bit)) return std::nullopt;
    std::size_t index = 1;
    for (std::uint8_t b = 0x40; b > bit; b >>= 1)
        if (a[0] & b) ++index;
    if (index >= a.size()) return 0xFF;
    return a[index];
}

LifeCycle effectiveLifeCycle(const File& file) {
    bool deactivated = false;
    for (const File* f = &file; f; f = f->parent()) {
        if (f->lifeCycle == LifeCycle::Terminated) return LifeCycle::Terminated;
        if (f->lifeCycle == LifeCycle::Deactivated) deactivated = true;
    }
    return deactivated ? LifeCycle::Deactivated : file.lifeCycle;
}

void checkAccess(const File& file, AccessMode mode, const SecurityState& state) {
    const bool deletion = mode == AccessMode::DeleteSelf || mode == AccessMode::DeleteChild;
    const LifeCycle effective = effectiveLifeCycle(file);
    // ISO 7816-9 §6.5, ISO 7816-4 §7.4.10: the life cycle of a DF applies to everything below
    // it. A file restricted only by an ancestor may still be deleted, nothing else.
    if (effective != file.lifeCycle && !deletion) throw SwError(sw::kConditionsOfUseNotSatisfied);
    switch (effective) {
    case LifeCycle::Creation:
    case LifeCycle::Initialisation:
        return;  // ISO 7816-4 §7.4.10: personalisation, attributes not yet in force
    case LifeCycle::Terminated:
        if (!deletion) throw SwError(sw::kConditionsOfUseNotSatisfied);
        break;
    case LifeCycle::Deactivated:
        if (mode != AccessMode::Activate && mode != AccessMode::Terminate && !deletion)
            throw SwError(sw::kConditionsOfUseNotSatisfied);
        break;
    case LifeCycle::Activated:
        break;
    }
    const auto sc = securityCondition(file, mode);
    if (!sc || *sc == 0x00) return;
    if (*sc == 0xFF || !state.satisfied(SecurityCondition{*sc})) throw SwError(sw::kSecurityStatusNotSatisfied);
}

}  // namespace vpcsc::vicc::fs
