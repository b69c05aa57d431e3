// BER-TLV (ISO 7816-4 §5.2, ITU-T X.690 §8.1) and SIMPLE-TLV (ISO 7816-4 §5.2.1).
// Readers work on views and never read past the buffer; a Tlv's views point into the buffer it
// was read from, so that buffer must outlive it. Writers produce tag + minimal length + value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::tlv {

// Malformed TLV; what() names the offset and the rule.
struct TlvError : ParseError {
    using ParseError::ParseError;
};

// ---- BER-TLV ------------------------------------------------------------------------------------

// A tag as its 1 to 4 encoded bytes read big-endian: 0x6F, 0x5F2D, 0xBF2D, 0x7F4900 is not a tag
// but 0x7F49 is. The first byte never is 00, so the encoding is the value's significant bytes.
using Tag = std::uint32_t;

enum class TagClass : std::uint8_t { Universal = 0, Application = 1, ContextSpecific = 2, Private = 3 };

constexpr std::size_t kMaxTagBytes = 4;
constexpr std::size_t kMaxDepth = 32;  // nesting limit of the recursive helpers

std::size_t tagSize(Tag tag);  // 1-4 (bytes of the encoding)
std::uint8_t tagFirstByte(Tag tag);
bool isConstructed(Tag tag);   // b6 of the first byte
TagClass tagClass(Tag tag);    // b8-b7 of the first byte
// Whether tag is a well-formed encoding (X.690 §8.1.2): first byte not 00/FF, subsequent bytes
// present iff the first byte's tag number is 1F, b8 set on all but the last, first subsequent
// byte not 80 (leading zero), at most 4 bytes.
bool isValidTag(Tag tag);

void appendTag(Bytes& out, Tag tag);            // throws std::invalid_argument on an invalid tag
void appendLength(Bytes& out, std::size_t len); // minimal: 00-7F, 81 xx, 82 xxxx, 83 .., 84 ..

// Low-level field readers: read at `off` and advance it. Throw TlvError.
Tag readTag(ByteView in, std::size_t& off);
std::size_t readLength(ByteView in, std::size_t& off);  // rejects 80 (indefinite) and 85-FF

class Reader;

struct Tlv {
    Tag tag = 0;
    ByteView value;  // the value field
    ByteView raw;    // tag + length + value, exactly as read

    bool constructed() const { return isConstructed(tag); }
    Bytes valueBytes() const { return Bytes(value.begin(), value.end()); }
    Reader children() const;  // the data objects nested in value
    // First child with this tag (one level down), if any. Throws TlvError on malformed children.
    std::optional<Tlv> find(Tag child) const;
};

// Padding bytes 00/FF before, between and after data objects (ISO 7816-4 §5.2.2): rejected as
// invalid first tag bytes by default; Skip is for whole EF contents and record padding.
enum class Padding { Reject, Skip };

// Iterates the data objects concatenated in a buffer.
class Reader {
public:
    explicit Reader(ByteView in, Padding padding = Padding::Reject) : m_in(in), m_padding(padding) {}
    // The next data object, nullopt at the end. Throws TlvError (and stays at that offset).
    std::optional<Tlv> next();
    bool atEnd();
    std::size_t offset() const { return m_off; }

    struct Sentinel {};
    class Iterator {
    public:
        explicit Iterator(Reader* r) : m_reader(r) { advance(); }
        const Tlv& operator*() const { return *m_current; }
        const Tlv* operator->() const { return &*m_current; }
        Iterator& operator++() { advance(); return *this; }
        bool operator==(Sentinel) const { return !m_current; }
    private:
        void advance() { m_current = m_reader->next(); }
        Reader* m_reader;
        std::optional<Tlv> m_current;
    };
    Iterator begin() { return Iterator(this); }
    Sentinel end() { return {}; }

private:
    void skipPadding();
    ByteView m_in;
    std::size_t m_off = 0;
    Padding m_padding;
};

// Every data object at this level; throws on any malformed one.
std::vector<Tlv> parseAll(ByteView in, Padding padding = Padding::Reject);
// Exactly one data object filling the whole buffer (e.g. an FCP template 62 .. or BF2D ..).
Tlv parseOne(ByteView in);
// First object with this tag at this level.
std::optional<Tlv> find(ByteView in, Tag tag);
// Follows a path of tags through constructed objects: findPath(fci, {0x6F, 0xA5, 0xBF0C}).
std::optional<Tlv> findPath(ByteView in, std::initializer_list<Tag> path);
// Depth-first search through constructed objects (at most kMaxDepth levels).
std::optional<Tlv> findRecursive(ByteView in, Tag tag);
// Whether the buffer is a well-formed sequence, recursing into constructed objects.
// Throws TlvError with the first problem found.
void validate(ByteView in, std::size_t maxDepth = kMaxDepth);

Bytes encode(Tag tag, ByteView value);

// Builds a sequence of data objects; nest with add(tag, Builder).
class Builder {
public:
    Builder& add(Tag tag, ByteView value);
    Builder& add(Tag tag, std::initializer_list<std::uint8_t> value) { return add(tag, ByteView(value.begin(), value.size())); }
    Builder& add(Tag tag, const Builder& children) { return add(tag, ByteView(children.m_out)); }
    Builder& addByte(Tag tag, std::uint8_t value) { return add(tag, ByteView(&value, 1)); }
    Builder& addRaw(ByteView encoded);  // already encoded data objects
    const Bytes& bytes() const { return m_out; }
    Bytes take() { return std::move(m_out); }
    // The whole content wrapped in one constructed object: Builder().add(..).wrap(0x62).
    Bytes wrap(Tag tag) const { return encode(tag, m_out); }

private:
    Bytes m_out;
};

// ---- SIMPLE-TLV, ISO 7816-4 §5.2.1 --------------------------------------------------------------
// Tag 01-FE; length 00-FE in one byte, or FF followed by two bytes 0000-FFFF.

struct SimpleTlv {
    std::uint8_t tag = 0;
    ByteView value;
    ByteView raw;
};

class SimpleReader {
public:
    explicit SimpleReader(ByteView in) : m_in(in) {}
    std::optional<SimpleTlv> next();  // throws TlvError
    bool atEnd() const { return m_off >= m_in.size(); }
    std::size_t offset() const { return m_off; }

private:
    ByteView m_in;
    std::size_t m_off = 0;
};

std::vector<SimpleTlv> parseAllSimple(ByteView in);
// Throws std::invalid_argument for tag 00/FF or a value over 65535 bytes.
Bytes encodeSimple(std::uint8_t tag, ByteView value);
void appendSimple(Bytes& out, std::uint8_t tag, ByteView value);

}  // namespace vpcsc::tlv
