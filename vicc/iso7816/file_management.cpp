// CREATE FILE and DELETE FILE, ISO 7816-9 §6.1 / §6.2 (P1-P2 = 0000).
#include "common/sw.hpp"
#include "vicc/fs/fcp.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

using fs::File;

// The data field is an FCP template; the new file is created in the current DF and becomes
// the current file (ISO 7816-9 §6.1).
Response Iso7816Card::createFile(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    File& parent = currentDf(ch);
    auto file = fs::parseFcpForCreation(c.data, fileSystem().capacity());
    checkAccess(parent, file->isDf() ? fs::AccessMode::CreateDf : fs::AccessMode::CreateEf, ch);

    if (file->fid() == parent.fid() || parent.child(file->fid())) throw SwError(sw::kFileAlreadyExists);
    if (file->isDf() && fs::FileSystem::depth(parent) + 1 > fs::FileSystem::kMaxDepth)
        throw SwError(sw::kNotEnoughMemory);
    if (!file->dfName.empty())
        for (const File* named : fileSystem().namedDfs())
            if (named->dfName == file->dfName) throw SwError(sw::kDfNameAlreadyExists);
    // An SFI already used in this DF (often the default taken from the FID) is dropped; the
    // FCP then shows 88 00.
    if (file->sfi && parent.childBySfi(*file->sfi)) file->sfi.reset();
    fileSystem().reserve(file->footprint());

    File& created = parent.addChild(std::move(file));
    if (created.isDf())
        ch.selectDf(created);
    else
        ch.selectEf(created);
    changed();
    return {};
}

// Data field empty: the current EF, or else the current DF; two bytes: a file of the current
// DF by FID. Governed by the file's own DELETE FILE (self) condition and its parent's DELETE
// FILE (child) condition. The MF cannot be deleted (6985).
Response Iso7816Card::deleteFile(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    File* target = nullptr;
    if (c.data.empty()) {
        target = ch.currentEf ? ch.currentEf : &currentDf(ch);
    } else if (c.data.size() == 2) {
        target = currentDf(ch).child(readBe16(c.data, 0));
        if (!target) throw SwError(sw::kFileNotFound);
    } else {
        throw SwError(sw::kNcInconsistentWithP1P2);
    }
    File* parent = target->parent();
    if (!parent) throw SwError(sw::kConditionsOfUseNotSatisfied);
    checkAccess(*target, fs::AccessMode::DeleteSelf, ch);
    checkAccess(*parent, fs::AccessMode::DeleteChild, ch);

    std::unique_ptr<File> removed = parent->removeChild(*target);
    forgetFile(*removed, *parent);
    changed();
    return {};
}

}  // namespace vpcsc::vicc
