// READ / UPDATE / WRITE / APPEND / ERASE / SEARCH RECORD, ISO 7816-4 §11.4. Record numbers are
// 1-254 (P1 = 00: the current record); a record's identifier is its first byte (the tag of a
// SIMPLE-TLV record). In a cyclic EF record 1 is the most recently written one.
#include <algorithm>

#include "common/sw.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

using fs::File;

struct RecordReference {
    std::optional<std::uint8_t> sfi;
    std::uint8_t mode;  // P2 b3-b1
};

// ISO 7816-4 §11.4.2: P2 b8-b4 = 00000 current EF, 11111 RFU, else SFI; b3-b1 the mode.
RecordReference recordReference(std::uint8_t p2) {
    const std::uint8_t sfi = p2 >> 3;
    if (sfi == 0x1F) throw SwError(sw::kIncorrectP1P2);
    return {sfi ? std::optional<std::uint8_t>(sfi) : std::nullopt, static_cast<std::uint8_t>(p2 & 0x07)};
}

void requireRecordEf(const File& ef) {
    if (!ef.isRecordEf()) throw SwError(sw::kIncompatibleFileStructure);
}

std::size_t recordIndex(const File& ef, const LogicalChannel& ch, std::uint8_t p1) {
    if (p1 == 0xFF) throw SwError(sw::kIncorrectP1P2);  // RFU
    if (p1 == 0x00) {
        if (!ch.currentRecord || *ch.currentRecord >= ef.records.size()) throw SwError(sw::kRecordNotFound);
        return *ch.currentRecord;
    }
    if (p1 > ef.records.size()) throw SwError(sw::kRecordNotFound);
    return p1 - 1u;
}

bool maximumNe(std::size_t ne) { return ne == kMaxShortNe || ne == kMaxExtendedNe; }

// Record identifier addressing (P2 b3-b1 = 000 first, 001 last, 010 next, 011 previous).
std::size_t findByIdentifier(const File& ef, const LogicalChannel& ch, std::uint8_t id, std::uint8_t mode) {
    const std::size_t n = ef.records.size();
    auto matches = [&](std::size_t i) { return !ef.records[i].empty() && ef.records[i][0] == id; };
    const bool hasCur = ch.currentRecord && *ch.currentRecord < n;
    const std::size_t cur = hasCur ? *ch.currentRecord : 0;
    if (mode == 0 || mode == 2) {
        for (std::size_t i = mode == 2 && hasCur ? cur + 1 : 0; i < n; ++i)
            if (matches(i)) return i;
    } else {
        std::size_t start = n;
        if (mode == 3 && hasCur) start = cur;
        for (std::size_t i = start; i-- > 0;)
            if (matches(i)) return i;
    }
    throw SwError(sw::kRecordNotFound);
}

// The length rules of ISO 7816-4 §7.3.1: fixed-size records exactly, variable ones up to the
// maximum record size.
void checkRecordLength(const File& ef, std::size_t size) {
    const bool fixed = ef.structure() != fs::FileStructure::LinearVariable;
    if (size == 0 || size > ef.recordSize || (fixed && size != ef.recordSize)) throw SwError(sw::kWrongLength);
}

}  // namespace

