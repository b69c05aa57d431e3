// libFuzzer harness: every ES10 decoder, the BPP segmentation and the eUICC's segment checks.
// Invariants: decoders fail only with Es10Error/ParseError; whatever decodes re-encodes to bytes
// that decode to the same encoding (idempotent); a BPP that segments is accepted whole by the
// segmenter; the segmenter never accepts a segment after it completed or failed.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/euicc/es10.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::es10;

namespace {

template <class T>
void roundTrip(ByteView in) {
    try {
        const Bytes once = T::decode(in).encode();
        const Bytes twice = T::decode(once).encode();
        FUZZ_ASSERT(once == twice);
    } catch (const ParseError&) {
    }
}

void bpp(ByteView in) {
    std::vector<Bytes> segs;
    try {
        segs = segmentBoundProfilePackage(in);
    } catch (const ParseError&) {
        return;
    }
    FUZZ_ASSERT(segs.size() >= 4);
    BppSegmenter s;
    for (const Bytes& x : segs) s.accept(x);  // must not throw for a well-formed BPP
    FUZZ_ASSERT(s.complete());
    bool threw = false;
    try {
        s.accept(segs.back());
    } catch (const Es10Error&) {
        threw = true;
    }
    FUZZ_ASSERT(threw);
}

// The input as a sequence of segments: each prefixed by a one-byte length.
void segments(ByteView in) {
    BppSegmenter s;
    bool failed = false;
    std::size_t off = 0;
    while (off < in.size()) {
        const std::size_t n = std::min<std::size_t>(in[off], in.size() - off - 1);
        const ByteView seg = in.subspan(off + 1, n);
        off += 1 + n;
        try {
            s.accept(seg);
            FUZZ_ASSERT(!failed);
        } catch (const Es10Error&) {
            failed = true;
            FUZZ_ASSERT(!s.complete());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        commandTag(in);
    } catch (const ParseError&) {
    }
    roundTrip<EuiccInfo1>(in);
    roundTrip<EuiccInfo2>(in);
    roundTrip<ServerSigned1>(in);
    roundTrip<CtxParams1>(in);
    roundTrip<AuthenticateServerRequest>(in);
    roundTrip<EuiccSigned1>(in);
    roundTrip<AuthenticateServerResponse>(in);
    roundTrip<SmdpSigned2>(in);
    roundTrip<PrepareDownloadRequest>(in);
    roundTrip<EuiccSigned2>(in);
    roundTrip<PrepareDownloadResponse>(in);
    roundTrip<InitialiseSecureChannel>(in);
    roundTrip<ReplaceSessionKeys>(in);
    roundTrip<StoreMetadata>(in);
    try {
        GetEidRequest::decode(in);
        decodeEidResponse(in);
    } catch (const ParseError&) {
    }
    try {
        decodeEuiccChallengeResponse(in);
    } catch (const ParseError&) {
    }
    bpp(in);
    segments(in);
    return 0;
}
