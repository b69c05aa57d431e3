#include "vicc/cryptoflex/file_header.hpp"

#include <algorithm>

#include "common/sw.hpp"
#include "common/tlv.hpp"

namespace vpcsc::vicc::cryptoflex {

namespace {

constexpr tlv::Tag kTagAttributes = 0x86;  // ISO 7816-4 Table 12: proprietary security attributes
constexpr tlv::Tag kTagDfSize = 0x81;

std::uint8_t typeByte(const fs::File& f) {
    switch (f.structure()) {
    case fs::FileStructure::Df: return kTypeDf;
    case fs::FileStructure::LinearFixed: return kTypeLinearFixed;
    case fs::FileStructure::LinearVariable: return kTypeLinearVariable;
    case fs::FileStructure::Cyclic: return kTypeCyclic;
    case fs::FileStructure::Transparent:
    case fs::FileStructure::BerTlv: break;
    }
    return kTypeTransparent;
}

std::uint8_t statusByte(const fs::File& f) { return f.lifeCycle == fs::LifeCycle::Activated ? 0x01 : 0x00; }

// GSM 11.11 §9.2.1 style secret code status: b8 = initialised, b4-b1 = tries left.
std::uint8_t codeStatus(const fs::File& df, std::uint16_t chvFid, std::size_t triesOffset) {
    const fs::File* f = df.child(chvFid);
    if (!f || f->isDf() || f->data.size() <= triesOffset) return 0x00;
    return static_cast<std::uint8_t>(0x80 | (f->data[triesOffset] & 0x0F));
}

std::size_t allocated(const fs::File& f) {
    return kHeaderOverhead + (f.isDf() ? attributesOf(f).dfSize : efSize(f));
}

}  // namespace

Attributes attributesOf(const fs::File& file) {
    Attributes a;
    try {
        for (const auto& t : tlv::parseAll(file.extraFcp)) {
            if (t.tag == kTagAttributes && t.value.size() == 6) {
                std::copy_n(t.value.begin(), 3, a.ac.begin());
                std::copy_n(t.value.begin() + 3, 3, a.keys.begin());
            } else if (t.tag == kTagDfSize && t.value.size() == 2) {
                a.dfSize = readBe16(t.value, 0);
            }
        }
    } catch (const tlv::TlvError&) {
        // A malformed extra (hand-edited image) reads as no attributes.
    }
    return a;
}

void setAttributes(fs::File& file, const Attributes& a) {
    Bytes v(a.ac.begin(), a.ac.end());
    v.insert(v.end(), a.keys.begin(), a.keys.end());
    Bytes extra = tlv::encode(kTagAttributes, v);
    if (file.isDf()) {
        Bytes size;
        appendBe16(size, a.dfSize);
        append(extra, tlv::encode(kTagDfSize, size));
    }
    file.extraFcp = std::move(extra);
}

std::size_t efSize(const fs::File& ef) {
    if (ef.isRecordEf()) return ef.records.size() * ef.recordSize;
    return ef.data.size();
}

std::size_t freeMemory(const fs::File& df) {
    std::size_t used = 0;
    for (const auto& c : df.children()) used += allocated(*c);
    const std::size_t size = attributesOf(df).dfSize;
    return used >= size ? 0 : size - used;
}

// Reference notes §1.4. Bytes OpenSC reads: 2-3 size, 4-5 FID, 6 type, 8-10 ACs, 11 status.
Bytes fileHeader(const fs::File& f) {
    const Attributes a = attributesOf(f);
    Bytes h = {0x00, 0x00};
    const std::size_t size = f.isDf() ? freeMemory(f) : efSize(f);
    appendBe16(h, static_cast<std::uint16_t>(std::min<std::size_t>(size, 0xFFFF)));
    appendBe16(h, f.fid());
    h.push_back(typeByte(f));
    h.push_back(0x00);
    h.insert(h.end(), a.ac.begin(), a.ac.end());
    if (f.isDf() && f.fid() != fs::kMfFid) h[10] = 0x00;  // REHABILITATE/INVALIDATE: the MF only
    h.push_back(statusByte(f));
    if (!f.isDf()) {
        const bool withRecordLength = f.structure() == fs::FileStructure::LinearFixed ||
                                      f.structure() == fs::FileStructure::Cyclic;
        h.push_back(withRecordLength ? 0x04 : 0x03);
        h.insert(h.end(), a.keys.begin(), a.keys.end());
        if (withRecordLength) h.push_back(static_cast<std::uint8_t>(f.recordSize));
        return h;
    }
    // DF: GSM 11.11 §9.2.1-like data (our choice; OpenSC reads none of it): characteristics,
    // number of DFs, number of EFs, number of CHV files, RFU, CHV1 / UNBLOCK CHV1 / CHV2 /
    // UNBLOCK CHV2 status.
    std::uint8_t dfs = 0, efs = 0, chvs = 0;
    for (const auto& c : f.children()) {
        if (c->isDf())
            ++dfs;
        else
            ++efs;
        if (!c->isDf() && (c->fid() == 0x0000 || c->fid() == 0x0100)) ++chvs;
    }
    h.push_back(0x09);
    h.insert(h.end(), {0x00, dfs, efs, chvs, 0x00});
    h.push_back(codeStatus(f, 0x0000, 11));
    h.push_back(codeStatus(f, 0x0000, 21));
    h.push_back(codeStatus(f, 0x0100, 11));
    h.push_back(codeStatus(f, 0x0100, 21));
    return h;
}

// Reference notes §1.5: FF FF | size | FID | type | FF | AC0 AC1 AC2 | status | 03/04 | K0 K1 K2 | [reclen]
std::unique_ptr<fs::File> parseCreateFile(ByteView d, std::uint8_t p2) {
    if (d.size() != kCreateDataLength && d.size() != kCreateDataLength + 1) throw SwError(sw::kWrongLength);
    const std::size_t size = readBe16(d, 2);
    const std::uint16_t fid = readBe16(d, 4);
    const std::uint8_t type = d[6];
    const bool withRecordLength = d[12] == 0x04;
    if (d[12] != 0x03 && d[12] != 0x04) throw SwError(sw::kIncorrectDataField);
    if (withRecordLength != (d.size() == kCreateDataLength + 1)) throw SwError(sw::kWrongLength);
    if (fid == fs::kMfFid || fid == 0xFFFF || fid == fs::kCurrentDfFid) throw SwError(sw::kIncorrectDataField);

    Attributes a;
    std::copy_n(d.begin() + 8, 3, a.ac.begin());
    std::copy_n(d.begin() + 13, 3, a.keys.begin());

    std::unique_ptr<fs::File> f;
    switch (type) {
    case kTypeDf:
        if (p2 != 0 || withRecordLength) throw SwError(sw::kIncorrectP1P2);
        f = std::make_unique<fs::File>(fs::FileStructure::Df, fid);
        a.dfSize = static_cast<std::uint16_t>(size);
        break;
    case kTypeTransparent:
        if (p2 != 0 || withRecordLength) throw SwError(sw::kIncorrectP1P2);
        f = std::make_unique<fs::File>(fs::FileStructure::Transparent, fid);
        f->data.assign(size, 0x00);
        break;
    case kTypeLinearFixed:
    case kTypeCyclic: {
        if (!withRecordLength) throw SwError(sw::kIncorrectDataField);
        const std::size_t recordLength = d[16];
        if (recordLength == 0) throw SwError(sw::kIncorrectDataField);
        // P2 = number of records (OpenSC); without it, as many as the size holds.
        const std::size_t count = p2 != 0 ? p2 : size / recordLength;
        if (count == 0 || count > fs::kMaxRecords) throw SwError(sw::kIncorrectDataField);
        f = std::make_unique<fs::File>(type == kTypeCyclic ? fs::FileStructure::Cyclic : fs::FileStructure::LinearFixed,
                                       fid);
        f->recordSize = recordLength;
        f->maxRecords = count;
        f->records.assign(count, Bytes(recordLength, 0x00));
        break;
    }
    default:
        // Linear variable EFs (04) have no way to grow records here (no APPEND RECORD).
        throw SwError(sw::kIncorrectDataField);
    }
    if (d[11] == 0x00) f->lifeCycle = fs::LifeCycle::Deactivated;  // created invalidated
    setAttributes(*f, a);
    return f;
}

}  // namespace vpcsc::vicc::cryptoflex
