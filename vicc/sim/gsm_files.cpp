// TS 51.011 §9.2 file commands under CLA A0: SELECT (§8.1, selection rules §6.5), STATUS, GET
// RESPONSE, READ/UPDATE BINARY, INVALIDATE, REHABILITATE; and the access check (§11.3).
#include <algorithm>

#include "vicc/sim/gsm_sw.hpp"
#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

using fs::File;

void SimCard::gsmCheck(const File& f, fs::AccessMode mode, LogicalChannel& ch, bool allowInvalidated) {
    if (f.lifeCycle == fs::LifeCycle::Deactivated && !allowInvalidated) throw SwError(gsm_sw::kInvalidationContradiction);
    const std::uint8_t level = gsmLevel(f, mode);
    if (level == kAlw) return;
    if (level == kNev || !security(ch).satisfied(SecurityCondition{static_cast<std::uint8_t>(0x10 | level)}))
        throw SwError(gsm_sw::kAccessNotFulfilled);
}

File& SimCard::gsmCurrentEf(LogicalChannel& ch) {
    if (!ch.currentEf) throw SwError(gsm_sw::kNoEfSelected);
    return *ch.currentEf;
}

// §6.5: the MF, the current DF, its parent, any child of the current DF, any DF child of the parent.
Response SimCard::gsmSelect(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.size() != 2) throw SwError(gsm_sw::kWrongP3);
    const std::uint16_t fid = readBe16(c.data, 0);
    File& mf = fileSystem().mf();
    File& df = currentDf(ch);
    File* found = nullptr;
    if (fid == mf.fid()) found = &mf;
    else if (fid == df.fid()) found = &df;
    else if (File* child = df.child(fid)) found = child;
    else if (File* parent = df.parent()) {
        if (fid == parent->fid()) found = parent;
        else if (File* sibling = parent->child(fid); sibling && sibling->isDf()) found = sibling;
    }
    if (!found) throw SwError(gsm_sw::kNotFound);
    if (found->isDf()) ch.selectDf(*found);
    else ch.selectEf(*found);
    const std::size_t used = fileSystem().used(), cap = fileSystem().capacity();
    return Response(gsmSelectResponse(*found, pinView(), cap > used ? cap - used : 0));
}

// §9.2.2: the current directory's SELECT response, as many bytes as P3 asks.
Response SimCard::gsmStatus(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    if (!c.data.empty()) throw SwError(gsm_sw::kWrongP3);
    const std::size_t used = fileSystem().used(), cap = fileSystem().capacity();
    Bytes r = gsmSelectResponse(currentDf(ch), pinView(), cap > used ? cap - used : 0);
    r.resize(std::min<std::size_t>(r.size(), c.ne.value_or(256)));
    return Response(std::move(r));
}

// §9.2.18: P3 at most the length announced by 9Fxx; the rest of the response is discarded.
Response SimCard::gsmGetResponse(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    if (!c.data.empty()) throw SwError(gsm_sw::kWrongP3);
    if (ch.pendingResponse.empty()) throw SwError(gsm_sw::kTechnicalProblem);
    const std::size_t want = c.ne.value_or(256), have = ch.pendingResponse.size();
    if (want > have) {
        ch.pendingResponse.clear();
        throw SwError(static_cast<std::uint16_t>(0x6700 | (have & 0xFF)));
    }
    Bytes out(ch.pendingResponse.begin(), ch.pendingResponse.begin() + static_cast<std::ptrdiff_t>(want));
    ch.pendingResponse.clear();
    return Response(std::move(out));
}

Response SimCard::gsmReadBinary(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmCurrentEf(ch);
    if (ef.structure() != fs::FileStructure::Transparent) throw SwError(gsm_sw::kFileInconsistent);
    gsmCheck(ef, fs::AccessMode::Read, ch);
    if (c.p1 & 0x80) throw SwError(gsm_sw::kWrongP1P2);
    const std::size_t offset = static_cast<std::size_t>(c.p1) << 8 | c.p2;
    const std::size_t n = c.ne.value_or(256);
    if (!c.data.empty()) throw SwError(gsm_sw::kWrongP3);
    if (offset > ef.data.size() || n > ef.data.size() - offset) throw SwError(gsm_sw::kOutOfRange);
    return Response(Bytes(ef.data.begin() + static_cast<std::ptrdiff_t>(offset),
                          ef.data.begin() + static_cast<std::ptrdiff_t>(offset + n)));
}

Response SimCard::gsmUpdateBinary(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmCurrentEf(ch);
    if (ef.structure() != fs::FileStructure::Transparent) throw SwError(gsm_sw::kFileInconsistent);
    gsmCheck(ef, fs::AccessMode::Update, ch);
    if (c.p1 & 0x80) throw SwError(gsm_sw::kWrongP1P2);
    const std::size_t offset = static_cast<std::size_t>(c.p1) << 8 | c.p2;
    if (c.data.empty() || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (offset > ef.data.size() || c.data.size() > ef.data.size() - offset) throw SwError(gsm_sw::kOutOfRange);
    std::copy(c.data.begin(), c.data.end(), ef.data.begin() + static_cast<std::ptrdiff_t>(offset));
    changed();
    return {};
}

// §9.2.9 / §9.2.15: the current EF's file status, b1 of byte 12 of its response.
Response SimCard::gsmInvalidate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    File& ef = gsmCurrentEf(ch);
    gsmCheck(ef, fs::AccessMode::Deactivate, ch, true);
    if (ef.lifeCycle != fs::LifeCycle::Deactivated) {
        ef.lifeCycle = fs::LifeCycle::Deactivated;
        changed();
    }
    return {};
}

Response SimCard::gsmRehabilitate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    File& ef = gsmCurrentEf(ch);
    gsmCheck(ef, fs::AccessMode::Activate, ch, true);
    if (ef.lifeCycle != fs::LifeCycle::Activated) {
        ef.lifeCycle = fs::LifeCycle::Activated;
        changed();
    }
    return {};
}

}  // namespace vpcsc::vicc::sim
