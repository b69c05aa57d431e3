// libFuzzer harness: BER-TLV (flat, nested, padded) and SIMPLE-TLV readers and writers.
#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "common/tlv.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;
using namespace vpcsc::tlv;

namespace {

// Walks every level; every view lies inside its parent, and re-encoding a data object with a
// minimal length reads back as the same tag and value.
void walk(ByteView in, std::size_t depth) {
    if (depth > kMaxDepth) return;
    Reader r(in);
    try {
        while (auto t = r.next()) {
            FUZZ_ASSERT(t->raw.data() >= in.data() && t->raw.data() + t->raw.size() <= in.data() + in.size());
            FUZZ_ASSERT(t->value.data() + t->value.size() == t->raw.data() + t->raw.size());
            FUZZ_ASSERT(isValidTag(t->tag));
            const Bytes e = encode(t->tag, t->value);
            FUZZ_ASSERT(e.size() <= t->raw.size());  // minimal length is never longer than what was read
            const Tlv back = parseOne(e);
            FUZZ_ASSERT(back.tag == t->tag && back.value.size() == t->value.size());
            FUZZ_ASSERT(std::equal(back.value.begin(), back.value.end(), t->value.begin()));
            if (t->constructed()) walk(t->value, depth + 1);
        }
    } catch (const TlvError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    walk(in, 0);

    // validate() agrees with a flat parse at the top level: if validate accepts, parseAll does.
    try {
        validate(in);
        (void)parseAll(in);
    } catch (const TlvError&) {
    }
    try {
        const auto objs = parseAll(in, Padding::Skip);
        Builder b;
        for (const Tlv& t : objs) b.add(t.tag, t.value);
        const auto again = parseAll(b.bytes());
        FUZZ_ASSERT(again.size() == objs.size());
        for (std::size_t i = 0; i < objs.size(); ++i) FUZZ_ASSERT(again[i].tag == objs[i].tag);
    } catch (const TlvError&) {
    }
    if (size >= 2) {
        const Tag wanted = static_cast<Tag>(data[0]) << 8 | data[1];
        try {
            (void)findRecursive(in, wanted);
            (void)findPath(in, {data[0], wanted});
        } catch (const TlvError&) {
        }
    }

    try {
        const auto objs = parseAllSimple(in);
        Bytes out;
        for (const SimpleTlv& t : objs) appendSimple(out, t.tag, t.value);
        const auto again = parseAllSimple(out);
        FUZZ_ASSERT(again.size() == objs.size());
        for (std::size_t i = 0; i < objs.size(); ++i)
            FUZZ_ASSERT(again[i].tag == objs[i].tag && again[i].value.size() == objs[i].value.size());
        FUZZ_ASSERT(out.size() <= size);
    } catch (const TlvError&) {
    }
    return 0;
}
