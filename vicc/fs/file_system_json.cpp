#include "vicc/fs/file_system_json.hpp"

#include <set>
#include <string>

#include "vicc/fs/access.hpp"

namespace vpcsc::vicc::fs {

using nlohmann::json;

namespace {

std::string hex(ByteView b) { return toHex(b, 0); }

std::string hex16(std::uint16_t v) {
    Bytes b;
    appendBe16(b, v);
    return hex(b);
}

std::string hex8(std::uint8_t v) { return hex(ByteView(&v, 1)); }

}  // namespace

json fileToJson(const File& f) {
    json j;
    j["fid"] = hex16(f.fid());
    j["structure"] = std::string(structureName(f.structure()));
    if (f.descriptor() != defaultDescriptor(f.structure())) j["descriptor"] = hex8(f.descriptor());
    if (!f.isDf() && f.dataCoding != 0x21) j["dataCoding"] = hex8(f.dataCoding);
    if (f.lifeCycle != LifeCycle::Activated) j["lifeCycle"] = std::string(lifeCycleName(f.lifeCycle));
    if (!f.dfName.empty()) j["name"] = hex(f.dfName);
    if (f.sfi) j["sfi"] = *f.sfi;
    if (!f.compactSecurity.empty()) j["security"] = hex(f.compactSecurity);
    if (!f.extraFcp.empty()) j["fcpExtra"] = hex(f.extraFcp);
    if (!f.fmd.empty()) j["fmd"] = hex(f.fmd);
    switch (f.structure()) {
    case FileStructure::Transparent:
        j["data"] = hex(f.data);
        break;
    case FileStructure::LinearFixed:
    case FileStructure::LinearVariable:
    case FileStructure::Cyclic: {
        j["recordSize"] = f.recordSize;
        j["maxRecords"] = f.maxRecords;
        json records = json::array();
        for (const auto& r : f.records) records.push_back(hex(r));
        j["records"] = std::move(records);
        break;
    }
    case FileStructure::BerTlv:
    case FileStructure::Df:
        break;
    }
    if (!f.dataObjects.empty()) j["dataObjects"] = hex(encodeDataObjects(f.dataObjects));
    if (f.isDf()) {
        json children = json::array();
        for (const auto& c : f.children()) children.push_back(fileToJson(*c));
        j["children"] = std::move(children);
    }
    return j;
}

json fileSystemToJson(const FileSystem& fs) { return fileToJson(fs.mf()); }

namespace {

class Loader {
public:
    explicit Loader(std::set<Bytes>& names) : m_names(names) {}

