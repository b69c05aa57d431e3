// Fuzz target for the eUICC's BPP loader (Download::loadBoundProfilePackage). Each input gets a
// real session (AuthenticateServer, PrepareDownload with the test PKI) and a valid BPP built by
// the SM-DP+ side, then changes it, so the fuzzer reaches the segments behind the signature and
// MAC checks. Input: byte 0 flags (b1 ReplaceSessionKeys, b2 raw mode, b3 brainpool); then
//   edit mode: 4-byte ops {op, segment, a, b}: flip, truncate, drop, duplicate, swap, append;
//   raw mode:  byte 1 = how many valid segments first, then segments each with a 1-byte length.
// Invariants: only SwError 6985 escapes, and only once the session has ended; every answer is
// empty or one signed BF37 for this transaction, after which the session is over; nothing is
// installed from a broken package; every BF37 is queued as a notification; an unchanged package
// runs to its last segment.
#include <cstddef>
#include <cstdint>

#include "tests/download/harness.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using namespace vpcsc::euicc::test;

namespace {

struct Fixture {
    explicit Fixture(const std::string& curve)
        : dp(curve), id(EuiccIdentity::fromPkiDirectory(pkiDir(curve))), info2(EuiccCard(id).euiccInfo2()),
          euiccKey(vicc::crypto::Certificate::fromDer(id.euiccCertificate).publicKey()) {}
    Smdp dp;
    EuiccIdentity id;
    es10::EuiccInfo2 info2;
    vicc::crypto::PublicKey euiccKey;
};

Fixture& fixture(bool brp) {
    static Fixture nist("nist"), bp("brp");
    return brp ? bp : nist;
}

Bytes payload() {
    Bytes b(1500);  // two 86 segments
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(i * 29 + 5);
    return b;
}

void edit(std::vector<Bytes>& segs, ByteView ops) {
    for (std::size_t o = 0; o + 4 <= ops.size() && !segs.empty(); o += 4) {
        const std::size_t i = ops[o + 1] % segs.size();
        Bytes& s = segs[i];
        const std::uint8_t a = ops[o + 2], b = ops[o + 3];
        switch (ops[o] % 6) {
        case 0: if (!s.empty()) s[a % s.size()] ^= static_cast<std::uint8_t>(b | 1); break;
        case 1: if (!s.empty()) s.resize(a % s.size()); break;
        case 2: segs.erase(segs.begin() + static_cast<std::ptrdiff_t>(i)); break;
        case 3: segs.insert(segs.begin() + static_cast<std::ptrdiff_t>(i), s); break;
        case 4: std::swap(s, segs[a % segs.size()]); break;
        case 5: s.push_back(b); break;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteView in(data, size);
    const bool rsk = in[0] & 1, raw = in[0] & 2, brp = in[0] & 4;
    Fixture& f = fixture(brp);
    ProfileStore store;
    Download dl(f.id, store);
    // a session as the LPA opens it
    const Bytes challenge = es10::decodeEuiccChallengeResponse(dl.getEuiccChallenge());
    const auto auth = es10::AuthenticateServerResponse::decode(dl.authenticateServer(f.dp.authenticateServer(challenge).encode(), f.info2));
    FUZZ_ASSERT(auth.ok.has_value());
    const auto prep = es10::PrepareDownloadResponse::decode(dl.prepareDownload(f.dp.prepareDownload(auth.ok->euiccSignature1).encode()));
    FUZZ_ASSERT(prep.ok.has_value());
    const auto valid = f.dp.bpp(prep.ok->euiccSigned2.euiccOtpk, payload(), metadataFor(fromHex("98001032547698103214")), rsk);

    std::vector<Bytes> segs;
    bool unchanged = false;
    if (raw) {
        const std::size_t keep = size > 1 ? in[1] % (valid.size() + 1) : 0;
        segs.assign(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(keep));
        for (std::size_t off = 2; off < size;) {
            const std::size_t n = std::min<std::size_t>(in[off], size - off - 1);
            segs.emplace_back(in.begin() + static_cast<std::ptrdiff_t>(off + 1), in.begin() + static_cast<std::ptrdiff_t>(off + 1 + n));
            off += 1 + n;
        }
    } else {
        segs = valid;
        edit(segs, in.subspan(1));
        unchanged = segs == valid;
    }

    bool closed = false;
    std::size_t results = 0, at = 0;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        Bytes r;
        try {
            r = dl.loadBoundProfilePackage(segs[i]);
        } catch (const SwError& e) {
            FUZZ_ASSERT(e.sw == sw::kConditionsOfUseNotSatisfied);
            FUZZ_ASSERT(closed);
            continue;
        }
        FUZZ_ASSERT(!closed);
        if (r.empty()) continue;
        const auto pir = es10::ProfileInstallationResult::decode(r);
        FUZZ_ASSERT(pir.data.transactionId == f.dp.transactionId);
        FUZZ_ASSERT(rspVerify(f.euiccKey.get(), pir.dataRaw, pir.euiccSignPir));
        FUZZ_ASSERT(pir.data.error.has_value());  // the payload is no SAIP package
        FUZZ_ASSERT(pir.data.error->bppCommandId >= 0 && pir.data.error->bppCommandId <= 5);
        FUZZ_ASSERT(store.notifications().size() == results + 1 && store.notifications().back().pending == r);
        closed = true;
        ++results;
        at = i;
    }
    FUZZ_ASSERT(store.profiles().empty());
    if (unchanged) {
        FUZZ_ASSERT(results == 1 && at == segs.size() - 1);
    }
    return 0;
}
