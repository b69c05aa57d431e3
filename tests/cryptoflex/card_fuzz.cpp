// Fuzz target for the Cryptoflex card: an input is a sequence of frames, each a 2-byte
// big-endian length and that many bytes (the vpcd framing). A 1-byte frame is an event (00 power
// off, 01 power on, 02 reset, 03 save the image and load it again); anything else is a command
// APDU. The card is the 8K model (no on-card key generation, which would make runs slow); the
// corpus imports keys with UPDATE BINARY to reach the RSA operation. Invariants: every answer has
// a status word, the file system stays within its capacity, the image round-trips exactly.
// Built for libFuzzer with clang (-fsanitize=fuzzer) or replayed by tests/lib/fuzz_replay.cpp.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tests/lib/card_fuzz.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;

namespace {
std::unique_ptr<CryptoflexCard> newCard() {
    static const Bytes serial = {1, 2, 3, 4, 5, 6, 7, 8};
    return CryptoflexCard::blank(*cryptoflex::findModel("8k"), serial);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vpcsc::test::runCardFuzz(data, size, newCard, 4096, 256);
    return 0;
}
