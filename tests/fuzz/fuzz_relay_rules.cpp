// Fuzz target for the relay card's rule files (vicc --mitm FILE, vicc/relay/mitm.hpp). Input: the
// rule file's text up to the first NUL byte; after it, exchanges for the parsed rules, each a
// command and a response of a 1-byte length and that many bytes. A bad file may only be refused
// with MitmError. Invariants of a parsed file: every rule's bytes fit its action (sw: 2 bytes,
// response/answer: a status word at least); an answered command gets the rule's bytes; a rewritten
// response keeps its data length (sw) or becomes the rule's bytes (response); the hook never
// throws on an exchange; BytePattern::matches() agrees with a plain dynamic-programming matcher.
// Built for libFuzzer with clang (-fsanitize=fuzzer) or replayed by tests/lib/fuzz_replay.cpp.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/relay/mitm.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::relay;

namespace {

// The reference: m[i][j] = items[i..] match data[j..].
bool referenceMatch(const BytePattern& p, ByteView data) {
    const std::size_t n = p.items.size(), len = data.size();
    std::vector<std::vector<char>> m(n + 1, std::vector<char>(len + 1, 0));
    m[n][len] = 1;
    for (std::size_t i = n; i-- > 0;) {
        const auto& it = p.items[i];
        for (std::size_t j = len + 1; j-- > 0;) {
            if (it.star)
                m[i][j] = m[i + 1][j] || (j < len && m[i][j + 1]);
            else
                m[i][j] = j < len && (data[j] & it.mask) == it.value && m[i + 1][j + 1];
        }
    }
    return m[0][0];
}

void checkMatch(const BytePattern& p, ByteView data) { FUZZ_ASSERT(p.matches(data) == referenceMatch(p, data)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (log::setLevel(log::Level::Error), true);  // the hook logs each rewrite
    (void)quiet;
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
    const std::size_t textSize = nul ? static_cast<std::size_t>(nul - data) : size;
    const std::string_view text(reinterpret_cast<const char*>(data), textSize);
    std::vector<Rule> rules;
    try {
        rules = parseRules(text, "fuzz.rules");
    } catch (const MitmError&) {
        return 0;
    }
    for (const Rule& r : rules) {
        FUZZ_ASSERT(r.line >= 1);
        switch (r.action) {
        case Rule::Action::Sw: FUZZ_ASSERT(r.bytes.size() == 2); break;
        case Rule::Action::Response: FUZZ_ASSERT(r.bytes.size() >= 2); break;
        case Rule::Action::Answer: FUZZ_ASSERT(r.bytes.size() >= 2 && !r.response); break;
        case Rule::Action::Drop: FUZZ_ASSERT(!r.response); break;
        }
    }
    auto hook = makeRuleHook(rules, "fuzz.rules");
    std::size_t off = textSize + (nul ? 1 : 0);
    auto next = [&]() {
        Bytes b;
        if (off >= size) return b;
        const std::size_t want = data[off++];
        const std::size_t n = std::min(want, size - off);
        b.assign(data + off, data + off + n);
        off += n;
        return b;
    };
    for (int exchanges = 0; off < size && exchanges < 256; ++exchanges) {
        Bytes command = next();
        const Bytes cardResponse = next();
        for (const Rule& r : rules) {
            checkMatch(r.command, command);
            if (r.response) checkMatch(*r.response, cardResponse);
        }
        Bytes answer;
        const Hook::Verdict v = hook->onCommand(command, answer);
        if (v == Hook::Verdict::Answer) {
            FUZZ_ASSERT(answer.size() >= 2);
            continue;
        }
        if (v == Hook::Verdict::Drop) continue;
        Bytes response = cardResponse;
        FUZZ_ASSERT(hook->onResponse(command, response) == Hook::Verdict::Forward);
        FUZZ_ASSERT(response.size() == cardResponse.size() || response.size() >= 2);
    }
    Bytes atr = fromHex("3B 00");
    hook->onReset(atr);
    FUZZ_ASSERT(!hook->describe().empty());
    return 0;
}
