// libFuzzer harness: vpcd FrameDecoder fed in fuzzed chunks must yield exactly the frames a
// straightforward split of the stream gives; classifyReaderMessage on each payload.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/vpcd_protocol.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;
using namespace vpcsc::vpcd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    // First byte seeds the chunk sizes; the rest is the TCP stream.
    std::uint32_t seed = data[0] | 1u;
    const ByteView stream(data + 1, size - 1);

    std::vector<Bytes> expected;
    std::size_t off = 0;
    while (stream.size() - off >= 2) {
        const std::size_t len = readBe16(stream, off);
        if (stream.size() - off - 2 < len) break;
        expected.emplace_back(stream.begin() + static_cast<long>(off + 2), stream.begin() + static_cast<long>(off + 2 + len));
        off += 2 + len;
    }

    FrameDecoder d;
    std::vector<Bytes> got;
    std::size_t pos = 0;
    while (pos < stream.size()) {
        seed = seed * 1103515245u + 12345u;
        const std::size_t chunk = std::min<std::size_t>(stream.size() - pos, 1 + (seed >> 16) % 64);
        d.feed(stream.subspan(pos, chunk));
        pos += chunk;
        while (auto p = d.next()) got.push_back(std::move(*p));
        FUZZ_ASSERT(d.missing() > 0);
    }
    FUZZ_ASSERT(got == expected);
    FUZZ_ASSERT(d.idle() == (off == stream.size()));

    for (const Bytes& p : got) {
        const Bytes f = encodeFrame(p);
        FUZZ_ASSERT(f.size() == p.size() + 2 && readBe16(f, 0) == p.size());
        try {
            const ReaderMessage m = classifyReaderMessage(p);
            FUZZ_ASSERT(m.control ? p.size() == 1 : p.size() >= 2);
            if (m.control) FUZZ_ASSERT(controlName(*m.control) != nullptr);
            else FUZZ_ASSERT(m.apdu.data() == p.data() && m.apdu.size() == p.size());
        } catch (const ParseError&) {
            FUZZ_ASSERT(p.empty() || (p.size() == 1 && p[0] != 0 && p[0] != 1 && p[0] != 2 && p[0] != 4));
        }
    }
    return 0;
}
