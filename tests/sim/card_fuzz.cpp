// Fuzz target for the sim and usim card types. Input: byte 0 picks the type (even: sim, odd:
// usim), then frames of a 2-byte big-endian length and that many bytes (the vpcd framing). A
// 1-byte frame is an event (00 power off, 01 power on, 02 reset, 03 save the image and load it
// again); anything else is a command APDU. Invariants: every answer has a status word and at
// most 256 data bytes, the file system stays within its capacity, the image round-trips.
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
std::unique_ptr<Iso7816Card> newCard(bool usim) {
    std::unique_ptr<Card> base = usim ? createUsimCard(CardOptions{}) : createSimCard(CardOptions{});
    return std::unique_ptr<Iso7816Card>(dynamic_cast<Iso7816Card*>(base.release()));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool usim = data[0] & 1;
    vpcsc::test::runCardFuzz(data + 1, size - 1, [usim] { return newCard(usim); }, 2048, 65536);
    return 0;
}
