#include "vicc/sim/factory.hpp"

#include "vicc/sim/default_fs.hpp"
#include "vicc/sim/usim_card.hpp"

namespace vpcsc::vicc::sim {

namespace {

// T=0 only (no TD1), TA1 = 11; historical bytes 80 (COMPACT-TLV) 64 "vpcs"/"usim" (pre-issuing data).
const Bytes kSimAtr = {0x3B, 0x16, 0x11, 0x80, 0x64, 0x76, 0x70, 0x63, 0x73};
const Bytes kUsimAtr = {0x3B, 0x16, 0x11, 0x80, 0x64, 0x75, 0x73, 0x69, 0x6D};

// TS 35.208 test set 1: a well-known key pair for test networks, never for real subscribers.
const char* const kDefaultKi = "465b5ce8b199b49faa5f0a2ee238a6bc";
const char* const kDefaultOpc = "cd63cb71954a9f4e48a5994e37a02baf";

}  // namespace

std::unique_ptr<Card> createCard(const CardOptions& options, bool usim) {
    std::unique_ptr<SimCard> card = usim ? std::make_unique<UsimCard>(kUsimAtr, defaultSimFileSystem(true))
                                         : std::make_unique<SimCard>(kSimAtr, defaultSimFileSystem(false));
    card->pins()[kPin1] = Pin{kPin1, SimCard::padChv("1234"), 3, 3};
    card->pins()[kPin2] = Pin{kPin2, SimCard::padChv("5678"), 3, 3};
    card->unblockCodes()[kPin1] = UnblockCode{SimCard::padChv("12345678"), 10, 10};
    card->unblockCodes()[kPin2] = UnblockCode{SimCard::padChv("87654321"), 10, 10};
    if (usim) card->pins()[kAdm1] = Pin{kAdm1, SimCard::padChv("88888888"), 3, 3};
    card->authentication().ki = fromHex(kDefaultKi);
    card->authentication().opc = fromHex(kDefaultOpc);
    const Personalisation p = personalisationFrom(options);
    personalise(*card, p);  // throws on an invalid value: the card is not created
    card->setPersonalisation(p);
    card->setAtrOverride(options.atr);
    card->consumeDirty();
    return card;
}

}  // namespace vpcsc::vicc::sim
