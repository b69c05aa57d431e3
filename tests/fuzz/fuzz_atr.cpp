// libFuzzer harness: ATR parse, rebuild, and the builder from fuzzed parts.
#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "common/atr.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        const Atr a = Atr::parse(in);
        const Bytes e = a.encode();
        FUZZ_ASSERT(e.size() == size && std::equal(e.begin(), e.end(), in.begin()));
        FUZZ_ASSERT(Atr::parse(e) == a);
        FUZZ_ASSERT(!a.protocols().empty());
        FUZZ_ASSERT(a.historical.size() <= 15);
        (void)a.fi();
        (void)a.di();
        (void)a.globalTa15();
        for (std::size_t i = 0; i <= a.interfaces.size() + 1; ++i) (void)a.td(i);
    } catch (const AtrError&) {
    }
    // Builder: protocols from the low nibbles of the first bytes, the rest historical.
    if (size >= 2) {
        std::vector<std::uint8_t> protocols;
        const std::size_t n = data[0] % 4;
        for (std::size_t i = 0; i < n && 1 + i < size; ++i) protocols.push_back(data[1 + i] & 0x0F);
        const std::size_t histStart = std::min(size, 1 + n);
        const ByteView hist = in.subspan(histStart, std::min<std::size_t>(15, size - histStart));
        const Atr a = Atr::make(protocols, hist, (data[0] & 0x80) ? std::optional<std::uint8_t>(data[1]) : std::nullopt);
        try {
            const Bytes e = a.encode();
            const Atr back = Atr::parse(e);
            FUZZ_ASSERT(back.encode() == e);
            FUZZ_ASSERT(std::equal(back.historical.begin(), back.historical.end(), hist.begin()) &&
                        back.historical.size() == hist.size());
        } catch (const AtrError&) {
            FUZZ_ASSERT(false);  // at most 3 TDs + TA1 + 15 historical + TCK always fits 33 bytes
        }
    }
    return 0;
}
