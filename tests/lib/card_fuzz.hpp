// The body shared by the card fuzz targets (tests/*/card_fuzz.cpp). The input is a sequence of
// frames, each a 2-byte big-endian length and that many bytes (the vpcd framing; a short tail is
// one byte). A 1-byte frame is an event (00 power off, 01 power on, 02 reset, 03 save the image and
// load it again); anything else is a command APDU. Invariants (abort otherwise): every answer has a
// status word and at most maxResponseData data bytes, invariant(card) holds after each command
// (by default: the file system stays within its capacity), and the final image round-trips
// exactly through a fresh card from make().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/bytes.hpp"

namespace vpcsc::test {

inline void require(bool condition) {
    if (!condition) std::abort();
}

// make(): a powered-off card (anything with process(), powerOn/Off(), reset(), saveState() and
// loadState()) as a smart pointer; invariant(card) returns false when the card's state is broken.
template <class Make, class Invariant>
void runCardFuzz(const std::uint8_t* data, std::size_t size, Make make, std::size_t maxCommands,
                 std::size_t maxResponseData, Invariant invariant) {
    auto card = make();
    require(card != nullptr);
    card->powerOn();
    std::size_t off = 0, commands = 0;
    while (off < size && commands++ < maxCommands) {
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
        require(response.size() <= maxResponseData + 2);
        require(invariant(*card));
    }
    const auto image = card->saveState();
    auto other = make();
    other->loadState(image);
    require(other->saveState() == image);
}

// Cards of an Iso7816Card-derived type: the file system stays within its capacity.
template <class Make>
void runCardFuzz(const std::uint8_t* data, std::size_t size, Make make, std::size_t maxCommands,
                 std::size_t maxResponseData) {
    runCardFuzz(data, size, make, maxCommands, maxResponseData,
                [](auto& card) { return card.fileSystem().used() <= card.fileSystem().capacity(); });
}

}  // namespace vpcsc::test
