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

using namespace vpcsc;
using namespace vpcsc::vicc;

namespace {
constexpr std::size_t kMaxCommands = 4096;

void require(bool condition) {
    if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::unique_ptr<Card> base = createIso7816Card(CardOptions{});
    auto* card = dynamic_cast<Iso7816Card*>(base.get());
    require(card != nullptr);
    card->powerOn();

    std::size_t off = 0, commands = 0;
    while (off < size && commands++ < kMaxCommands) {
        std::size_t len = size - off;
        if (len >= 2) {
            len = std::min<std::size_t>(static_cast<std::size_t>(data[off] << 8 | data[off + 1]), size - off - 2);
            off += 2;
        } else {
            len = 1;
        }
        const ByteView frame(data + off, len);
        off += len;
        if (len == 1) {
            switch (frame[0]) {
            case 0x00: card->powerOff(); break;
            case 0x01: card->powerOn(); break;
            case 0x02: card->reset(); break;
            case 0x03: card->loadState(card->saveState()); break;
            default: require(card->process(frame).size() == 2); break;
            }
            continue;
        }
        const Bytes response = card->process(frame);
        require(response.size() >= 2);
        require(response.size() <= 65536 + 2);
        require(card->fileSystem().used() <= card->fileSystem().capacity());
    }

    const nlohmann::json image = card->saveState();
    std::unique_ptr<Card> other = createIso7816Card(CardOptions{});
    other->loadState(image);
    require(other->saveState() == image);
    return 0;
}
