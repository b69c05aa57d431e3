// Helpers for the Iso7816Card tests: APDUs and responses as hex strings, and a card with a
// small file tree built through CREATE FILE.
#pragma once

#include <memory>
#include <string>

#include "common/bytes.hpp"
#include "vicc/card_options.hpp"
#include "vicc/cards/cards.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc::test {

inline std::unique_ptr<Iso7816Card> blankCard() {
    std::unique_ptr<Card> card = createIso7816Card(CardOptions{});
    std::unique_ptr<Iso7816Card> out(dynamic_cast<Iso7816Card*>(card.release()));
    out->powerOn();
    return out;
}

// "00 A4 00 00 02 3F 00" in, "6F .. 90 00" out (upper case, single spaces).
inline std::string tx(Card& card, const std::string& apdu) { return toHex(card.process(fromHex(apdu))); }

inline std::string repeat(const std::string& byteHex, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? " " : "") + byteHex;
    return out;
}

// MF
// ├── 2F00  transparent, 8 bytes
// ├── 1000  DF "A0 00 00 00 01 01"
// │   ├── 1001  transparent, 16 bytes (SFI 1)
// │   └── 1002  linear fixed, 3 records of 4 bytes FF (SFI 2)
// └── 2000  DF "A0 00 00 00 01 02"
// Afterwards the MF is the current DF of channel 0 again.
inline std::unique_ptr<Iso7816Card> sampleCard() {
    auto card = blankCard();
    const char* setup[] = {
        "00 E0 00 00 0C 62 0A 82 01 01 83 02 2F 00 80 01 08",
        "00 E0 00 00 11 62 0F 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 01",
        "00 E0 00 00 0C 62 0A 82 01 01 83 02 10 01 80 01 10",
        "00 E0 00 00 0D 62 0B 82 05 02 21 00 04 03 83 02 10 02",
        "00 A4 00 0C 02 3F 00",
        "00 E0 00 00 11 62 0F 82 01 38 83 02 20 00 84 06 A0 00 00 00 01 02",
        "00 A4 00 0C 02 3F 00",
    };
    for (const char* apdu : setup)
        if (tx(*card, apdu) != "90 00") throw std::runtime_error(std::string("setup failed at ") + apdu);
    return card;
}

}  // namespace vpcsc::vicc::test
