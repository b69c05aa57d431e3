#include "vicc/fs/fcp.hpp"

#include "common/sw.hpp"
#include "common/tlv.hpp"
#include "vicc/fs/access.hpp"

namespace vpcsc::vicc::fs {

namespace {

Bytes bigEndian(std::size_t value, std::size_t minBytes) {
    Bytes out;
    for (; value > 0 || out.size() < minBytes; value >>= 8) out.insert(out.begin(), static_cast<std::uint8_t>(value));
    return out;
}

// ISO 7816-4 §7.4.3 Table 12 and §7.4.5: file descriptor byte, data coding byte, and for record
// EFs the maximum record size (two bytes) and the number of records.
Bytes descriptorValue(const File& f) {
    Bytes v{f.descriptor()};
    if (f.isDf()) return v;
    v.push_back(f.dataCoding);
    if (f.isRecordEf()) {
        appendBe16(v, static_cast<std::uint16_t>(f.recordSize));
        v.push_back(static_cast<std::uint8_t>(f.records.size()));
    }
    return v;
}

Bytes fcpContent(const File& f) {
    tlv::Builder b;
    b.add(0x82, descriptorValue(f));
    b.add(0x83, {static_cast<std::uint8_t>(f.fid() >> 8), static_cast<std::uint8_t>(f.fid())});
    if (f.isDf() && !f.dfName.empty()) b.add(0x84, f.dfName);
    if (!f.isDf()) {
        b.add(0x80, bigEndian(f.dataSize(), 2));
        if (f.sfi)
            b.addByte(0x88, static_cast<std::uint8_t>(*f.sfi << 3));
        else
            b.add(0x88, ByteView{});
    }
    b.addByte(0x8A, static_cast<std::uint8_t>(f.lifeCycle));
    if (!f.compactSecurity.empty()) b.add(0x8C, f.compactSecurity);
    b.addRaw(f.extraFcp);
    return b.take();
}

[[noreturn]] void invalid() { throw SwError(sw::kIncorrectDataField); }

std::size_t readNumber(ByteView v, std::size_t maxBytes) {
    if (v.empty() || v.size() > maxBytes) invalid();
    std::size_t n = 0;
    for (auto b : v) n = n << 8 | b;
    return n;
}

}  // namespace

Bytes buildFcp(const File& file) { return tlv::encode(0x62, fcpContent(file)); }

Bytes buildFmd(const File& file) { return tlv::encode(0x64, file.fmd); }

Bytes buildFci(const File& file) {
    Bytes content = fcpContent(file);
    append(content, file.fmd);
    return tlv::encode(0x6F, content);
}

Bytes fileInformation(const File& file, FileInfo which) {
    switch (which) {
    case FileInfo::Fci: return buildFci(file);
    case FileInfo::Fcp: return buildFcp(file);
    case FileInfo::Fmd: return buildFmd(file);
    case FileInfo::None: return {};
    }
    return {};
}

std::unique_ptr<File> parseFcpForCreation(ByteView data, std::size_t maxSize) {
    std::optional<tlv::Tlv> outer;
    std::vector<tlv::Tlv> objects;
    try {
        outer = tlv::parseOne(data);
        if (outer->tag != 0x62 && outer->tag != 0x6F) invalid();
        objects = tlv::parseAll(outer->value);
    } catch (const tlv::TlvError&) {
        invalid();
    }

    std::optional<std::uint8_t> fdb;
    std::uint8_t dcb = 0x21;
    std::optional<std::size_t> recordSize, recordCount, size;
    std::optional<std::uint16_t> fid;
    Bytes name, security, extra;
    bool sfiPresent = false;  // tag 88 present
    std::uint8_t sfiValue = 0;  // its SFI, 0 for none
    LifeCycle lcs = LifeCycle::Activated;

    for (const auto& t : objects) {
        const ByteView v = t.value;
        switch (t.tag) {
        case 0x82:  // ISO 7816-4 §7.4.5
            if (v.empty() || v.size() > 6) invalid();
            fdb = v[0];
            if (v.size() >= 2) dcb = v[1];
            if (v.size() == 3) recordSize = v[2];
            if (v.size() >= 4) recordSize = readBe16(v, 2);
            if (v.size() == 5) recordCount = v[4];
            if (v.size() == 6) recordCount = readBe16(v, 4);
            break;
        case 0x83:
            if (v.size() != 2) invalid();
            fid = readBe16(v, 0);
            break;
        case 0x84:
            if (v.empty() || v.size() > kMaxDfNameLength) invalid();
            name.assign(v.begin(), v.end());
            break;
        case 0x80:  // number of data bytes
            size = readNumber(v, 3);
            break;
        case 0x81:  // number of data bytes including structural information
            if (!size) size = readNumber(v, 3);
            break;
        case 0x88:  // ISO 7816-4 §7.4.3: b8-b4 SFI, b3-b1 000; empty: no SFI
            sfiPresent = true;
            if (!v.empty()) {
                if (v.size() != 1) invalid();
                sfiValue = (v[0] & 0x07) == 0 ? v[0] >> 3 : v[0];  // tolerate an unshifted value
                if (sfiValue < 1 || sfiValue > 30) invalid();
            }
            break;
        case 0x8A: {  // ISO 7816-4 §7.4.10
            if (v.size() != 1) invalid();
            if (v[0] == 0x00) break;
            auto l = lifeCycleFromByte(v[0]);
            if (!l) invalid();
            lcs = *l;
            break;
        }
        case 0x8C:  // ISO 7816-4 §9.3 compact format
            if (!validCompactSecurity(v)) invalid();
            security.assign(v.begin(), v.end());
            break;
        default:
            append(extra, t.raw);
            break;
        }
    }

    if (!fdb || !fid) invalid();
    const auto structure = structureFromDescriptor(*fdb);
    if (!structure) invalid();
    if (*fid == kMfFid || *fid == kCurrentDfFid || *fid == 0xFFFF) invalid();
    if (!name.empty() && *structure != FileStructure::Df) invalid();

    // Refuse before allocating: the caller charges the real footprint against the capacity.
    if (size && *size > maxSize) throw SwError(sw::kNotEnoughMemory);
    if (recordSize && recordCount && *recordSize * *recordCount > maxSize) throw SwError(sw::kNotEnoughMemory);

    auto file = std::make_unique<File>(*structure, *fid);
    file->setDescriptor(*fdb);
    file->dataCoding = dcb;
    file->dfName = std::move(name);
    file->lifeCycle = lcs;
    file->compactSecurity = std::move(security);
    file->extraFcp = std::move(extra);

    switch (*structure) {
    case FileStructure::Df:
    case FileStructure::BerTlv:
        break;
    case FileStructure::Transparent:
        file->data.assign(size.value_or(0), 0x00);
        break;
    case FileStructure::LinearFixed:
    case FileStructure::Cyclic:
        if (!recordSize || *recordSize == 0) invalid();
        file->recordSize = *recordSize;
        if (recordCount && *recordCount > 0) {
            if (*recordCount > kMaxRecords) invalid();
            file->maxRecords = *recordCount;
            file->records.assign(*recordCount, Bytes(*recordSize, 0xFF));
        }
        break;
    case FileStructure::LinearVariable:
        file->recordSize = recordSize && *recordSize > 0 ? *recordSize : 0xFF;
        if (recordCount && *recordCount > 0) {
            if (*recordCount > kMaxRecords) invalid();
            file->maxRecords = *recordCount;
        }
        break;
    }

    if (!file->isDf()) {
        if (sfiPresent) {
            if (sfiValue) file->sfi = sfiValue;
        } else if (std::uint8_t s = *fid & 0x1F; s >= 1 && s <= 30)
            file->sfi = s;
    }
    return file;
}

}  // namespace vpcsc::vicc::fs
