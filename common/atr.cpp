#include "common/atr.hpp"

#include <string>

namespace vpcsc {
namespace {

[[noreturn]] void fail(const std::string& why) { throw AtrError("ATR: " + why); }

std::string hexByte(std::uint8_t b) { return toHex(ByteView(&b, 1)); }

// Y nibble announcing which of TAi, TBi, TCi, TDi follow (b5..b8).
std::uint8_t presenceNibble(const Atr::InterfaceBytes& g) {
    return static_cast<std::uint8_t>((g.ta ? 0x1 : 0) | (g.tb ? 0x2 : 0) | (g.tc ? 0x4 : 0) | (g.protocol ? 0x8 : 0));
}

}  // namespace

unsigned fiFromIndex(std::uint8_t fi) {
    static constexpr unsigned kFi[16] = {372, 372, 558, 744, 1116, 1488, 1860, 0,
                                         0,   512, 768, 1024, 1536, 2048, 0,   0};
    return kFi[fi & 0x0F];
}

unsigned diFromIndex(std::uint8_t di) {
    static constexpr unsigned kDi[16] = {0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0};
    return kDi[di & 0x0F];
}

std::uint8_t atrChecksum(ByteView bytes) {
    std::uint8_t x = 0;
    for (std::uint8_t b : bytes) x ^= b;
    return x;
}

Atr Atr::parse(ByteView in) {
    if (in.empty()) fail("empty");
    if (in.size() > kMaxAtrSize) fail(std::to_string(in.size()) + " bytes exceed the maximum of 33");
    Atr a;
    a.ts = in[0];
    if (a.ts != kTsDirect && a.ts != kTsInverse) fail("TS " + hexByte(a.ts) + " is neither 3B nor 3F");
    if (in.size() < 2) fail("T0 missing");
    std::size_t off = 1;
    std::uint8_t y = in[off] >> 4;
    const std::size_t k = in[off] & 0x0F;
    ++off;
    a.interfaces.clear();
    for (std::size_t i = 1;; ++i) {
        InterfaceBytes g;
        auto take = [&](const char* name) {
            if (off >= in.size()) fail(std::string("truncated at T") + name + std::to_string(i));
            return in[off++];
        };
        if (y & 0x1) g.ta = take("A");
        if (y & 0x2) g.tb = take("B");
        if (y & 0x4) g.tc = take("C");
        std::uint8_t next = 0;
        if (y & 0x8) {
            const std::uint8_t tdi = take("D");
            g.protocol = tdi & 0x0F;
            next = tdi >> 4;
        }
        a.interfaces.push_back(g);
        if (!(y & 0x8)) break;
        y = next;
    }
    if (in.size() - off < k)
        fail(std::to_string(k) + " historical bytes announced, " + std::to_string(in.size() - off) + " present");
    a.historical.assign(in.begin() + static_cast<long>(off), in.begin() + static_cast<long>(off + k));
    off += k;
    if (a.tckRequired()) {
        if (off >= in.size()) fail("TCK missing (a protocol other than T=0 is indicated)");
        const std::uint8_t expected = atrChecksum(in.subspan(1, off - 1));
        if (in[off] != expected) fail("TCK " + hexByte(in[off]) + " wrong, expected " + hexByte(expected));
        ++off;
    }
    if (off != in.size())
        fail(std::to_string(in.size() - off) + " trailing bytes" +
             (a.tckRequired() ? std::string() : " (TCK must be absent when only T=0 is indicated)"));
    return a;
}

Bytes Atr::encode() const {
    if (ts != kTsDirect && ts != kTsInverse) fail("TS " + hexByte(ts) + " is neither 3B nor 3F");
    if (historical.size() > 15) fail(std::to_string(historical.size()) + " historical bytes exceed 15");
    Bytes out{ts};
    static const InterfaceBytes kEmpty;
    const InterfaceBytes& first = interfaces.empty() ? kEmpty : interfaces[0];
    out.push_back(static_cast<std::uint8_t>(presenceNibble(first) << 4 | historical.size()));
    for (std::size_t i = 0; i < interfaces.size() || i == 0; ++i) {
        const InterfaceBytes& g = i < interfaces.size() ? interfaces[i] : kEmpty;
        if (g.ta) out.push_back(*g.ta);
        if (g.tb) out.push_back(*g.tb);
        if (g.tc) out.push_back(*g.tc);
        if (!g.protocol) break;
        if (*g.protocol > 15) fail("protocol T=" + std::to_string(*g.protocol) + " above 15");
        const InterfaceBytes& nextGroup = i + 1 < interfaces.size() ? interfaces[i + 1] : kEmpty;
        out.push_back(static_cast<std::uint8_t>(presenceNibble(nextGroup) << 4 | *g.protocol));
        if (i + 1 >= interfaces.size()) break;  // TDi announces an empty group
    }
    append(out, historical);
    if (tckRequired()) out.push_back(atrChecksum(ByteView(out).subspan(1)));
    if (out.size() > kMaxAtrSize) fail(std::to_string(out.size()) + " bytes exceed the maximum of 33");
    return out;
}

Atr Atr::make(const std::vector<std::uint8_t>& protocols, ByteView historical, std::optional<std::uint8_t> ta1) {
    Atr a;
    a.historical.assign(historical.begin(), historical.end());
    a.interfaces[0].ta = ta1;
    const bool onlyT0 = protocols.empty() || (protocols.size() == 1 && protocols[0] == 0);
    if (!onlyT0) {
        for (std::uint8_t t : protocols) {
            a.interfaces.back().protocol = t;
            a.interfaces.emplace_back();
        }
    }
    return a;
}

std::optional<std::uint8_t> Atr::ta(std::size_t i) const {
    return i >= 1 && i <= interfaces.size() ? interfaces[i - 1].ta : std::nullopt;
}
std::optional<std::uint8_t> Atr::tb(std::size_t i) const {
    return i >= 1 && i <= interfaces.size() ? interfaces[i - 1].tb : std::nullopt;
}
std::optional<std::uint8_t> Atr::tc(std::size_t i) const {
    return i >= 1 && i <= interfaces.size() ? interfaces[i - 1].tc : std::nullopt;
}
std::optional<std::uint8_t> Atr::td(std::size_t i) const {
    if (i < 1 || i > interfaces.size() || !interfaces[i - 1].protocol) return std::nullopt;
    static const InterfaceBytes kEmpty;
    const InterfaceBytes& next = i < interfaces.size() ? interfaces[i] : kEmpty;
    return static_cast<std::uint8_t>(presenceNibble(next) << 4 | (*interfaces[i - 1].protocol & 0x0F));
}

std::vector<std::uint8_t> Atr::protocols() const {
    std::vector<std::uint8_t> out;
    for (const InterfaceBytes& g : interfaces) {
        if (!g.protocol || *g.protocol == 15) continue;
        bool seen = false;
        for (std::uint8_t t : out) seen = seen || t == *g.protocol;
        if (!seen) out.push_back(*g.protocol);
    }
    if (out.empty()) out.push_back(0);
    return out;
}

bool Atr::tckRequired() const {
    for (const InterfaceBytes& g : interfaces)
        if (g.protocol && *g.protocol != 0) return true;
    return false;
}

std::uint8_t Atr::fiIndex() const { return ta(1) ? static_cast<std::uint8_t>(*ta(1) >> 4) : 1; }
std::uint8_t Atr::diIndex() const { return ta(1) ? static_cast<std::uint8_t>(*ta(1) & 0x0F) : 1; }
unsigned Atr::fi() const { return fiFromIndex(fiIndex()); }
unsigned Atr::di() const { return diFromIndex(diIndex()); }

std::optional<std::uint8_t> Atr::globalTa15() const {
    for (std::size_t i = 0; i + 1 < interfaces.size(); ++i)
        if (interfaces[i].protocol == 15) return interfaces[i + 1].ta;
    return std::nullopt;
}

}  // namespace vpcsc
