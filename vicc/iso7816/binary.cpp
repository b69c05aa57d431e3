// READ / UPDATE / WRITE / ERASE BINARY, ISO 7816-4 §11.3.3-§11.3.7, even INS (offset in P1-P2 or
// SFI in P1) and odd INS (file reference in P1-P2, offset data object 54, data in 53).
#include <algorithm>

#include "common/sw.hpp"
#include "common/tlv.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

using fs::File;

struct EvenReference {
    std::optional<std::uint8_t> sfi;
    std::size_t offset = 0;
};

// ISO 7816-4 §11.3.2: P1 b8 = 1: b7-b6 = 00, b5-b1 SFI, P2 offset; else a 15-bit offset.
EvenReference evenReference(const CommandApdu& c) {
    if (c.p1 & 0x80) {
        if (c.p1 & 0x60) throw SwError(sw::kIncorrectP1P2);
        return {static_cast<std::uint8_t>(c.p1 & 0x1F), c.p2};
    }
    return {std::nullopt, static_cast<std::size_t>(c.p1) << 8 | c.p2};
}

struct OddDataField {
    std::vector<std::size_t> offsets;  // 54: start (and, for ERASE BINARY, end)
    std::optional<Bytes> data;         // 53 (or 73)
};

// ISO 7816-4 §11.3.2: the data field of an odd INS is offset data object 54 and, for writing,
// discretionary data 53 (or 73).
OddDataField oddDataField(ByteView field) {
    OddDataField out;
    try {
        for (const auto& t : tlv::parseAll(field)) {
            if (t.tag == 0x54) {
                if (t.value.empty() || t.value.size() > 4) throw SwError(sw::kIncorrectDataField);
                std::size_t n = 0;
                for (auto b : t.value) n = n << 8 | b;
                out.offsets.push_back(n);
            } else if ((t.tag == 0x53 || t.tag == 0x73) && !out.data) {
                out.data = t.valueBytes();
            } else {
                throw SwError(sw::kIncorrectDataField);
            }
        }
    } catch (const tlv::TlvError&) {
        throw SwError(sw::kIncorrectDataField);
    }
    return out;
}

void requireTransparent(const File& ef) {
    if (ef.structure() != fs::FileStructure::Transparent) throw SwError(sw::kIncompatibleFileStructure);
}

// Whether Ne asks for "everything available" (Le = 00 / 0000, ISO 7816-4 §5.1).
bool maximumNe(std::size_t ne) { return ne == kMaxShortNe || ne == kMaxExtendedNe; }

// Reads up to `limit` bytes; ne is the Ne of the command (the limit may be smaller to leave
// room for a 53 header).
Response readAt(const File& ef, std::size_t offset, std::size_t limit, std::size_t ne) {
    if (offset >= ef.data.size()) throw SwError(sw::kWrongP1P2);  // 6B00 offset outside the EF
    const std::size_t n = std::min(limit, ef.data.size() - offset);
    Bytes out(ef.data.begin() + static_cast<std::ptrdiff_t>(offset),
              ef.data.begin() + static_cast<std::ptrdiff_t>(offset + n));
    // ISO 7816-4 §5.6: 6282, end of file reached before reading Ne bytes.
    return Response(std::move(out), n < limit && !maximumNe(ne) ? sw::kEndOfFileBeforeNe : sw::kNoError);
}

enum class WriteKind { Update, Write };

void writeAt(File& ef, std::size_t offset, ByteView data, WriteKind kind) {
    if (data.empty()) throw SwError(sw::kWrongLength);
    if (offset >= ef.data.size()) throw SwError(sw::kWrongP1P2);
    if (data.size() > ef.data.size() - offset) throw SwError(sw::kNotEnoughMemory);
    // ISO 7816-4 §7.4.5 Table 14: data coding byte b7-b6, behaviour of WRITE functions.
    const std::uint8_t behaviour = (ef.dataCoding >> 5) & 0x03;
    for (std::size_t i = 0; i < data.size(); ++i) {
        std::uint8_t& b = ef.data[offset + i];
        if (kind == WriteKind::Write && behaviour == 0x02)
            b |= data[i];
        else if (kind == WriteKind::Write && behaviour == 0x03)
            b &= data[i];
        else
            b = data[i];
    }
}

}  // namespace

