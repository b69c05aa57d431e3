// TS 51.011 record commands under CLA A0: READ RECORD (§8.5), UPDATE RECORD (§8.6), SEEK (§8.7),
// INCREASE (§8.8). Record numbers and the record pointer follow §6.4: after SELECT the pointer
// is undefined, NEXT then gives record 1 and PREVIOUS the last record; record 1 of a cyclic EF
// is the most recently written one.
#include <algorithm>

#include "vicc/sim/gsm_sw.hpp"
#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

using fs::File;
using fs::FileStructure;

namespace {
constexpr std::uint8_t kNext = 0x02, kPrevious = 0x03, kAbsoluteOrCurrent = 0x04;

// The record a READ/UPDATE RECORD mode addresses; moves the pointer for NEXT and PREVIOUS.
std::size_t addressRecord(const File& ef, LogicalChannel& ch, std::uint8_t number, std::uint8_t mode) {
    const std::size_t n = ef.records.size();
    const bool cyclic = ef.structure() == FileStructure::Cyclic;
    if (n == 0) throw SwError(gsm_sw::kOutOfRange);
    switch (mode) {
    case kNext: {
        std::size_t i = ch.currentRecord ? *ch.currentRecord + 1 : 0;
        if (i >= n) {
            if (!cyclic) throw SwError(gsm_sw::kOutOfRange);
            i = 0;
        }
        ch.currentRecord = i;
        return i;
    }
    case kPrevious: {
        std::size_t i;
        if (!ch.currentRecord) i = n - 1;
        else if (*ch.currentRecord > 0) i = *ch.currentRecord - 1;
        else if (cyclic) i = n - 1;
        else throw SwError(gsm_sw::kOutOfRange);
        ch.currentRecord = i;
        return i;
    }
    case kAbsoluteOrCurrent:
        if (number == 0) {  // current record; the pointer is unchanged
            if (!ch.currentRecord || *ch.currentRecord >= n) throw SwError(gsm_sw::kOutOfRange);
            return *ch.currentRecord;
        }
        if (number > n) throw SwError(gsm_sw::kOutOfRange);
        return number - 1u;  // absolute: the pointer is unchanged
    default:
        throw SwError(gsm_sw::kWrongP1P2);
    }
}
}  // namespace

File& SimCard::gsmRecordEf(LogicalChannel& ch) {
    File& ef = gsmCurrentEf(ch);
    if (ef.structure() != FileStructure::LinearFixed && ef.structure() != FileStructure::Cyclic)
        throw SwError(gsm_sw::kFileInconsistent);
    return ef;
}

Response SimCard::gsmReadRecord(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmRecordEf(ch);
    gsmCheck(ef, fs::AccessMode::Read, ch);
    if (!c.data.empty() || c.ne.value_or(256) != ef.recordSize)
        throw SwError(static_cast<std::uint16_t>(0x6700 | (ef.recordSize & 0xFF)));
    const std::size_t i = addressRecord(ef, ch, c.p1, c.p2);
    return Response(ef.records[i]);
}

Response SimCard::gsmUpdateRecord(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmRecordEf(ch);
    gsmCheck(ef, fs::AccessMode::Update, ch);
    if (c.data.size() != ef.recordSize || c.ne) throw SwError(static_cast<std::uint16_t>(0x6700 | (ef.recordSize & 0xFF)));
    if (ef.structure() == FileStructure::Cyclic) {
        // §8.6: cyclic EFs only in PREVIOUS mode: the oldest record is overwritten and becomes record 1.
        if (c.p2 != kPrevious) throw SwError(gsm_sw::kWrongP1P2);
        if (ef.records.empty()) throw SwError(gsm_sw::kOutOfRange);
        ef.records.pop_back();
        ef.records.insert(ef.records.begin(), c.data);
        ch.currentRecord = 0;
    } else {
        const std::size_t i = addressRecord(ef, ch, c.p1, c.p2);
        ef.records[i] = c.data;
    }
    changed();
    return {};
}

// §8.7 / §9.2.7: P2 = type (high nibble: 0 type 1, 1 type 2) | mode (0 from the beginning
// forward, 1 from the end backward, 2 from the next record forward, 3 from the previous record
// backward). The pattern matches the start of a record; type 2 answers the record number.
Response SimCard::gsmSeek(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmCurrentEf(ch);
    if (ef.structure() != FileStructure::LinearFixed) throw SwError(gsm_sw::kFileInconsistent);
    gsmCheck(ef, fs::AccessMode::Read, ch);
    const std::uint8_t type = c.p2 >> 4, mode = c.p2 & 0x0F;
    if (c.p1 != 0x00 || type > 1 || mode > 3) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.empty() || c.data.size() > 16 || c.data.size() > ef.recordSize || c.ne) throw SwError(gsm_sw::kWrongP3);
    const auto n = static_cast<std::ptrdiff_t>(ef.records.size());
    const bool forward = mode == 0 || mode == 2;
    std::ptrdiff_t start = mode == 0 ? 0 : mode == 1 ? n - 1 : -1;
    if (mode == 2) start = ch.currentRecord ? static_cast<std::ptrdiff_t>(*ch.currentRecord) + 1 : 0;
    if (mode == 3) start = ch.currentRecord ? static_cast<std::ptrdiff_t>(*ch.currentRecord) - 1 : n - 1;
    for (std::ptrdiff_t i = start; i >= 0 && i < n; i += forward ? 1 : -1) {
        const Bytes& r = ef.records[static_cast<std::size_t>(i)];
        if (std::equal(c.data.begin(), c.data.end(), r.begin())) {
            ch.currentRecord = static_cast<std::size_t>(i);
            if (type == 0) return {};
            return Response(Bytes{static_cast<std::uint8_t>(i + 1)});
        }
    }
    throw SwError(gsm_sw::kNotFound);
}

// §8.8: record 1 plus the 3-byte value goes into the oldest record, which becomes record 1; the
// answer is the new record value followed by the value added.
Response SimCard::gsmIncrease(const CommandApdu& c, LogicalChannel& ch) {
    File& ef = gsmCurrentEf(ch);
    if (ef.structure() != FileStructure::Cyclic) throw SwError(gsm_sw::kFileInconsistent);
    gsmCheck(ef, fs::AccessMode::Write, ch);
    if (c.p1 != 0x00 || c.p2 != 0x00) throw SwError(gsm_sw::kWrongP1P2);
    if (c.data.size() != 3 || c.ne) throw SwError(gsm_sw::kWrongP3);
    if (ef.records.empty() || ef.recordSize < 3) throw SwError(gsm_sw::kIncreaseFailed);
    Bytes sum = ef.records.front();
    unsigned carry = 0;
    for (std::size_t k = 0; k < sum.size(); ++k) {
        const std::size_t i = sum.size() - 1 - k;
        const unsigned add = k < 3 ? c.data[2 - k] : 0;
        const unsigned v = sum[i] + add + carry;
        sum[i] = static_cast<std::uint8_t>(v);
        carry = v >> 8;
    }
    if (carry) throw SwError(gsm_sw::kIncreaseFailed);
    ef.records.pop_back();
    ef.records.insert(ef.records.begin(), sum);
    ch.currentRecord = 0;
    changed();
    Bytes out = sum;
    append(out, c.data);
    return Response(std::move(out));
}

}  // namespace vpcsc::vicc::sim
