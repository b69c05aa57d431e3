// Cryptoflex file commands (reference notes §1.3-§1.5): SELECT with the Cryptoflex header,
// DIRECTORY, CREATE FILE, DELETE FILE, READ/UPDATE BINARY and RECORD, INVALIDATE, REHABILITATE.
// Reads and writes check the header's access conditions and the file status here, then use the
// ISO engine's handlers for the data itself.
#include "common/sw.hpp"
#include "vicc/cryptoflex/classes.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"
#include "vicc/cryptoflex/file_header.hpp"

namespace vpcsc::vicc {

using namespace cryptoflex;
using fs::File;

namespace {
constexpr std::size_t kDirectoryEntryLength = 4;  // size(2) FID(2); OpenSC reads the FID at 2-3
constexpr std::uint8_t kRecordAbsolute = 0x04;    // READ/UPDATE RECORD P2: record number in P1
}  // namespace

// SELECT by FID only (P1-P2 = 0000), GSM 11.11 §8.1 selection rules: the MF, a child of the
// current DF, the current DF itself, its parent, or a DF beside it. The answer is the file
// header (§1.4); a T=0 host gets 61xx and fetches it with GET RESPONSE.
Response CryptoflexCard::select(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    if (c.p1 == 0x04) throw SwError(sw::kFileNotFound);  // select by DF name: no named DFs
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() != 2) throw SwError(sw::kWrongLength);
    const std::uint16_t fid = readBe16(c.data, 0);
    File& df = currentDf(ch);
    File* target = nullptr;
    if (fid == fs::kMfFid)
        target = &fileSystem().mf();
    else if (File* child = df.child(fid))
        target = child;
    else if (fid == df.fid())
        target = &df;
    else if (File* parent = df.parent()) {
        if (parent->fid() == fid)
            target = parent;
        else if (File* sibling = parent->child(fid); sibling && sibling->isDf())
            target = sibling;
    }
    if (!target) throw SwError(sw::kFileNotFound);
    if (target->isDf())
        ch.selectDf(*target);
    else
        ch.selectEf(*target);
    m_directoryIndex = 0;
    return Response(fileHeader(*target));
}

// F0 A8 00 00 04: the next child of the current DF, 6A82 after the last one (the next call
// starts again from the first).
Response CryptoflexCard::directory(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    if (c.ne && *c.ne < kDirectoryEntryLength) throw SwError(sw::wrongLe(kDirectoryEntryLength));
    File& df = currentDf(ch);
    cryptoflex::checkAccess(df, Operation::ListFiles, m_status);
    if (m_directoryIndex >= df.children().size()) {
        m_directoryIndex = 0;
        throw SwError(sw::kFileNotFound);
    }
    const File& child = *df.children()[m_directoryIndex++];
    Bytes entry;
    const std::size_t size = child.isDf() ? freeMemory(child) : efSize(child);
    appendBe16(entry, static_cast<std::uint16_t>(std::min<std::size_t>(size, 0xFFFF)));
    appendBe16(entry, child.fid());
    return Response(std::move(entry));
}

// F0 E0 00 <records> <16/17 bytes>: the new file is created in the current DF and becomes the
// current file (§1.5: OpenSC writes to it without selecting it).
Response CryptoflexCard::createFile(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    if (c.p1 != 0) throw SwError(sw::kIncorrectP1P2);
    auto file = parseCreateFile(c.data, c.p2);
    File& parent = currentDf(ch);
    cryptoflex::checkAccess(parent, Operation::Create, m_status);
    if (file->fid() == parent.fid() || parent.child(file->fid())) throw SwError(sw::kFileAlreadyExists);
    if (file->isDf() && fs::FileSystem::depth(parent) + 1 > fs::FileSystem::kMaxDepth) throw SwError(sw::kNotEnoughMemory);
    fileSystem().reserve(file->footprint());
    File& created = parent.addChild(std::move(file));
    if (created.isDf())
        ch.selectDf(created);
    else
        ch.selectEf(created);
    m_directoryIndex = 0;
    changed();
    return {};
}

