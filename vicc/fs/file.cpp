#include "vicc/fs/file.hpp"

#include <algorithm>
#include <array>

namespace vpcsc::vicc::fs {

namespace {

constexpr std::size_t kFileOverhead = 32;  // bookkeeping charged per file against the capacity

struct StructureInfo {
    FileStructure structure;
    std::uint8_t descriptor;
    std::string_view name;
};

// ISO 7816-4 §7.4.5 Table 12.
constexpr std::array<StructureInfo, 6> kStructures{{
    {FileStructure::Df, 0x38, "DF"},
    {FileStructure::Transparent, 0x01, "transparent"},
    {FileStructure::LinearFixed, 0x02, "linearFixed"},
    {FileStructure::LinearVariable, 0x04, "linearVariable"},
    {FileStructure::Cyclic, 0x06, "cyclic"},
    {FileStructure::BerTlv, 0x39, "berTlv"},
}};

struct LifeCycleInfo {
    LifeCycle lcs;
    std::string_view name;
};

constexpr std::array<LifeCycleInfo, 5> kLifeCycles{{
    {LifeCycle::Creation, "creation"},
    {LifeCycle::Initialisation, "initialisation"},
    {LifeCycle::Deactivated, "deactivated"},
    {LifeCycle::Activated, "activated"},
    {LifeCycle::Terminated, "terminated"},
}};

}  // namespace

std::uint8_t defaultDescriptor(FileStructure s) {
    for (const auto& i : kStructures)
        if (i.structure == s) return i.descriptor;
    return 0x01;
}

std::optional<FileStructure> structureFromDescriptor(std::uint8_t fdb) {
    if (fdb & 0x80) return std::nullopt;       // b8 = 1: proprietary / RFU
    const std::uint8_t withoutShare = fdb & 0x3F;  // b7: shareable, does not change the structure
    if (withoutShare == 0x38) return FileStructure::Df;
    if (withoutShare == 0x39) return FileStructure::BerTlv;
    const std::uint8_t category = (withoutShare >> 3) & 0x07;  // b6-b4: 000 working, 001 internal EF
    if (category > 1) return std::nullopt;
    switch (withoutShare & 0x07) {
    case 1: return FileStructure::Transparent;
    case 2: case 3: return FileStructure::LinearFixed;
    case 4: case 5: return FileStructure::LinearVariable;
    case 6: case 7: return FileStructure::Cyclic;
    default: return std::nullopt;
    }
}

std::string_view structureName(FileStructure s) {
    for (const auto& i : kStructures)
        if (i.structure == s) return i.name;
    return "?";
}

std::optional<FileStructure> structureFromName(std::string_view name) {
    for (const auto& i : kStructures)
        if (i.name == name) return i.structure;
    return std::nullopt;
}

std::optional<LifeCycle> lifeCycleFromByte(std::uint8_t lcs) {
    // ISO 7816-4 §7.4.10 Table 15
    if (lcs == 0x01) return LifeCycle::Creation;
    if (lcs == 0x03) return LifeCycle::Initialisation;
    if ((lcs & 0xFD) == 0x05) return LifeCycle::Activated;
    if ((lcs & 0xFD) == 0x04) return LifeCycle::Deactivated;
    if ((lcs & 0xFC) == 0x0C) return LifeCycle::Terminated;
    return std::nullopt;
}

std::string_view lifeCycleName(LifeCycle l) {
    for (const auto& i : kLifeCycles)
        if (i.lcs == l) return i.name;
    return "?";
}

std::optional<LifeCycle> lifeCycleFromName(std::string_view name) {
    for (const auto& i : kLifeCycles)
        if (i.name == name) return i.lcs;
    return std::nullopt;
}

File::File(FileStructure structure, std::uint16_t fid)
    : m_structure(structure), m_fid(fid), m_descriptor(defaultDescriptor(structure)) {}

bool File::isRecordEf() const {
    return m_structure == FileStructure::LinearFixed || m_structure == FileStructure::LinearVariable ||
           m_structure == FileStructure::Cyclic;
}

File& File::addChild(std::unique_ptr<File> child) {
    child->m_parent = this;
    m_children.push_back(std::move(child));
    return *m_children.back();
}

std::unique_ptr<File> File::removeChild(const File& child) {
    auto it = std::find_if(m_children.begin(), m_children.end(),
                           [&](const auto& c) { return c.get() == &child; });
    if (it == m_children.end()) return nullptr;
    std::unique_ptr<File> removed = std::move(*it);
    m_children.erase(it);
    removed->m_parent = nullptr;
    return removed;
}

File* File::child(std::uint16_t fid) const {
    for (const auto& c : m_children)
        if (c->m_fid == fid) return c.get();
    return nullptr;
}

File* File::childBySfi(std::uint8_t sfiValue) const {
    for (const auto& c : m_children)
        if (!c->isDf() && c->sfi == sfiValue) return c.get();
    return nullptr;
}

bool File::isWithin(const File& ancestor) const {
    for (const File* f = this; f; f = f->m_parent)
        if (f == &ancestor) return true;
    return false;
}

DataObject* File::findDataObject(tlv::Tag tag) {
    for (auto& o : dataObjects)
        if (o.tag == tag) return &o;
    return nullptr;
}

const DataObject* File::findDataObject(tlv::Tag tag) const {
    for (const auto& o : dataObjects)
        if (o.tag == tag) return &o;
    return nullptr;
}

std::size_t File::dataSize() const {
    switch (m_structure) {
    case FileStructure::Transparent: return data.size();
    case FileStructure::LinearFixed:
    case FileStructure::Cyclic: return recordSize * records.size();
    case FileStructure::LinearVariable: {
        std::size_t n = 0;
        for (const auto& r : records) n += r.size();
        return n;
    }
    case FileStructure::BerTlv: return dataObjectsSize(dataObjects);
    case FileStructure::Df: return 0;
    }
    return 0;
}

std::size_t File::footprint() const {
    std::size_t n = kFileOverhead + dfName.size() + compactSecurity.size() + extraFcp.size() + fmd.size() +
                    data.size() + dataObjectsSize(dataObjects);
    for (const auto& r : records) n += r.size() + 2;
    for (const auto& c : m_children) n += c->footprint();
    return n;
}

std::size_t dataObjectsSize(const std::vector<DataObject>& objects) {
    std::size_t n = 0;
    for (const auto& o : objects) {
        n += tlv::tagSize(o.tag) + o.value.size() + 1;
        if (o.value.size() > 0x7F)  // long length form: 81 xx, 82 xx xx, ...
            for (std::size_t len = o.value.size(); len > 0; len >>= 8) ++n;
    }
    return n;
}

Bytes encodeDataObjects(const std::vector<DataObject>& objects) {
    tlv::Builder b;
    for (const auto& o : objects) b.add(o.tag, o.value);
    return b.take();
}

std::vector<DataObject> parseDataObjects(ByteView encoded) {
    std::vector<DataObject> out;
    for (const auto& t : tlv::parseAll(encoded, tlv::Padding::Skip)) out.push_back({t.tag, t.valueBytes()});
    return out;
}

void storeDataObject(std::vector<DataObject>& objects, DataObject object) {
    auto it = std::find_if(objects.begin(), objects.end(), [&](const auto& o) { return o.tag == object.tag; });
    if (object.value.empty()) {
        if (it != objects.end()) objects.erase(it);
        return;
    }
    if (it != objects.end())
        it->value = std::move(object.value);
    else
        objects.push_back(std::move(object));
}

}  // namespace vpcsc::vicc::fs
