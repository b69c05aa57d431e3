// One node of the card file system (ISO 7816-4 §7.1): MF, DF/ADF, or an EF with one of the
// structures of ISO 7816-4 §7.3. A single node type keeps the tree, the FCP codec and the card
// image simple; the fields that do not apply to a structure stay empty.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/tlv.hpp"

namespace vpcsc::vicc::fs {

// ISO 7816-4 §7.4.5 Table 12 (file descriptor byte, b6-b1).
enum class FileStructure : std::uint8_t {
    Df,              // 0x38
    Transparent,     // EF, b3-b1 = 001
    LinearFixed,     // EF, b3-b1 = 010 / 011
    LinearVariable,  // EF, b3-b1 = 100 / 101
    Cyclic,          // EF, b3-b1 = 110 / 111
    BerTlv,          // EF of BER-TLV structure, 0x39
};

// ISO 7816-4 §7.4.10 Table 15 (life cycle status byte), canonical values.
enum class LifeCycle : std::uint8_t {
    Creation = 0x01,
    Initialisation = 0x03,
    Deactivated = 0x04,  // operational state, deactivated
    Activated = 0x05,    // operational state, activated
    Terminated = 0x0C,
};

constexpr std::uint16_t kMfFid = 0x3F00;
constexpr std::uint16_t kCurrentDfFid = 0x3FFF;  // ISO 7816-4 §7.1.1: reserved, "current DF" in paths
constexpr std::size_t kMaxRecords = 254;         // ISO 7816-4 §7.3.1: record numbers 01-FE
constexpr std::size_t kMaxDfNameLength = 16;     // ISO 7816-4 §7.1.1

// The default file descriptor byte of each structure (ISO 7816-4 §7.4.5 Table 12).
std::uint8_t defaultDescriptor(FileStructure s);
// Structure from a descriptor byte; nullopt for descriptors this file system does not model
// (SIMPLE-TLV EFs, proprietary or RFU codings).
std::optional<FileStructure> structureFromDescriptor(std::uint8_t fdb);
std::string_view structureName(FileStructure s);  // image names: "DF", "transparent", ...
std::optional<FileStructure> structureFromName(std::string_view name);
// ISO 7816-4 §7.4.10 Table 15: 04/06 deactivated, 05/07 activated, 0C-0F terminated.
std::optional<LifeCycle> lifeCycleFromByte(std::uint8_t lcs);
std::string_view lifeCycleName(LifeCycle l);
std::optional<LifeCycle> lifeCycleFromName(std::string_view name);

// A BER-TLV data object held by a DF or a BER-TLV EF (ISO 7816-4 §7.4.1, GET/PUT DATA).
struct DataObject {
    tlv::Tag tag = 0;
    Bytes value;
    bool operator==(const DataObject&) const = default;
};

class File {
public:
    File(FileStructure structure, std::uint16_t fid);
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    // ---- identity and control parameters (FCP, ISO 7816-4 §7.4.3 Table 12) ----
    FileStructure structure() const { return m_structure; }
    bool isDf() const { return m_structure == FileStructure::Df; }
    bool isRecordEf() const;
    std::uint16_t fid() const { return m_fid; }
    std::uint8_t descriptor() const { return m_descriptor; }  // tag 82, first byte
    void setDescriptor(std::uint8_t fdb) { m_descriptor = fdb; }
    std::uint8_t dataCoding = 0x21;        // tag 82, second byte (ISO 7816-4 §7.4.5 Table 14)
    std::optional<std::uint8_t> sfi;       // tag 88, 1-30; EFs only
    Bytes dfName;                          // tag 84; DFs only, 1-16 bytes or empty
    LifeCycle lifeCycle = LifeCycle::Activated;  // tag 8A
    Bytes compactSecurity;                 // tag 8C: AM byte then SC bytes (ISO 7816-4 §9.3.2)
    Bytes extraFcp;                        // other FCP objects (85, A5, AB, C6 ...), kept verbatim
    Bytes fmd;                             // FMD content (ISO 7816-4 §7.4.1), DFs

    // ---- content ----
    Bytes data;                            // transparent EF (its size is data.size())
    std::vector<Bytes> records;            // record EF: records[0] is record number 1
    std::size_t recordSize = 0;            // linear fixed / cyclic: exact; linear variable: maximum
    std::size_t maxRecords = kMaxRecords;  // capacity
    std::vector<DataObject> dataObjects;   // DF or BER-TLV EF

    // ---- tree ----
    File* parent() const { return m_parent; }
    const std::vector<std::unique_ptr<File>>& children() const { return m_children; }
    File& addChild(std::unique_ptr<File> child);
    std::unique_ptr<File> removeChild(const File& child);
    File* child(std::uint16_t fid) const;
    File* childBySfi(std::uint8_t sfi) const;  // EFs only
    // Whether this file is `ancestor` or lies below it.
    bool isWithin(const File& ancestor) const;

    DataObject* findDataObject(tlv::Tag tag);
    const DataObject* findDataObject(tlv::Tag tag) const;

    // Bytes this file and its subtree take towards the card's capacity (content plus a fixed
    // overhead per file), for the 6A84 limit of FileSystem.
    std::size_t footprint() const;
    // Number of data bytes (tag 80, ISO 7816-4 §7.4.3): content size excluding structure.
    std::size_t dataSize() const;

private:
    FileStructure m_structure;
    std::uint16_t m_fid;
    std::uint8_t m_descriptor;
    File* m_parent = nullptr;
    std::vector<std::unique_ptr<File>> m_children;
};

std::size_t dataObjectsSize(const std::vector<DataObject>& objects);  // encoded size
Bytes encodeDataObjects(const std::vector<DataObject>& objects);
// Parses concatenated BER-TLV objects (throws tlv::TlvError).
std::vector<DataObject> parseDataObjects(ByteView encoded);
// Replaces the object with the same tag or appends it; empty value removes it.
void storeDataObject(std::vector<DataObject>& objects, DataObject object);

}  // namespace vpcsc::vicc::fs
