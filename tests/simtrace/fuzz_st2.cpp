// libFuzzer harness: SIMtrace2 message codec. Any byte string given as one IN transfer or as a
// concatenation of OUT messages either parses with every view inside the input and re-encodes to
// the same bytes, or is rejected with ParseError. Every payload decoder sees every payload.
#include <cstddef>
#include <cstdint>

#include "ifd-simtrace/st2_protocol.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;

namespace {

template <class F>
void tryDecode(F&& f) {
    try {
        f();
    } catch (const ParseError&) {
    }
}

void decodeAll(const Message& m, ByteView input) {
    FUZZ_ASSERT(m.payload.data() >= input.data() && m.payload.data() + m.payload.size() <= input.data() + input.size());
    FUZZ_ASSERT(messageName(m.header) != nullptr);
    tryDecode([&] {
        const DataPayload d = decodeData(m.payload);
        FUZZ_ASSERT(d.data.size() + 6 == m.payload.size());
        FUZZ_ASSERT(encodeData(d) == Bytes(m.payload.begin(), m.payload.end()));
        (void)describeFlags(d.flags, static_cast<MsgClass>(m.header.msgClass), m.header.msgType);
    });
    tryDecode([&] {
        const Status s = decodeStatus(m.payload);
        FUZZ_ASSERT(encodeStatus(s) == Bytes(m.payload.begin(), m.payload.begin() + kStatusSize));
    });
    tryDecode([&] {
        const Pts p = decodePts(m.payload);
        FUZZ_ASSERT(p.length <= 6);
        FUZZ_ASSERT(encodePts(p) == Bytes(m.payload.begin(), m.payload.begin() + kPtsSize));
    });
    tryDecode([&] {
        const Config c = decodeConfig(m.payload);
        FUZZ_ASSERT(encodeConfig(c).size() == std::min<std::size_t>(m.payload.size(), 6));
    });
    tryDecode([&] {
        const Bytes atr = decodeSetAtr(m.payload);
        FUZZ_ASSERT(atr.size() <= kMaxAtr && atr.size() + 1 <= m.payload.size());
    });
    tryDecode([&] { (void)decodeModemReset(m.payload); });
    tryDecode([&] { (void)decodeByte(m.payload); });
    tryDecode([&] { (void)decodeU32(m.payload); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    try {
        const Message m = parseMessage(input);
        FUZZ_ASSERT(m.header.msgLen == size && size <= kMaxMessage && size >= kHeaderSize);
        FUZZ_ASSERT(encodeMessage(static_cast<MsgClass>(m.header.msgClass), m.header.msgType, m.payload,
                                  m.header.slotNr)
                        .size() == size);
        decodeAll(m, input);
    } catch (const ParseError&) {
        FUZZ_ASSERT(size < kHeaderSize || size > kMaxMessage || static_cast<std::size_t>(data[6] | data[7] << 8) != size ||
                    static_cast<std::size_t>(data[6] | data[7] << 8) < kHeaderSize);
    }
    try {
        std::size_t total = 0;
        for (const Message& m : splitMessages(input)) {
            total += m.header.msgLen;
            decodeAll(m, input);
        }
        FUZZ_ASSERT(total == size);
    } catch (const ParseError&) {
    }
    return 0;
}