Response Iso7816Card::readBinary(const CommandApdu& c, LogicalChannel& ch) {
    const std::size_t ne = c.ne.value_or(kMaxShortNe);
    if (c.ins & 0x01) {
        File& ef = targetEfByReference(ch, static_cast<std::uint16_t>(c.p1 << 8 | c.p2));
        const auto field = oddDataField(c.data);
        if (field.offsets.size() != 1 || field.data) throw SwError(sw::kIncorrectDataField);
        requireTransparent(ef);
        checkAccess(ef, fs::AccessMode::Read, ch);
        // Room for the 53 header (tag + up to 3 length bytes) within Ne.
        const std::size_t header = ne > 0x102 ? 4 : ne > 0x81 ? 3 : 2;
        if (ne <= header) throw SwError(sw::kWrongLength);
        Response r = readAt(ef, field.offsets[0], ne - header, ne);
        r.data = tlv::encode(0x53, r.data);
        return r;
    }
    const auto ref = evenReference(c);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    File& ef = targetEf(ch, ref.sfi);
    requireTransparent(ef);
    checkAccess(ef, fs::AccessMode::Read, ch);
    return readAt(ef, ref.offset, ne, ne);
}

Response Iso7816Card::updateBinary(const CommandApdu& c, LogicalChannel& ch) {
    File* ef;
    std::size_t offset;
    Bytes odd;
    ByteView data = c.data;
    if (c.ins & 0x01) {
        ef = &targetEfByReference(ch, static_cast<std::uint16_t>(c.p1 << 8 | c.p2));
        auto field = oddDataField(c.data);
        if (field.offsets.size() != 1 || !field.data) throw SwError(sw::kIncorrectDataField);
        offset = field.offsets[0];
        odd = std::move(*field.data);
        data = odd;
    } else {
        const auto ref = evenReference(c);
        ef = &targetEf(ch, ref.sfi);
        offset = ref.offset;
    }
    requireTransparent(*ef);
    checkAccess(*ef, c.ins == 0xD0 || c.ins == 0xD1 ? fs::AccessMode::Write : fs::AccessMode::Update, ch);
    writeAt(*ef, offset, data, c.ins == 0xD0 || c.ins == 0xD1 ? WriteKind::Write : WriteKind::Update);
    changed();
    return {};
}

// WRITE BINARY differs from UPDATE BINARY only in the data coding byte's write behaviour.
Response Iso7816Card::writeBinary(const CommandApdu& c, LogicalChannel& ch) { return updateBinary(c, ch); }

Response Iso7816Card::eraseBinary(const CommandApdu& c, LogicalChannel& ch) {
    File* ef;
    std::size_t from;
    std::optional<std::size_t> to;
    if (c.ins & 0x01) {
        ef = &targetEfByReference(ch, static_cast<std::uint16_t>(c.p1 << 8 | c.p2));
        const auto field = oddDataField(c.data);
        if (field.offsets.empty() || field.offsets.size() > 2 || field.data) throw SwError(sw::kIncorrectDataField);
        from = field.offsets[0];
        if (field.offsets.size() == 2) to = field.offsets[1];
    } else {
        const auto ref = evenReference(c);
        ef = &targetEf(ch, ref.sfi);
        from = ref.offset;
        // Data field absent, or the offset of the first data unit not to be erased.
        if (c.data.size() == 2)
            to = readBe16(c.data, 0);
        else if (!c.data.empty())
            throw SwError(sw::kWrongLength);
    }
    requireTransparent(*ef);
    checkAccess(*ef, fs::AccessMode::Update, ch);
    if (from >= ef->data.size()) throw SwError(sw::kWrongP1P2);
    const std::size_t end = to.value_or(ef->data.size());
    if (end < from || end > ef->data.size()) throw SwError(sw::kIncorrectDataField);
    std::fill(ef->data.begin() + static_cast<std::ptrdiff_t>(from), ef->data.begin() + static_cast<std::ptrdiff_t>(end),
              0x00);
    changed();
    return {};
}

}  // namespace vpcsc::vicc