Response Iso7816Card::readRecord(const CommandApdu& c, LogicalChannel& ch) {
    const auto ref = recordReference(c.p2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    File& ef = targetEf(ch, ref.sfi);
    requireRecordEf(ef);
    checkAccess(ef, fs::AccessMode::Read, ch);

    Response r;
    switch (ref.mode) {
    case 0: case 1: case 2: case 3: {
        const std::size_t i = findByIdentifier(ef, ch, c.p1, ref.mode);
        ch.currentRecord = i;
        r.data = ef.records[i];
        r.exactLength = true;
        break;
    }
    case 4: {  // record P1
        const std::size_t i = recordIndex(ef, ch, c.p1);
        ch.currentRecord = i;
        r.data = ef.records[i];
        r.exactLength = true;
        break;
    }
    case 5: {  // records from P1 up to the last
        const std::size_t from = recordIndex(ef, ch, c.p1);
        for (std::size_t i = from; i < ef.records.size(); ++i) append(r.data, ef.records[i]);
        ch.currentRecord = ef.records.size() - 1;
        break;
    }
    case 6: {  // records from the last down to P1
        const std::size_t to = recordIndex(ef, ch, c.p1);
        for (std::size_t i = ef.records.size(); i-- > to;) append(r.data, ef.records[i]);
        ch.currentRecord = to;
        break;
    }
    default:
        throw SwError(sw::kIncorrectP1P2);
    }
    // ISO 7816-4 §5.6: 6282, end of record reached before reading Ne bytes.
    if (c.ne && r.data.size() < *c.ne && !maximumNe(*c.ne)) r.sw = sw::kEndOfFileBeforeNe;
    return r;
}

Response Iso7816Card::updateRecord(const CommandApdu& c, LogicalChannel& ch) {
    const auto ref = recordReference(c.p2);
    File& ef = targetEf(ch, ref.sfi);
    requireRecordEf(ef);
    const bool write = c.ins == 0xD2;
    checkAccess(ef, write ? fs::AccessMode::Write : fs::AccessMode::Update, ch);
    checkRecordLength(ef, c.data.size());

    const std::size_t n = ef.records.size();
    const bool hasCur = ch.currentRecord && *ch.currentRecord < n;
    const std::size_t cur = hasCur ? *ch.currentRecord : 0;
    std::size_t i = 0;
    if (ef.structure() == fs::FileStructure::Cyclic && ref.mode == 3) {
        // ETSI TS 102 221 §11.1.4 / ISO 7816-4 §7.3.1: PREVIOUS on a cyclic EF overwrites the
        // oldest record, which becomes record 1.
        if (n == 0) throw SwError(sw::kRecordNotFound);
        std::rotate(ef.records.rbegin(), ef.records.rbegin() + 1, ef.records.rend());
        ef.records[0] = c.data;
        ch.currentRecord = 0;
        changed();
        return {};
    }
    switch (ref.mode) {
    case 0: i = 0; break;                            // first
    case 1: i = n ? n - 1 : 0; break;                // last
    case 2: i = hasCur ? cur + 1 : 0; break;         // next
    case 3:                                          // previous
        if (hasCur && cur == 0) throw SwError(sw::kRecordNotFound);
        i = hasCur ? cur - 1 : (n ? n - 1 : 0);
        break;
    case 4: i = recordIndex(ef, ch, c.p1); break;    // record P1
    default: throw SwError(sw::kIncorrectP1P2);
    }
    if (i >= n) throw SwError(sw::kRecordNotFound);

    Bytes& record = ef.records[i];
    if (c.data.size() > record.size()) fileSystem().reserve(c.data.size() - record.size());
    // ISO 7816-4 §7.4.5 Table 14: WRITE RECORD follows the data coding byte (OR / AND).
    const std::uint8_t behaviour = (ef.dataCoding >> 5) & 0x03;
    if (write && record.size() == c.data.size() && (behaviour == 0x02 || behaviour == 0x03)) {
        for (std::size_t k = 0; k < record.size(); ++k)
            record[k] = behaviour == 0x02 ? record[k] | c.data[k] : record[k] & c.data[k];
    } else {
        record = c.data;
    }
    ch.currentRecord = i;
    changed();
    return {};
}

Response Iso7816Card::writeRecord(const CommandApdu& c, LogicalChannel& ch) { return updateRecord(c, ch); }

// ISO 7816-4 §11.4.6: P1 = 00, P2 b3-b1 = 000.
Response Iso7816Card::appendRecord(const CommandApdu& c, LogicalChannel& ch) {
    const auto ref = recordReference(c.p2);
    if (c.p1 != 0x00 || ref.mode != 0) throw SwError(sw::kIncorrectP1P2);
    File& ef = targetEf(ch, ref.sfi);
    requireRecordEf(ef);
    checkAccess(ef, fs::AccessMode::Write, ch);
    checkRecordLength(ef, c.data.size());
    if (ef.structure() == fs::FileStructure::Cyclic) {
        if (ef.records.size() < ef.maxRecords) fileSystem().reserve(c.data.size() + 2);
        ef.records.insert(ef.records.begin(), c.data);
        if (ef.records.size() > ef.maxRecords) ef.records.pop_back();
        ch.currentRecord = 0;
    } else {
        if (ef.records.size() >= ef.maxRecords) throw SwError(sw::kNotEnoughMemory);
        fileSystem().reserve(c.data.size() + 2);
        ef.records.push_back(c.data);
        ch.currentRecord = ef.records.size() - 1;
    }
    changed();
    return {};
}

// ISO 7816-4 §11.4.7: P2 b3-b1 = 100 erase record P1, 101 records from P1 up to the last.
// Erased records keep their length and read as 00.
Response Iso7816Card::eraseRecord(const CommandApdu& c, LogicalChannel& ch) {
    const auto ref = recordReference(c.p2);
    if (ref.mode != 4 && ref.mode != 5) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    File& ef = targetEf(ch, ref.sfi);
    requireRecordEf(ef);
    checkAccess(ef, fs::AccessMode::Update, ch);
    const std::size_t from = recordIndex(ef, ch, c.p1);
    const std::size_t to = ref.mode == 4 ? from + 1 : ef.records.size();
    for (std::size_t i = from; i < to; ++i) std::fill(ef.records[i].begin(), ef.records[i].end(), 0x00);
    ch.currentRecord = from;
    changed();
    return {};
}

// ISO 7816-4 §11.4.8 simple search: P2 b3-b1 = 100 forward from record P1, 101 backward from
// record P1 (P1 = 00: from the current record, or the first / last). The response lists the
// numbers of the records containing the search string; the first match becomes current.
Response Iso7816Card::searchRecord(const CommandApdu& c, LogicalChannel& ch) {
    const auto ref = recordReference(c.p2);
    if (ref.mode != 4 && ref.mode != 5) throw SwError(sw::kIncorrectP1P2);
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    File& ef = targetEf(ch, ref.sfi);
    requireRecordEf(ef);
    checkAccess(ef, fs::AccessMode::Read, ch);
    const std::size_t n = ef.records.size();
    if (n == 0) throw SwError(sw::kRecordNotFound);
    std::size_t start;
    if (c.p1 == 0x00 && !(ch.currentRecord && *ch.currentRecord < n))
        start = ref.mode == 4 ? 0 : n - 1;
    else
        start = recordIndex(ef, ch, c.p1);

    auto contains = [&](const Bytes& r) {
        return std::search(r.begin(), r.end(), c.data.begin(), c.data.end()) != r.end();
    };
    Bytes found;
    if (ref.mode == 4) {
        for (std::size_t i = start; i < n; ++i)
            if (contains(ef.records[i])) found.push_back(static_cast<std::uint8_t>(i + 1));
    } else {
        for (std::size_t i = start + 1; i-- > 0;)
            if (contains(ef.records[i])) found.push_back(static_cast<std::uint8_t>(i + 1));
    }
    if (found.empty()) throw SwError(sw::kRecordNotFound);
    ch.currentRecord = found[0] - 1u;
    return Response(std::move(found));
}

}  // namespace vpcsc::vicc
