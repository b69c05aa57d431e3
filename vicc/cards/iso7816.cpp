// The `iso7816` card type: the plain ISO 7816-4 engine with vsmartcard's ATR. Without an image
// it is a blank development card: an empty MF without security attributes (anyone may create,
// update and delete files) and PIN 1234 at reference 81 with 3 tries.
#include "vicc/cards/cards.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

// T=1, TA1 = 13; historical bytes 80 73 FF 01 00: card capabilities (ISO 7816-4 §8.1.1.2.7).
// The same ATR as vsmartcard's iso7816 vicc, so pcsc-tools' smartcard_list.txt knows it.
const Bytes kAtr = {0x3B, 0x95, 0x13, 0x81, 0x01, 0x80, 0x73, 0xFF, 0x01, 0x00, 0x0B};

}  // namespace

std::unique_ptr<Card> createIso7816Card(const CardOptions& options) {
    auto card = std::make_unique<Iso7816Card>(kAtr);
    card->pins()[0x81] = Pin{0x81, {'1', '2', '3', '4'}, 3, 3};
    card->setAtrOverride(options.atr);
    return card;
}

}  // namespace vpcsc::vicc
