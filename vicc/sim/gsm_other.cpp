// RUN GSM ALGORITHM (TS 51.011 §8.16), SLEEP, and the SIM toolkit basics a handset sends
// (TS 51.014 §6 / TS 102 223): TERMINAL PROFILE is stored, ENVELOPE with a well-formed BER-TLV
// is accepted without response data. The card never has a proactive command pending (it never
// answers 91xx), so FETCH and TERMINAL RESPONSE are answered 6F00 consistently.
#include "vicc/sim/default_fs.hpp"
#include "vicc/sim/gsm_sw.hpp"
#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

// §8.16: only with DF.GSM (or a DF below it) as current directory and CHV1 satisfied; the answer
// SRES (4) || Kc (8) waits behind 9F0C.
Response SimCard::gsmRunGsmAlgorithm(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.size() != 16) throw SwError(gsm_sw::kWrongP3);
    bool inGsm = false;
    for (const fs::File* f = &currentDf(ch); f; f = f->parent())
        if (f->fid() == kDfGsm && f->parent() == &fileSystem().mf()) inGsm = true;
    if (!inGsm) throw SwError(gsm_sw::kFileInconsistent);
    if (!security(ch).satisfied(SecurityCondition{static_cast<std::uint8_t>(0x10 | kChv1)})) throw SwError(gsm_sw::kAccessNotFulfilled);
    const Authentication::Gsm r = authentication().runGsm(c.data);
    Bytes out = r.sres;
    append(out, r.kc);
    return Response(std::move(out));
}

Response SimCard::gsmSleep(const CommandApdu&, LogicalChannel&) { return {}; }

Response SimCard::terminalProfile(const CommandApdu& c, LogicalChannel&) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(m_gsm ? gsm_sw::kWrongP1P2 : sw::kIncorrectP1P2);
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    m_terminalProfile = c.data;
    return {};
}

Response SimCard::fetch(const CommandApdu&, LogicalChannel&) { throw SwError(gsm_sw::kTechnicalProblem); }

Response SimCard::terminalResponse(const CommandApdu&, LogicalChannel&) { throw SwError(gsm_sw::kTechnicalProblem); }

// TS 102 223 §7 / TS 51.014 §7: one BER-TLV data object with a tag of the card application
// toolkit range (D1 SMS-PP download, D3 menu selection, D4 call control, D6 event download, ...).
Response SimCard::envelope(const CommandApdu& c, LogicalChannel&) {
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(m_gsm ? gsm_sw::kWrongP1P2 : sw::kIncorrectP1P2);
    const std::uint16_t malformed = m_gsm ? gsm_sw::kTechnicalProblem : sw::kIncorrectDataField;
    if (c.data.size() < 2 || c.data[0] < 0xD0 || c.data[0] > 0xDF) throw SwError(malformed);
    std::size_t len = c.data[1], header = 2;
    if (len == 0x81) {
        if (c.data.size() < 3) throw SwError(malformed);
        len = c.data[2];
        header = 3;
    } else if (len > 0x7F) {
        throw SwError(malformed);
    }
    if (c.data.size() != header + len) throw SwError(malformed);
    return {};
}

}  // namespace vpcsc::vicc::sim
