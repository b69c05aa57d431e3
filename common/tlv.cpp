#include "common/tlv.hpp"

#include <stdexcept>
#include <string>

namespace vpcsc::tlv {
namespace {

[[noreturn]] void fail(std::size_t off, const std::string& why) {
    throw TlvError("TLV at offset " + std::to_string(off) + ": " + why);
}

std::string hexByte(std::uint8_t b) { return toHex(ByteView(&b, 1)); }

}  // namespace

// ---- tags, X.690 §8.1.2 / ISO 7816-4 §5.2.2.1 ----------------------------------------------------

std::size_t tagSize(Tag tag) {
    if (tag > 0xFFFFFF) return 4;
    if (tag > 0xFFFF) return 3;
    if (tag > 0xFF) return 2;
    return 1;
}

std::uint8_t tagFirstByte(Tag tag) { return static_cast<std::uint8_t>(tag >> (8 * (tagSize(tag) - 1))); }

bool isConstructed(Tag tag) { return tagFirstByte(tag) & 0x20; }

TagClass tagClass(Tag tag) { return static_cast<TagClass>(tagFirstByte(tag) >> 6); }

bool isValidTag(Tag tag) {
    const std::size_t n = tagSize(tag);
    const std::uint8_t first = tagFirstByte(tag);
    if (first == 0x00 || first == 0xFF) return false;
    const bool multi = (first & 0x1F) == 0x1F;
    if (!multi) return n == 1;
    if (n == 1) return false;
    for (std::size_t i = 1; i < n; ++i) {
        const auto b = static_cast<std::uint8_t>(tag >> (8 * (n - 1 - i)));
        if (i == 1 && (b & 0x7F) == 0) return false;    // §8.1.2.4.2 c: no leading zero bits
        if ((i + 1 < n) != ((b & 0x80) != 0)) return false;  // b8 = "another byte follows"
    }
    return true;
}

void appendTag(Bytes& out, Tag tag) {
    if (!isValidTag(tag)) throw std::invalid_argument("invalid BER-TLV tag " + std::to_string(tag));
    for (std::size_t i = tagSize(tag); i-- > 0;) out.push_back(static_cast<std::uint8_t>(tag >> (8 * i)));
}

void appendLength(Bytes& out, std::size_t len) {
    if (len < 0x80) {
        out.push_back(static_cast<std::uint8_t>(len));
        return;
    }
    std::size_t n = 1;
    while (n < 4 && (len >> (8 * n)) != 0) ++n;
    if ((len >> (8 * n)) != 0) throw std::invalid_argument("BER-TLV length above 4 bytes");
    out.push_back(static_cast<std::uint8_t>(0x80 | n));
    while (n-- > 0) out.push_back(static_cast<std::uint8_t>(len >> (8 * n)));
}

Tag readTag(ByteView in, std::size_t& off) {
    const std::size_t start = off;
    if (off >= in.size()) fail(start, "missing tag");
    const std::uint8_t first = in[off];
    if (first == 0x00 || first == 0xFF) fail(start, "invalid first tag byte " + hexByte(first));
    Tag tag = first;
    std::size_t pos = off + 1;
    if ((first & 0x1F) == 0x1F) {
        for (std::size_t i = 1;; ++i) {
            if (i >= kMaxTagBytes) fail(start, "tag longer than 4 bytes");
            if (pos >= in.size()) fail(start, "tag truncated");
            const std::uint8_t b = in[pos++];
            if (i == 1 && (b & 0x7F) == 0) fail(start, "tag number with leading zero bits");
            tag = tag << 8 | b;
            if (!(b & 0x80)) break;
        }
    }
    off = pos;
    return tag;
}

// ISO 7816-4 §5.2.2.2: 00-7F, or 81-84 followed by 1-4 length bytes. 80 (indefinite, X.690
// §8.1.3.6) has no place in ISO 7816; 85-FF are reserved.
std::size_t readLength(ByteView in, std::size_t& off) {
    const std::size_t start = off;
    if (off >= in.size()) fail(start, "missing length");
    const std::uint8_t first = in[off];
    if (first < 0x80) {
        off += 1;
        return first;
    }
    if (first == 0x80) fail(start, "indefinite length (80) not allowed");
    const std::size_t n = first & 0x7F;
    if (n > 4) fail(start, "length field " + hexByte(first) + " longer than 4 bytes");
    if (in.size() - off - 1 < n) fail(start, "length field truncated");
    std::size_t len = 0;
    for (std::size_t i = 0; i < n; ++i) len = len << 8 | in[off + 1 + i];
    off += 1 + n;
    return len;
}

// ---- reading -------------------------------------------------------------------------------------

void Reader::skipPadding() {
    if (m_padding != Padding::Skip) return;
    while (m_off < m_in.size() && (m_in[m_off] == 0x00 || m_in[m_off] == 0xFF)) ++m_off;
}

bool Reader::atEnd() {
    skipPadding();
    return m_off >= m_in.size();
}

std::optional<Tlv> Reader::next() {
    if (atEnd()) return std::nullopt;
    std::size_t off = m_off;
    const Tag tag = readTag(m_in, off);
    const std::size_t len = readLength(m_in, off);
    if (len > m_in.size() - off)
        fail(m_off, "value of " + std::to_string(len) + " bytes truncated to " + std::to_string(m_in.size() - off));
    Tlv t;
    t.tag = tag;
    t.value = m_in.subspan(off, len);
    t.raw = m_in.subspan(m_off, off + len - m_off);
    m_off = off + len;
    return t;
}

Reader Tlv::children() const { return Reader(value); }

std::optional<Tlv> Tlv::find(Tag child) const { return tlv::find(value, child); }

std::vector<Tlv> parseAll(ByteView in, Padding padding) {
    std::vector<Tlv> out;
    Reader r(in, padding);
    while (auto t = r.next()) out.push_back(*t);
    return out;
}

Tlv parseOne(ByteView in) {
    Reader r(in);
    auto t = r.next();
    if (!t) fail(0, "no data object");
    if (!r.atEnd()) fail(r.offset(), "trailing bytes after the data object");
    return *t;
}

std::optional<Tlv> find(ByteView in, Tag tag) {
    Reader r(in);
    while (auto t = r.next())
        if (t->tag == tag) return t;
    return std::nullopt;
}

std::optional<Tlv> findPath(ByteView in, std::initializer_list<Tag> path) {
    std::optional<Tlv> cur;
    ByteView level = in;
    for (Tag tag : path) {
        cur = find(level, tag);
        if (!cur) return std::nullopt;
        level = cur->value;
    }
    return cur;
}

namespace {

std::optional<Tlv> findRecursiveAt(ByteView in, Tag tag, std::size_t depth) {
    if (depth > kMaxDepth) throw TlvError("TLV nested deeper than " + std::to_string(kMaxDepth) + " levels");
    Reader r(in);
    while (auto t = r.next()) {
        if (t->tag == tag) return t;
        if (t->constructed())
            if (auto found = findRecursiveAt(t->value, tag, depth + 1)) return found;
    }
    return std::nullopt;
}

void validateAt(ByteView in, std::size_t depth, std::size_t maxDepth) {
    if (depth > maxDepth) throw TlvError("TLV nested deeper than " + std::to_string(maxDepth) + " levels");
    Reader r(in);
    while (auto t = r.next())
        if (t->constructed()) validateAt(t->value, depth + 1, maxDepth);
}

}  // namespace

std::optional<Tlv> findRecursive(ByteView in, Tag tag) { return findRecursiveAt(in, tag, 0); }

void validate(ByteView in, std::size_t maxDepth) { validateAt(in, 0, maxDepth); }

// ---- writing -------------------------------------------------------------------------------------

Bytes encode(Tag tag, ByteView value) {
    Bytes out;
    out.reserve(tagSize(tag) + 5 + value.size());
    appendTag(out, tag);
    appendLength(out, value.size());
    append(out, value);
    return out;
}

Builder& Builder::add(Tag tag, ByteView value) {
    appendTag(m_out, tag);
    appendLength(m_out, value.size());
    append(m_out, value);
    return *this;
}

Builder& Builder::addRaw(ByteView encoded) {
    append(m_out, encoded);
    return *this;
}

// ---- SIMPLE-TLV ----------------------------------------------------------------------------------

std::optional<SimpleTlv> SimpleReader::next() {
    if (atEnd()) return std::nullopt;
    const std::size_t start = m_off;
    const std::uint8_t tag = m_in[start];
    if (tag == 0x00 || tag == 0xFF) fail(start, "invalid SIMPLE-TLV tag " + hexByte(tag));
    if (start + 1 >= m_in.size()) fail(start, "SIMPLE-TLV length missing");
    std::size_t off = start + 1;
    std::size_t len = m_in[off++];
    if (len == 0xFF) {
        if (m_in.size() - off < 2) fail(start, "SIMPLE-TLV 3-byte length truncated");
        len = readBe16(m_in, off);
        off += 2;
    }
    if (len > m_in.size() - off)
        fail(start, "SIMPLE-TLV value of " + std::to_string(len) + " bytes truncated to " +
                        std::to_string(m_in.size() - off));
    SimpleTlv t;
    t.tag = tag;
    t.value = m_in.subspan(off, len);
    t.raw = m_in.subspan(start, off + len - start);
    m_off = off + len;
    return t;
}

std::vector<SimpleTlv> parseAllSimple(ByteView in) {
    std::vector<SimpleTlv> out;
    SimpleReader r(in);
    while (auto t = r.next()) out.push_back(*t);
    return out;
}

void appendSimple(Bytes& out, std::uint8_t tag, ByteView value) {
    if (tag == 0x00 || tag == 0xFF) throw std::invalid_argument("SIMPLE-TLV tag 00 and FF are invalid");
    if (value.size() > 0xFFFF) throw std::invalid_argument("SIMPLE-TLV value above 65535 bytes");
    out.push_back(tag);
    if (value.size() < 0xFF) {
        out.push_back(static_cast<std::uint8_t>(value.size()));
    } else {
        out.push_back(0xFF);
        appendBe16(out, static_cast<std::uint16_t>(value.size()));
    }
    append(out, value);
}

Bytes encodeSimple(std::uint8_t tag, ByteView value) {
    Bytes out;
    appendSimple(out, tag, value);
    return out;
}

}  // namespace vpcsc::tlv
