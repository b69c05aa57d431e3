// GET DATA / PUT DATA, ISO 7816-4 §11.5: BER-TLV data objects of the current DF, or of the
// current EF when it has BER-TLV structure.
//   even INS (CA/DA): P1-P2 a tag (0040-00FF one byte, 4000-FFFF two bytes); 00FF all objects.
//     GET DATA returns the value of the object, PUT DATA sets it (empty: deletes it).
//   odd INS (CB/DB): P1-P2 a file reference (3FFF the current DF, else as for odd READ BINARY);
//     GET DATA takes a tag list 5C and returns the listed objects whole (empty list: all);
//     PUT DATA takes concatenated BER-TLV objects and stores each.
#include <algorithm>

#include "common/sw.hpp"
#include "common/tlv.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

using fs::File;

constexpr std::uint16_t kAllObjects = 0x00FF;

// ISO 7816-4 §11.5.1 Table "P1-P2" for an even INS.
tlv::Tag tagFromP1P2(std::uint16_t p1p2) {
    if ((p1p2 >= 0x0040 && p1p2 <= 0x00FE) || p1p2 >= 0x4000) {
        if (!tlv::isValidTag(p1p2)) throw SwError(sw::kIncorrectP1P2);
        return p1p2;
    }
    if (p1p2 >= 0x0100 && p1p2 <= 0x02FF) throw SwError(sw::kReferencedDataNotFound);  // proprietary, SIMPLE-TLV
    throw SwError(sw::kIncorrectP1P2);
}

}  // namespace

namespace {
File& contextFile(File& df, LogicalChannel& ch) {
    if (ch.currentEf && ch.currentEf->structure() == fs::FileStructure::BerTlv) return *ch.currentEf;
    return df;
}

void requireDataObjects(const File& f) {
    if (!f.isDf() && f.structure() != fs::FileStructure::BerTlv) throw SwError(sw::kIncompatibleFileStructure);
}
}  // namespace

Response Iso7816Card::getData(const CommandApdu& c, LogicalChannel& ch) {
    const std::uint16_t p1p2 = static_cast<std::uint16_t>(c.p1 << 8 | c.p2);
    if (!(c.ins & 0x01)) {
        if (!c.data.empty()) throw SwError(sw::kWrongLength);
        File& f = contextFile(currentDf(ch), ch);
        checkAccess(f, fs::AccessMode::GetData, ch);
        if (p1p2 == kAllObjects || p1p2 == 0x0000) {
            if (f.dataObjects.empty()) throw SwError(sw::kReferencedDataNotFound);
            return Response(fs::encodeDataObjects(f.dataObjects));
        }
        const fs::DataObject* o = f.findDataObject(tagFromP1P2(p1p2));
        if (!o) throw SwError(sw::kReferencedDataNotFound);
        return Response(o->value);
    }

    File& f = p1p2 == fs::kCurrentDfFid ? currentDf(ch) : targetEfByReference(ch, p1p2);
    requireDataObjects(f);
    checkAccess(f, fs::AccessMode::GetData, ch);
    std::vector<tlv::Tag> wanted;
    try {
        const tlv::Tlv list = tlv::parseOne(c.data);
        if (list.tag != 0x5C) throw SwError(sw::kIncorrectDataField);
        for (std::size_t off = 0; off < list.value.size();) wanted.push_back(tlv::readTag(list.value, off));
    } catch (const tlv::TlvError&) {
        throw SwError(sw::kIncorrectDataField);
    }
    Bytes out;
    for (const auto& o : f.dataObjects)
        if (wanted.empty() || std::find(wanted.begin(), wanted.end(), o.tag) != wanted.end())
            append(out, tlv::encode(o.tag, o.value));
    if (out.empty()) throw SwError(sw::kReferencedDataNotFound);
    return Response(std::move(out));
}

Response Iso7816Card::putData(const CommandApdu& c, LogicalChannel& ch) {
    const std::uint16_t p1p2 = static_cast<std::uint16_t>(c.p1 << 8 | c.p2);
    File* f;
    std::vector<fs::DataObject> objects;
    const bool even = !(c.ins & 0x01);
    if (even && p1p2 != kAllObjects) {
        const tlv::Tag tag = tagFromP1P2(p1p2);
        f = &contextFile(currentDf(ch), ch);
        objects.push_back({tag, c.data});
    } else {
        if (c.data.empty()) throw SwError(sw::kWrongLength);
        f = even ? &contextFile(currentDf(ch), ch)
                 : (p1p2 == fs::kCurrentDfFid ? &currentDf(ch) : &targetEfByReference(ch, p1p2));
        try {
            objects = fs::parseDataObjects(c.data);
        } catch (const tlv::TlvError&) {
            throw SwError(sw::kIncorrectDataField);
        }
    }
    requireDataObjects(*f);
    checkAccess(*f, fs::AccessMode::PutData, ch);

    std::size_t growth = 0;
    for (const auto& o : objects) {
        const fs::DataObject* old = f->findDataObject(o.tag);
        const std::size_t before = old ? fs::dataObjectsSize({*old}) : 0;
        const std::size_t after = o.value.empty() ? 0 : fs::dataObjectsSize({o});
        if (after > before) growth += after - before;
    }
    fileSystem().reserve(growth);
    for (auto& o : objects) fs::storeDataObject(f->dataObjects, std::move(o));
    changed();
    return {};
}

}  // namespace vpcsc::vicc
