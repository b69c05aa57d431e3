#include "vicc/euicc/saip/arr.hpp"

#include <array>
#include <optional>

#include "common/tlv.hpp"

namespace vpcsc::euicc::saip {

namespace {

constexpr std::uint8_t kAlways = 0x00, kNever = 0xFF;

// Strength order for AND/OR: always < PIN1 < PIN2 < ADM < never.
int rank(std::uint8_t sc) {
    if (sc == kAlways) return 0;
    if (sc == kNever) return 4;
    const std::uint8_t level = sc & 0x0F;
    return level == 1 ? 1 : level == 2 ? 2 : 3;
}

// TS 102 221 §9.5.1 key references to the GSM-style levels of vicc/sim/access.hpp.
std::uint8_t levelOfKey(std::uint8_t key) {
    if (key >= 0x01 && key <= 0x08) return 0x11;  // application PINs (PIN1 = 01), universal PIN
    if (key == 0x11) return 0x11;
    if (key >= 0x81 && key <= 0x88) return 0x12;  // second application PINs (PIN2 = 81)
    return 0x1A;                                  // ADM1-ADM10 and anything else: administrative
}

std::uint8_t condition(const tlv::Tlv& sc, int depth = 0) {
    if (depth > 4) throw ParseError("EF.ARR: security condition nested too deep");
    switch (sc.tag) {
    case 0x90: return kAlways;
    case 0x97: return kNever;
    case 0xA4: {  // user authentication: 83 key reference, 95 usage qualifier
        const auto key = sc.find(0x83);
        if (!key || key->value.size() != 1) throw ParseError("EF.ARR: A4 without a one-byte key reference");
        return levelOfKey(key->value[0]);
    }
    case 0xA0:    // OR: the weakest condition suffices
    case 0xAF: {  // AND: all of them, so the strongest governs
        std::optional<std::uint8_t> out;
        for (const auto& c : tlv::parseAll(sc.value)) {
            const std::uint8_t v = condition(c, depth + 1);
            if (!out || (sc.tag == 0xA0 ? rank(v) < rank(*out) : rank(v) > rank(*out))) out = v;
        }
        return out.value_or(kNever);
    }
    default: return kNever;  // SM templates and anything unknown: not something a terminal meets here
    }
}

}  // namespace

Bytes compactFromArrRecord(ByteView record) {
    std::array<std::uint8_t, 8> sc;  // index = bit number 1..7
    sc.fill(kNever);
    std::uint8_t pendingAm = 0;
    bool havePending = false;
    try {
        for (const auto& d : tlv::parseAll(record, tlv::Padding::Skip)) {
            if (d.tag == 0x80) {  // AM byte
                if (d.value.size() != 1) throw ParseError("EF.ARR: AM DO 80 is not one byte");
                pendingAm = d.value[0] & 0x7F;
                havePending = true;
            } else if (d.tag == 0x84) {  // command header description: only INCREASE maps to a bit
                pendingAm = (d.value.size() == 1 && d.value[0] == 0x32) ? 0x04 : 0x00;  // INS 32 = b3
                havePending = true;
            } else if (havePending) {
                const std::uint8_t v = condition(d);
                for (int b = 1; b <= 7; ++b)
                    if (pendingAm & (1u << (b - 1))) sc[b] = v;
                havePending = false;
            }
        }
    } catch (const tlv::TlvError& e) {
        throw ParseError(std::string("EF.ARR record: ") + e.what());
    }
    Bytes out = {0x7F};
    for (int b = 7; b >= 1; --b) out.push_back(sc[b]);
    return out;
}

}  // namespace vpcsc::euicc::saip