    std::unique_ptr<File> load(const json& j, const std::string& where, std::size_t depth) {
        if (!j.is_object()) fail(where, "a file must be a JSON object");
        if (depth > FileSystem::kMaxDepth) fail(where, "file tree deeper than " + std::to_string(FileSystem::kMaxDepth));
        const Bytes fidBytes = hexField(j, "fid", where, true);
        if (fidBytes.size() != 2) fail(where, "\"fid\" must be 2 bytes of hex");
        const std::uint16_t fid = readBe16(fidBytes, 0);
        const std::string here = where + "/" + hex16(fid);

        const auto structure = structureFromName(stringField(j, "structure", here, true));
        if (!structure) fail(here, "unknown \"structure\" (DF, transparent, linearFixed, linearVariable, cyclic, berTlv)");
        auto f = std::make_unique<File>(*structure, fid);

        if (j.contains("descriptor")) {
            const Bytes d = hexField(j, "descriptor", here, true);
            if (d.size() != 1 || structureFromDescriptor(d[0]) != *structure)
                fail(here, "\"descriptor\" must be one byte coding the same structure");
            f->setDescriptor(d[0]);
        }
        if (j.contains("dataCoding")) {
            const Bytes d = hexField(j, "dataCoding", here, true);
            if (d.size() != 1) fail(here, "\"dataCoding\" must be one byte");
            f->dataCoding = d[0];
        }
        if (j.contains("lifeCycle")) {
            const auto l = lifeCycleFromName(stringField(j, "lifeCycle", here, true));
            if (!l) fail(here, "unknown \"lifeCycle\" (creation, initialisation, activated, deactivated, terminated)");
            f->lifeCycle = *l;
        }
        f->dfName = hexField(j, "name", here, false);
        if (!f->dfName.empty()) {
            if (!f->isDf()) fail(here, "only a DF has a \"name\"");
            if (f->dfName.size() > kMaxDfNameLength) fail(here, "a DF name has at most 16 bytes");
            if (!m_names.insert(f->dfName).second) fail(here, "DF name used twice");
        }
        if (j.contains("sfi") && !j["sfi"].is_null()) {
            const unsigned s = unsignedField(j, "sfi", here);
            if (f->isDf() || s < 1 || s > 30) fail(here, "\"sfi\" must be 1-30 and only on an EF");
            f->sfi = static_cast<std::uint8_t>(s);
        }
        f->compactSecurity = hexField(j, "security", here, false);
        if (!f->compactSecurity.empty() && !validCompactSecurity(f->compactSecurity))
            fail(here, "\"security\" must be an AM byte followed by one SC byte per AM bit b7-b1");
        f->extraFcp = hexField(j, "fcpExtra", here, false);
        f->fmd = hexField(j, "fmd", here, false);
        try {
            // Top level only: CREATE FILE keeps unknown FCP objects verbatim without looking inside.
            tlv::parseAll(f->extraFcp);
            tlv::parseAll(f->fmd);
            f->dataObjects = parseDataObjects(hexField(j, "dataObjects", here, false));
        } catch (const tlv::TlvError& e) {
            fail(here, std::string("malformed BER-TLV: ") + e.what());
        }
        if (!f->dataObjects.empty() && *structure != FileStructure::Df && *structure != FileStructure::BerTlv)
            fail(here, "only a DF or a berTlv EF holds \"dataObjects\"");

        switch (*structure) {
        case FileStructure::Transparent: {
            f->data = hexField(j, "data", here, false);
            if (j.contains("size")) {
                const std::size_t size = unsignedField(j, "size", here);
                if (size < f->data.size()) fail(here, "\"size\" smaller than \"data\"");
                if (size > m_capacity) fail(here, "\"size\" over the card capacity");
                f->data.resize(size, 0x00);
            }
            break;
        }
        case FileStructure::LinearFixed:
        case FileStructure::LinearVariable:
        case FileStructure::Cyclic: {
            f->recordSize = unsignedField(j, "recordSize", here);
            if (f->recordSize < 1 || f->recordSize > 0xFFFF) fail(here, "\"recordSize\" must be 1-65535");
            f->maxRecords = j.contains("maxRecords") ? unsignedField(j, "maxRecords", here) : kMaxRecords;
            if (f->maxRecords < 1 || f->maxRecords > kMaxRecords) fail(here, "\"maxRecords\" must be 1-254");
            if (j.contains("records")) {
                if (!j["records"].is_array()) fail(here, "\"records\" must be an array of hex strings");
                for (const auto& r : j["records"]) {
                    if (!r.is_string()) fail(here, "\"records\" must be an array of hex strings");
                    Bytes rec = parseHex(r.get<std::string>(), here, "records");
                    const bool fixed = *structure != FileStructure::LinearVariable;
                    if ((fixed && rec.size() != f->recordSize) || rec.size() > f->recordSize || rec.empty())
                        fail(here, "record " + std::to_string(f->records.size() + 1) + " does not fit \"recordSize\"");
                    f->records.push_back(std::move(rec));
                }
            }
            if (f->records.size() > f->maxRecords) fail(here, "more \"records\" than \"maxRecords\"");
            break;
        }
        case FileStructure::BerTlv:
        case FileStructure::Df:
            break;
        }

        if (j.contains("children")) {
            if (!f->isDf()) fail(here, "only a DF has \"children\"");
            if (!j["children"].is_array()) fail(here, "\"children\" must be an array");
            for (const auto& c : j["children"]) {
                auto child = load(c, here, depth + 1);
                if (child->fid() == fid || f->child(child->fid()))
                    fail(here, "FID " + hex16(child->fid()) + " used twice in one DF");
                if (child->fid() == kMfFid || child->fid() == kCurrentDfFid || child->fid() == 0xFFFF)
                    fail(here, "FID " + hex16(child->fid()) + " is reserved");
                f->addChild(std::move(child));
            }
        }
        return f;
    }

    std::size_t m_capacity = FileSystem::kDefaultCapacity;

private:
    [[noreturn]] static void fail(const std::string& where, const std::string& what) {
        throw ParseError("card image, file " + (where.empty() ? std::string("/") : where) + ": " + what);
    }
    static std::string stringField(const json& j, const char* key, const std::string& where, bool required) {
        if (!j.contains(key)) {
            if (required) fail(where, std::string("missing \"") + key + "\"");
            return {};
        }
        if (!j[key].is_string()) fail(where, std::string("\"") + key + "\" must be a string");
        return j[key].get<std::string>();
    }
    static Bytes parseHex(const std::string& text, const std::string& where, const char* key) {
        try {
            return fromHex(text);
        } catch (const ParseError&) {
            fail(where, std::string("\"") + key + "\" is not hex");
        }
    }
    static Bytes hexField(const json& j, const char* key, const std::string& where, bool required) {
        if (!j.contains(key) && !required) return {};
        return parseHex(stringField(j, key, where, required), where, key);
    }
    static std::size_t unsignedField(const json& j, const char* key, const std::string& where) {
        if (!j.contains(key) || !j[key].is_number_unsigned()) fail(where, std::string("\"") + key + "\" must be an unsigned number");
        return j[key].get<std::size_t>();
    }

    std::set<Bytes>& m_names;
};

}  // namespace

FileSystem fileSystemFromJson(const json& mf, std::size_t capacity) {
    std::set<Bytes> names;
    Loader loader(names);
    loader.m_capacity = capacity;
    auto root = loader.load(mf, "", 0);
    if (!root->isDf() || root->fid() != kMfFid) throw ParseError("card image: the root of \"fileSystem\" must be DF 3F00");
    FileSystem fs(std::move(root));
    fs.setCapacity(capacity);
    if (fs.used() > capacity)
        throw ParseError("card image: the file system takes " + std::to_string(fs.used()) + " bytes, over the capacity of " +
                         std::to_string(capacity));
    return fs;
}

}  // namespace vpcsc::vicc::fs
