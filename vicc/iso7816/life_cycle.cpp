// ACTIVATE FILE, DEACTIVATE FILE, TERMINATE DF, TERMINATE EF: ISO 7816-9 §6.3-§6.6, the life
// cycle transitions of ISO 7816-4 §7.4.10 (P1-P2 = 0000; data field empty for the current
// file, or the FID of a file in the current DF).
#include "common/sw.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

using fs::File;
using fs::LifeCycle;

namespace {

enum class Target { CurrentFile, CurrentDf, CurrentEf };

File& lifeCycleTarget(const CommandApdu& c, LogicalChannel& ch, File& df, Target which) {
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() == 2) {
        File* f = df.child(readBe16(c.data, 0));
        if (!f) throw SwError(sw::kFileNotFound);
        return *f;
    }
    if (!c.data.empty()) throw SwError(sw::kNcInconsistentWithP1P2);
    switch (which) {
    case Target::CurrentDf: return df;
    case Target::CurrentEf:
        if (!ch.currentEf) throw SwError(sw::kNoCurrentEf);
        return *ch.currentEf;
    case Target::CurrentFile: break;
    }
    return ch.currentEf ? *ch.currentEf : df;
}

}  // namespace

Response Iso7816Card::activateFile(const CommandApdu& c, LogicalChannel& ch) {
    File& f = lifeCycleTarget(c, ch, currentDf(ch), Target::CurrentFile);
    checkAccess(f, fs::AccessMode::Activate, ch);
    if (f.lifeCycle == LifeCycle::Terminated) throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (f.lifeCycle != LifeCycle::Activated) {
        f.lifeCycle = LifeCycle::Activated;
        changed();
    }
    return {};
}

Response Iso7816Card::deactivateFile(const CommandApdu& c, LogicalChannel& ch) {
    File& f = lifeCycleTarget(c, ch, currentDf(ch), Target::CurrentFile);
    checkAccess(f, fs::AccessMode::Deactivate, ch);
    // Only an operational file can be deactivated (§7.4.10).
    if (f.lifeCycle != LifeCycle::Activated && f.lifeCycle != LifeCycle::Deactivated)
        throw SwError(sw::kConditionsOfUseNotSatisfied);
    if (f.lifeCycle != LifeCycle::Deactivated) {
        f.lifeCycle = LifeCycle::Deactivated;
        changed();
    }
    return {};
}

namespace {
void terminate(File& f) {
    if (f.lifeCycle == LifeCycle::Terminated) throw SwError(sw::kConditionsOfUseNotSatisfied);
    f.lifeCycle = LifeCycle::Terminated;
}
}  // namespace

Response Iso7816Card::terminateDf(const CommandApdu& c, LogicalChannel& ch) {
    File& f = lifeCycleTarget(c, ch, currentDf(ch), Target::CurrentDf);
    if (!f.isDf()) throw SwError(sw::kIncompatibleFileStructure);
    checkAccess(f, fs::AccessMode::Terminate, ch);
    terminate(f);
    changed();
    return {};
}

Response Iso7816Card::terminateEf(const CommandApdu& c, LogicalChannel& ch) {
    File& f = lifeCycleTarget(c, ch, currentDf(ch), Target::CurrentEf);
    if (f.isDf()) throw SwError(sw::kIncompatibleFileStructure);
    checkAccess(f, fs::AccessMode::Terminate, ch);
    terminate(f);
    changed();
    return {};
}

}  // namespace vpcsc::vicc
