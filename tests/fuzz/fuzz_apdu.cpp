// libFuzzer harness: CommandApdu / ResponseApdu parse, then encode round-trip invariants.
#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "common/apdu.hpp"
#include "common/sw.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        const CommandApdu c = CommandApdu::parse(in);
        // A parsed APDU re-encodes to exactly the input (ISO 7816-3 §12.1.3 forms are unambiguous).
        const Bytes e = c.encode();
        FUZZ_ASSERT(e.size() == size && std::equal(e.begin(), e.end(), in.begin()));
        FUZZ_ASSERT(c.caseNumber() >= 1 && c.caseNumber() <= 4);
        FUZZ_ASSERT(c.data.size() <= kMaxExtendedNc);
        FUZZ_ASSERT(!c.ne || (*c.ne >= 1 && *c.ne <= kMaxExtendedNe));
        FUZZ_ASSERT(c.extended == c.usesExtendedLength());
        // Dropping the forced extended flag gives the shortest encoding, which parses back equal.
        CommandApdu shortest = c;
        shortest.extended = false;
        CommandApdu again = CommandApdu::parse(shortest.encode());
        again.extended = false;
        FUZZ_ASSERT(again == shortest);
        (void)logicalChannel(c.cla);
        (void)secureMessaging(c.cla);
        (void)isChained(c.cla);
    } catch (const ApduError&) {
    }
    // The same bytes read as a response.
    try {
        const ResponseApdu r = ResponseApdu::parse(in);
        const Bytes e = r.encode();
        FUZZ_ASSERT(e.size() == size && std::equal(e.begin(), e.end(), in.begin()));
        FUZZ_ASSERT(swName(r.sw) != nullptr);
        FUZZ_ASSERT(!describeSw(r.sw).empty());
    } catch (const ApduError&) {
        FUZZ_ASSERT(size < 2);
    }
    // Bytes as fields of a command built by code: encode must parse back to the same command.
    if (size >= 7 && size - 7 <= kMaxExtendedNc) {
        CommandApdu b;
        b.cla = data[0];
        b.ins = data[1];
        b.p1 = data[2];
        b.p2 = data[3];
        const std::uint32_t ne = static_cast<std::uint32_t>(data[4]) << 9 | static_cast<std::uint32_t>(data[5]) << 1;
        if (data[6] & 1) b.ne = ne ? (ne > kMaxExtendedNe ? kMaxExtendedNe : ne) : 1;
        b.extended = data[6] & 2;
        b.data.assign(data + 7, data + size);
        const Bytes e = b.encode();
        CommandApdu back = CommandApdu::parse(e);
        // A case 1 APDU has no length field, so the extended choice is not visible on the wire.
        FUZZ_ASSERT(back.extended == (b.usesExtendedLength() && b.caseNumber() != 1));
        back.extended = b.extended;
        FUZZ_ASSERT(back == b);
    }
    return 0;
}
