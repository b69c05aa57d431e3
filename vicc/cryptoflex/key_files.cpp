#include "vicc/cryptoflex/key_files.hpp"

#include <algorithm>
#include <stdexcept>

namespace vpcsc::vicc::cryptoflex {

namespace {

constexpr std::size_t kEndMark = 2;  // 00 00

void appendLe(Bytes& out, ByteView bigEndian, std::size_t width) {
    if (bigEndian.size() > width) throw std::invalid_argument("key component wider than its field");
    for (std::size_t i = 0; i < bigEndian.size(); ++i) out.push_back(bigEndian[bigEndian.size() - 1 - i]);
    out.insert(out.end(), width - bigEndian.size(), 0x00);
}

Bytes takeLe(ByteView record, std::size_t& off, std::size_t width) {
    Bytes out = reversed(record.subspan(off, width));
    off += width;
    return out;
}

// Big-endian, left-padded to width (drops leading zeros beyond it).
Bytes padded(ByteView bigEndian, std::size_t width) {
    std::size_t skip = 0;
    while (bigEndian.size() - skip > width && bigEndian[skip] == 0) ++skip;
    ByteView v = bigEndian.subspan(skip);
    if (v.size() > width) throw std::invalid_argument("key component wider than its field");
    Bytes out(width - v.size(), 0x00);
    append(out, v);
    return out;
}

}  // namespace

std::size_t baseOfBits(int bits) {
    switch (bits) {
    case 512: return 32;
    case 768: return 48;
    case 1024: return 64;
    case 2048: return 128;
    default: return 0;
    }
}

bool validBase(std::size_t base) { return base == 32 || base == 48 || base == 64 || base == 128; }

Bytes reversed(ByteView b) { return Bytes(b.rbegin(), b.rend()); }

Bytes PrivateKeyRecord::encode() const {
    const std::size_t b = base();
    if (!validBase(b)) throw std::invalid_argument("private key record: unsupported size");
    Bytes out;
    appendBe16(out, static_cast<std::uint16_t>(5 * b + 3));
    out.push_back(keyNumber);
    for (const Bytes* c : {&p, &q, &iqmp, &dmp1, &dmq1}) appendLe(out, padded(*c, b), b);
    return out;
}

std::optional<PrivateKeyRecord> PrivateKeyRecord::decode(ByteView r) {
    if (r.size() < 3) return std::nullopt;
    const std::size_t len = readBe16(r, 0);
    if (len != r.size() || (len - 3) % 5 != 0 || !validBase((len - 3) / 5)) return std::nullopt;
    const std::size_t b = (len - 3) / 5;
    PrivateKeyRecord k;
    k.keyNumber = r[2];
    std::size_t off = 3;
    for (Bytes* c : {&k.p, &k.q, &k.iqmp, &k.dmp1, &k.dmq1}) *c = takeLe(r, off, b);
    return k;
}

Bytes PublicKeyRecord::encode() const {
    const std::size_t b = base();
    if (!validBase(b) || n.size() != 2 * b) throw std::invalid_argument("public key record: unsupported size");
    Bytes out;
    appendBe16(out, static_cast<std::uint16_t>(5 * b + 7));
    out.push_back(keyNumber);
    appendLe(out, n, 2 * b);
    out.insert(out.end(), 3 * b, 0x00);  // J0 and H
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(e >> (8 * i)));
    return out;
}

std::optional<PublicKeyRecord> PublicKeyRecord::decode(ByteView r) {
    if (r.size() < 3) return std::nullopt;
    const std::size_t len = readBe16(r, 0);
    if (len != r.size() || len < 7 || (len - 7) % 5 != 0 || !validBase((len - 7) / 5)) return std::nullopt;
    const std::size_t b = (len - 7) / 5;
    PublicKeyRecord k;
    k.keyNumber = r[2];
    std::size_t off = 3;
    k.n = takeLe(r, off, 2 * b);
    off += 3 * b;
    for (int i = 0; i < 4; ++i) k.e |= static_cast<std::uint32_t>(r[off + i]) << (8 * i);
    return k;
}

std::vector<ByteView> keyRecords(ByteView content) {
    std::vector<ByteView> out;
    std::size_t off = 0;
    while (content.size() - off >= 3) {
        const std::size_t len = readBe16(content, off);
        if (len < 3 || len > content.size() - off) break;  // 00 00 end mark, or garbage
        out.push_back(content.subspan(off, len));
        off += len;
    }
    return out;
}

std::optional<ByteView> findKeyRecord(ByteView content, std::uint8_t keyNumber) {
    for (ByteView r : keyRecords(content))
        if (r[2] == keyNumber) return r;
    return std::nullopt;
}

bool storeKeyRecord(Bytes& content, ByteView record) {
    if (record.size() < 3) throw std::invalid_argument("storeKeyRecord: short record");
    Bytes list;
    for (ByteView r : keyRecords(content))
        if (r[2] != record[2]) append(list, r);
    append(list, record);
    if (list.size() + kEndMark > content.size()) return false;
    std::fill(std::copy(list.begin(), list.end(), content.begin()), content.end(), 0x00);
    return true;
}

}  // namespace vpcsc::vicc::cryptoflex
