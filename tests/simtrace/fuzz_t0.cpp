// libFuzzer harness: the T=0 engine driven by a fuzzed sequence of firmware messages and
// application responses. Invariants: every TX request fits one SIMtrace2 message and is either
// PB_AND_RX [INS] or PB_AND_TX|FINAL ending in a status word; C-APDUs are well-formed short APDUs
// built from the last header; errors are ParseError only and leave a usable engine.
#include <cstddef>
#include <cstdint>

#include "common/apdu.hpp"
#include "ifd-simtrace/st2_protocol.hpp"
#include "ifd-simtrace/t0_engine.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;

namespace {

void checkTx(const std::vector<T0Engine::TxRequest>& tx) {
    for (const auto& t : tx) {
        FUZZ_ASSERT(t.data.size() >= 1 && t.data.size() <= kMaxMessage - kHeaderSize - 6);
        FUZZ_ASSERT(txData(t.flags, t.data).size() <= kMaxMessage);
        if (t.flags == DATA_F_PB_AND_RX) FUZZ_ASSERT(t.data.size() == 1);
        else FUZZ_ASSERT(t.flags == (DATA_F_PB_AND_TX | DATA_F_FINAL) && t.data.size() >= 2);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    T0Engine e;
    std::size_t pos = 0;
    auto take = [&](std::size_t n) {
        n = std::min(n, size - pos);
        ByteView v(data + pos, n);
        pos += n;
        return v;
    };
    while (pos < size) {
        const std::uint8_t op = data[pos++];
        try {
            switch (op & 3) {
                case 0: {  // header (op bit 2: wrong size)
                    const ByteView h = take((op & 4) ? (op >> 3) % 8 : 5);
                    const auto r = e.onRxData(DATA_F_TPDU_HDR | ((op & 8) ? DATA_F_FINAL : 0), h);
                    FUZZ_ASSERT(h.size() == 5);
                    checkTx(r.tx);
                    if (r.command) {
                        FUZZ_ASSERT(r.tx.empty() && e.state() == T0Engine::State::WaitResponse);
                        FUZZ_ASSERT(r.command->size() == 4 || r.command->size() == 5);
                        FUZZ_ASSERT(std::equal(r.command->begin(), r.command->begin() + 4, h.begin()));
                    }
                    break;
                }
                case 1: {  // data chunk
                    const std::size_t n = pos < size ? data[pos++] : 0;
                    const auto r = e.onRxData((op & 4) ? DATA_F_FINAL : 0, take(n));
                    checkTx(r.tx);
                    if (r.command) {
                        const CommandApdu c = CommandApdu::parse(*r.command);
                        FUZZ_ASSERT(c.data.size() == e.header()[4]);
                        FUZZ_ASSERT(e.state() == T0Engine::State::WaitResponse);
                    }
                    break;
                }
                case 2: {  // application response
                    std::size_t n = pos < size ? data[pos++] : 0;
                    if (op & 4) n = n * 3;  // longer than 256
                    Bytes rapdu(n, static_cast<std::uint8_t>(op));
                    const ByteView tail = take(2);
                    append(rapdu, tail);
                    const auto tx = e.onResponse(rapdu);
                    checkTx(tx);
                    FUZZ_ASSERT(e.state() == T0Engine::State::WaitHeader);
                    FUZZ_ASSERT(tx.size() == 1);
                    break;
                }
                case 3: e.reset(); FUZZ_ASSERT(e.state() == T0Engine::State::WaitHeader); break;
            }
        } catch (const ParseError&) {
        }
    }
    return 0;
}