// F0 E4 00 00 02 FID: a child of the current DF, under the DF's DELETE condition; a DF goes with
// its whole subtree (§1.3: pkcs15-init -E deletes 5015 in one command).
Response CryptoflexCard::deleteFile(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() != 2) throw SwError(sw::kWrongLength);
    File& parent = currentDf(ch);
    File* target = parent.child(readBe16(c.data, 0));
    if (!target) throw SwError(sw::kFileNotFound);
    cryptoflex::checkAccess(parent, Operation::Delete, m_status);
    std::unique_ptr<File> removed = parent.removeChild(*target);
    forgetFile(*removed, parent);
    m_directoryIndex = 0;
    changed();
    return {};
}

// C0 B0 offHi offLo Le (P3 = 00: 256 bytes), the current EF.
Response CryptoflexCard::readBinary(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    if (c.p1 & 0x80) throw SwError(sw::kWrongP1P2);  // 15-bit offsets only, no SFI
    File& ef = currentEfChecked(ch);
    if (ef.structure() != fs::FileStructure::Transparent) throw SwError(sw::kIncompatibleFileStructure);
    requireActive(ef);
    cryptoflex::checkAccess(ef, Operation::Read, m_status);
    return Iso7816Card::readBinary(c, ch);
}

Response CryptoflexCard::updateBinary(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    if (c.p1 & 0x80) throw SwError(sw::kWrongP1P2);
    File& ef = currentEfChecked(ch);
    if (ef.structure() != fs::FileStructure::Transparent) throw SwError(sw::kIncompatibleFileStructure);
    requireActive(ef);
    cryptoflex::checkAccess(ef, Operation::Update, m_status);
    return Iso7816Card::updateBinary(c, ch);
}

// C0 B2 rec 04 Le / C0 DC rec 04 Lc data: absolute record numbers in the current EF.
Response CryptoflexCard::readRecord(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    if (c.p2 != kRecordAbsolute) throw SwError(sw::kIncorrectP1P2);
    File& ef = currentEfChecked(ch);
    if (!ef.isRecordEf()) throw SwError(sw::kIncompatibleFileStructure);
    requireActive(ef);
    cryptoflex::checkAccess(ef, Operation::Read, m_status);
    return Iso7816Card::readRecord(c, ch);
}

Response CryptoflexCard::updateRecord(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    if (c.p2 != kRecordAbsolute) throw SwError(sw::kIncorrectP1P2);
    File& ef = currentEfChecked(ch);
    if (!ef.isRecordEf()) throw SwError(sw::kIncompatibleFileStructure);
    requireActive(ef);
    cryptoflex::checkAccess(ef, Operation::Update, m_status);
    return Iso7816Card::updateRecord(c, ch);
}

namespace {
void requireLifeCycleCommand(const CommandApdu& c) {
    // GSM 11.11 §9.2.6/§9.2.7 style, CLA C0 (F0 accepted too): P1-P2 = 0000, no data.
    if (c.cla != kClaEveryday && c.cla != kClaAdministrative) throw SwError(sw::kClaNotSupported);
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
}
}  // namespace

// INVALIDATE / REHABILITATE the current EF under its REHABILITATE|INVALIDATE nibbles. An
// invalidated EF can still be selected (status byte 00) but not read, written or used (6984).
Response CryptoflexCard::invalidate(const CommandApdu& c, LogicalChannel& ch) {
    requireLifeCycleCommand(c);
    File& ef = currentEfChecked(ch);
    cryptoflex::checkAccess(ef, Operation::Invalidate, m_status);
    ef.lifeCycle = fs::LifeCycle::Deactivated;
    changed();
    return {};
}

Response CryptoflexCard::rehabilitate(const CommandApdu& c, LogicalChannel& ch) {
    requireLifeCycleCommand(c);
    File& ef = currentEfChecked(ch);
    cryptoflex::checkAccess(ef, Operation::Rehabilitate, m_status);
    ef.lifeCycle = fs::LifeCycle::Activated;
    changed();
    return {};
}

}  // namespace vpcsc::vicc
