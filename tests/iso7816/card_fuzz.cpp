// Fuzz target for the card engine: an input is a sequence of frames, each a 2-byte big-endian
// length and that many bytes (the vpcd framing). A 1-byte frame is an event (00 power off,
// 01 power on, 02 reset, 03 save the image and load it into the card again); anything else is
// a command APDU for a blank iso7816 card. Invariants: every answer has a status word, the
// file system stays within its capacity, and the image round-trips exactly.
// Built for libFuzzer with clang (-fsanitize=fuzzer) or replayed by tests/lib/fuzz_replay.cpp.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "vicc/card_options.hpp"
#include "vicc/cards/cards.hpp"
#include "vicc/iso7816/iso7816_card.hpp"
#include "tests/lib/card_fuzz.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;

namespace {
std::unique_ptr<Iso7816Card> newCard() {
    std::unique_ptr<Card> base = createIso7816Card(CardOptions{});
    return std::unique_ptr<Iso7816Card>(dynamic_cast<Iso7816Card*>(base.release()));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vpcsc::test::runCardFuzz(data, size, newCard, 4096, 65536);
    return 0;
}
