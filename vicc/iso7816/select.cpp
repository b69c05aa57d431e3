// SELECT, ISO 7816-4 §11.2.2 (P1 selection by FID, child DF, EF, parent, DF name, path; P2 file
// occurrence and response data).
#include <algorithm>

#include "common/sw.hpp"
#include "vicc/fs/fcp.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

using fs::File;

std::uint16_t fidOf(const CommandApdu& c) {
    if (c.data.size() != 2) throw SwError(sw::kNcInconsistentWithP1P2);
    return readBe16(c.data, 0);
}

// ISO 7816-4 §11.2.2 (and ETSI TS 102 221 §8.4.1 for the search order): P1 = 00 finds the MF,
// the current DF, a child of the current DF, its parent, or a child of its parent.
File* findByFid(File& mf, File& df, std::uint16_t fid) {
    if (fid == fs::kMfFid) return &mf;
    if (fid == df.fid() || fid == fs::kCurrentDfFid) return &df;
    if (File* f = df.child(fid)) return f;
    if (File* parent = df.parent()) {
        if (fid == parent->fid()) return parent;
        if (File* f = parent->child(fid)) return f;
    }
    return nullptr;
}

// P1 = 08 / 09: a path of FIDs, each but the last a DF. A leading 3F00 (from MF) or 3FFF
// (current DF) is accepted and skipped.
File* followPath(File& start, ByteView path, bool fromMf) {
    if (path.empty() || path.size() % 2 != 0) throw SwError(sw::kNcInconsistentWithP1P2);
    File* f = &start;
    for (std::size_t off = 0; off < path.size(); off += 2) {
        const std::uint16_t fid = readBe16(path, off);
        if (off == 0 && ((fromMf && fid == fs::kMfFid) || (!fromMf && fid == fs::kCurrentDfFid))) continue;
        if (!f->isDf()) return nullptr;
        f = f->child(fid);
        if (!f) return nullptr;
    }
    return f;
}

bool startsWith(const Bytes& name, ByteView prefix) {
    return name.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), name.begin());
}

}  // namespace

Response Iso7816Card::select(const CommandApdu& c, LogicalChannel& ch) {
    // P2: b8-b5 0000, b4-b3 response data, b2-b1 file occurrence.
    if (c.p2 & 0xF0) throw SwError(sw::kIncorrectP1P2);
    const auto info = static_cast<fs::FileInfo>((c.p2 >> 2) & 0x03);
    const std::uint8_t occurrence = c.p2 & 0x03;
    if (occurrence != 0 && c.p1 != 0x04) throw SwError(sw::kIncorrectP1P2);

    File& mf = fileSystem().mf();
    File& df = currentDf(ch);
    File* found = nullptr;
    switch (c.p1) {
    case 0x00:  // MF, DF or EF by FID; empty data: the MF
        found = c.data.empty() ? &mf : findByFid(mf, df, fidOf(c));
        break;
    case 0x01: {  // child DF
        File* f = df.child(fidOf(c));
        found = f && f->isDf() ? f : nullptr;
        break;
    }
    case 0x02: {  // EF under the current DF
        File* f = df.child(fidOf(c));
        found = f && !f->isDf() ? f : nullptr;
        break;
    }
    case 0x03:  // parent DF of the current DF
        if (!c.data.empty()) throw SwError(sw::kNcInconsistentWithP1P2);
        found = df.parent();
        break;
    case 0x04: {  // DF name, right-truncated; first / last / next / previous occurrence
        if (c.data.empty() || c.data.size() > fs::kMaxDfNameLength) throw SwError(sw::kNcInconsistentWithP1P2);
        std::vector<File*> matches;
        for (File* f : fileSystem().namedDfs())
            if (startsWith(f->dfName, c.data)) matches.push_back(f);
        if (matches.empty()) break;
        const auto current = std::find(matches.begin(), matches.end(), &df);
        switch (occurrence) {
        case 0: found = matches.front(); break;
        case 1: found = matches.back(); break;
        case 2:
            if (current == matches.end()) found = matches.front();
            else if (current + 1 != matches.end()) found = *(current + 1);
            break;
        case 3:
            if (current == matches.end()) found = matches.back();
            else if (current != matches.begin()) found = *(current - 1);
            break;
        }
        break;
    }
    case 0x08:  // path from the MF
        found = followPath(mf, c.data, true);
        break;
    case 0x09:  // path from the current DF
        found = followPath(df, c.data, false);
        break;
    default:
        throw SwError(sw::kIncorrectP1P2);
    }
    if (!found) throw SwError(sw::kFileNotFound);

    if (found->isDf())
        ch.selectDf(*found);
    else
        ch.selectEf(*found);

    // ISO 7816-4 §5.6: warnings for a selected file that is not operational and activated,
    // by its own life cycle or that of a DF above it (ISO 7816-9 §6.5).
    std::uint16_t status = sw::kNoError;
    const fs::LifeCycle lcs = fs::effectiveLifeCycle(*found);
    if (lcs == fs::LifeCycle::Deactivated) status = sw::kSelectedFileDeactivated;
    if (lcs == fs::LifeCycle::Terminated) status = 0x6285;
    return Response(fs::fileInformation(*found, info), status);
}

}  // namespace vpcsc::vicc
