// The DER reading and writing helpers every ES10 codec uses (es10, es10c, download/results):
// one expected TLV, the fields of a SEQUENCE in ASN.1 order, bounded lengths, INTEGER, BOOLEAN and
// BIT STRING contents (X.690 §8.2, §8.3, §8.6). Failures throw Es10Error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/tlv.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::euicc::es10::der {

using tlv::Builder;
using tlv::Tlv;

[[noreturn]] inline void bad(const std::string& why) { throw Es10Error(why); }

// Exactly one TLV with this tag.
inline Tlv one(ByteView in, Tag tag, const std::string& what) {
    Tlv t;
    try {
        t = tlv::parseOne(in);
    } catch (const tlv::TlvError& e) {
        bad(what + ": " + e.what());
    }
    if (t.tag != tag) bad(what + ": unexpected tag");
    return t;
}

inline std::vector<Tlv> children(ByteView value, const std::string& what) {
    try {
        return tlv::parseAll(value);
    } catch (const tlv::TlvError& e) {
        bad(what + ": " + e.what());
    }
}

// The fields of a constructed value in ASN.1 order; unknown fields after the known ones are
// extension additions and are ignored.
class Fields {
public:
    Fields(ByteView value, std::string what) : m_items(children(value, what)), m_what(std::move(what)) {}
    std::optional<Tlv> opt(Tag t) {
        if (m_i < m_items.size() && m_items[m_i].tag == t) return m_items[m_i++];
        return std::nullopt;
    }
    Tlv need(Tag t, const char* field) {
        auto x = opt(t);
        if (!x) bad(m_what + ": missing or misplaced " + field);
        return *x;
    }
    bool atEnd() const { return m_i == m_items.size(); }
    const std::string& what() const { return m_what; }

private:
    std::vector<Tlv> m_items;
    std::size_t m_i = 0;
    std::string m_what;
};

inline Bytes sized(const Tlv& t, std::size_t lo, std::size_t hi, const std::string& what) {
    if (t.value.size() < lo || t.value.size() > hi) bad(what + ": bad length " + std::to_string(t.value.size()));
    return t.valueBytes();
}
inline Bytes fixed(const Tlv& t, std::size_t n, const std::string& what) { return sized(t, n, n, what); }

inline std::string text(const Tlv& t, std::size_t max, const std::string& what) {
    if (t.value.size() > max) bad(what + ": too long");
    return std::string(t.value.begin(), t.value.end());
}

inline Bytes bitString(const Tlv& t, const std::string& what) {
    if (t.value.empty() || t.value[0] > 7 || (t.value.size() == 1 && t.value[0] != 0)) bad(what + ": bad BIT STRING");
    return t.valueBytes();
}

// The content of a BIT STRING of named bits 0-7 held in one byte (bit 0 = 0x80), DER: trailing
// zero bits dropped (X.690 §11.2.2): 0x80 -> 07 80, 0x60 -> 05 60, 0 -> 00.
inline Bytes namedBits(std::uint8_t bits) {
    if (bits == 0) return Bytes{0x00};
    std::uint8_t unused = 0;
    while (!(bits & (1u << unused))) ++unused;
    return Bytes{unused, bits};
}

inline bool boolean(const Tlv& t, const std::string& what) {
    if (t.value.size() != 1) bad(what + ": bad BOOLEAN");
    return t.value[0] != 0;  // DER says FF; BER accepts any non-zero
}

inline std::int64_t integer(const Tlv& t, const std::string& what) {
    if (t.value.empty() || t.value.size() > 8) bad(what + ": bad INTEGER length");
    std::int64_t v = static_cast<std::int8_t>(t.value[0]);
    for (std::size_t i = 1; i < t.value.size(); ++i) v = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << 8 | t.value[i]);
    return v;
}

inline std::uint8_t smallUint(const Tlv& t, const std::string& what) {
    const std::int64_t v = integer(t, what);
    if (v < 0 || v > 0xFF) bad(what + ": INTEGER out of range");
    return static_cast<std::uint8_t>(v);
}

inline std::uint32_t uint32(const Tlv& t, const std::string& what) {
    const std::int64_t v = integer(t, what);
    if (v < 0 || v > 0xFFFFFFFFLL) bad(what + ": out of range");
    return static_cast<std::uint32_t>(v);
}

// Minimal two's complement (X.690 §8.3.2).
inline Bytes encodeInteger(std::int64_t v) {
    Bytes out;
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
    std::size_t skip = 0;
    while (skip + 1 < out.size() && ((out[skip] == 0x00 && !(out[skip + 1] & 0x80)) || (out[skip] == 0xFF && (out[skip + 1] & 0x80))))
        ++skip;
    return Bytes(out.begin() + static_cast<std::ptrdiff_t>(skip), out.end());
}

inline Bytes encodeSmallUint(std::uint8_t v) { return v >= 0x80 ? Bytes{0x00, v} : Bytes{v}; }

inline ByteView view(const std::string& s) { return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

}  // namespace vpcsc::euicc::es10::der
