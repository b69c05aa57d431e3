// The installer proper: PEs in package order build one file system, PIN table and key set, then
// the USIM card (SAIP v2.3 §8: file system PEs §8.3, GenericFileManagement §8.3.6, PINs/PUKs §8.4,
// AKA parameters §8.5). Every length and count is checked; anything unusable is a SaipError.
#include <map>
#include <optional>

#include "common/sw.hpp"
#include "vicc/euicc/saip/arr.hpp"
#include "vicc/euicc/saip/pe.hpp"
#include "vicc/euicc/saip/saip.hpp"
#include "vicc/euicc/saip/templates.hpp"
#include "vicc/fs/file_system.hpp"
#include "vicc/sim/access.hpp"
#include "vicc/sim/usim_card.hpp"

namespace vpcsc::euicc::saip {

using vicc::fs::File;
using vicc::fs::FileStructure;

namespace {

// T=0 only, TA1 = 11; historical bytes 80 64 "usim" (as the usim card type).
const Bytes kProfileAtr = {0x3B, 0x16, 0x11, 0x80, 0x64, 0x75, 0x73, 0x69, 0x6D};

constexpr std::size_t kMaxFileSize = 0x10000;  // 64 KiB per EF: an absurd size is refused up front
constexpr std::size_t kMaxPackageFiles = 4096;

std::uint32_t beValue(ByteView v) {
    std::uint32_t n = 0;
    for (auto b : v) n = n << 8 | b;
    return n;
}

// A file being described by an Fcp (PE member or createFCP), before it joins the tree.
struct FileSpec {
    char type = 0;  // as in TemplateFile
    std::uint16_t fid = 0;
    Bytes dfName;
    std::size_t size = 0, recordSize = 0, records = 0;
    std::optional<std::uint8_t> sfi;
    bool sfiGiven = false;
    vicc::fs::LifeCycle lifeCycle = vicc::fs::LifeCycle::Activated;
    Bytes arrRef;        // 8B value
    Bytes fillPattern;   // A5/C1
    Bytes repeatPattern; // A5/C2
    bool link = false;   // C7 linkPath: a link file
};

class Installer {
public:
    InstalledProfile run(ByteView upp);

private:
    [[noreturn]] void fail(const std::string& what, int reason = 12) const {
        throw SaipError(std::string(peName(m_pe ? m_pe->kind : 0)) + " PE " +
                            std::to_string(m_pe ? m_pe->index : 0) + ": " + what,
                        m_pe ? m_pe->index : 0, reason);
    }

    void fileSystemPe(const Pe& pe);
    void genericFileManagement(const Pe& pe);
    void pinCodes(const Pe& pe);
    void pukCodes(const Pe& pe);
    void akaParameter(const Pe& pe);

    void applyFcp(FileSpec& s, ByteView fcp);
    File* create(File& parent, const FileSpec& s);
    void fill(File& f, std::size_t& pos, ByteView content);
    void skip(File& f, std::size_t& pos, std::size_t n);
    File* resolvePath(ByteView path);
    void resolveAccessRules();
    File* findArr(const File& f, std::uint16_t fid);
    void checkIccid(const Bytes& iccid);

    const Pe* m_pe = nullptr;
    vicc::fs::FileSystem m_fs;
    File* m_usim = nullptr;  // the last ADF.USIM / ADF.ISIM created (parent of opt-usim ... PEs)
    File* m_isim = nullptr;
    bool m_haveMf = false;
    std::map<std::uint16_t, File*> m_tempFids;  // ADF temporary FIDs (filePath, linkPath)
    std::map<File*, Bytes> m_arrRefs;           // 8B of every created file, resolved at the end
    std::size_t m_files = 0;
    std::map<std::uint8_t, vicc::Pin> m_pins;
    std::map<std::uint8_t, std::uint8_t> m_pinPuk;  // PIN reference -> PUK reference
    bool m_pin1Disabled = false;                    // pinAttributes b1 = 0 for PIN1
    struct Puk {
        Bytes value;
        std::uint8_t max, left;
    };
    std::map<std::uint8_t, Puk> m_puks;
    std::optional<vicc::sim::Authentication> m_auth;
};

// ---- Fcp (SAIP Fcp = TS 102 222 FCP objects) ------------------------------------------------

void Installer::applyFcp(FileSpec& s, ByteView fcp) {
    for (const auto& o : tlv::parseAll(fcp)) {
        switch (o.tag) {
        case 0x82: {  // file descriptor: FDB, data coding [, record length (2), number of records]
            if (o.value.size() < 2 || o.value.size() > 5) fail("fileDescriptor of " + std::to_string(o.value.size()) + " bytes");
            const std::uint8_t fdb = o.value[0];
            if ((fdb & 0xBF) == 0x38) s.type = s.type == 'A' || s.type == 'M' ? s.type : 'D';
            else if (fdb == 0x39 || fdb == 0x79) s.type = 'B';
            else if ((fdb & 0x07) == 1) s.type = 'T';
            else if ((fdb & 0x07) == 2) s.type = 'L';
            else if ((fdb & 0x07) == 6) s.type = 'C';
            else fail("unsupported file descriptor byte " + toHex(o.value.first(1), 0));
            if (o.value.size() >= 4) s.recordSize = readBe16(o.value, 2);
            if (o.value.size() == 5) s.records = o.value[4];
            break;
        }
        case 0x83:
            if (o.value.size() != 2) fail("fileID is not 2 bytes");
            s.fid = readBe16(o.value, 0);
            break;
        case 0x84:
            if (o.value.size() < 5 || o.value.size() > 16) fail("dfName is not 5-16 bytes");
            s.dfName = o.valueBytes();
            s.type = 'A';
            break;
        case 0x8A:
            if (o.value.size() != 1) fail("lcsi is not 1 byte");
            s.lifeCycle = (o.value[0] & 0xFD) == 0x04 ? vicc::fs::LifeCycle::Deactivated : vicc::fs::LifeCycle::Activated;
            break;
        case 0x8B:
            if (o.value.empty() || o.value.size() > 3) fail("securityAttributesReferenced is not 1-3 bytes");
            s.arrRef = o.valueBytes();
            break;
        case 0x80:
            if (o.value.empty() || o.value.size() > 4) fail("efFileSize is not 1-4 bytes");
            s.size = beValue(o.value);
            if (s.size > kMaxFileSize) fail("efFileSize " + std::to_string(s.size) + " too large");
            break;
        case 0x88:  // shortEFID: empty = no SFI, else b8-b4
            if (o.value.size() > 1) fail("shortEFID is not 0-1 byte");
            s.sfiGiven = true;
            s.sfi.reset();
            if (o.value.size() == 1 && (o.value[0] >> 3) != 0) s.sfi = static_cast<std::uint8_t>(o.value[0] >> 3);
            break;
        case 0xA5:  // proprietaryEFInfo: C1 fillPattern, C2 repeatPattern (TS 102 222 §6.3.2.2)
            for (const auto& p : tlv::parseAll(o.value)) {
                if (p.tag == 0xC1) s.fillPattern = p.valueBytes();
                if (p.tag == 0xC2) s.repeatPattern = p.valueBytes();
            }
            break;
        case 0xC7: s.link = true; break;  // linkPath
        default: break;                   // C6 pinStatusTemplateDO and others: the card builds its own
        }
    }
}

File* Installer::create(File& parent, const FileSpec& s) {
    if (++m_files > kMaxPackageFiles) fail("more than " + std::to_string(kMaxPackageFiles) + " files");
    if (vicc::fs::FileSystem::depth(parent) + 1 > vicc::fs::FileSystem::kMaxDepth) fail("directories nested too deep");
    if (!parent.isDf()) fail("parent is not a DF");
    if (s.fid == 0 || s.fid == 0x3F00 || s.fid == 0x3FFF || s.fid == 0xFFFF) fail("file without a valid FID");
    if (parent.child(s.fid)) fail("FID " + toHex(Bytes{static_cast<std::uint8_t>(s.fid >> 8), static_cast<std::uint8_t>(s.fid)}, 0) + " exists twice");
    FileStructure st;
    switch (s.type) {
    case 'A': case 'D': st = FileStructure::Df; break;
    case 'T': st = FileStructure::Transparent; break;
    case 'L': st = FileStructure::LinearFixed; break;
    case 'C': st = FileStructure::Cyclic; break;
    case 'B': st = FileStructure::BerTlv; break;
    default: fail("file " + std::to_string(s.fid) + " has no known structure");
    }
    auto f = std::make_unique<File>(st, s.fid);
    f->lifeCycle = s.lifeCycle;
    if (st == FileStructure::Df) {
        f->dfName = s.dfName;
    } else {
        if (s.sfi && *s.sfi <= 30) f->sfi = s.sfi;
        // Initial content: repeat pattern, or fill pattern whose last byte repeats, else FF.
        auto initial = [&](std::size_t n) {
            Bytes b(n, 0xFF);
            if (!s.repeatPattern.empty())
                for (std::size_t i = 0; i < n; ++i) b[i] = s.repeatPattern[i % s.repeatPattern.size()];
            else if (!s.fillPattern.empty())
                for (std::size_t i = 0; i < n; ++i) b[i] = s.fillPattern[std::min(i, s.fillPattern.size() - 1)];
            return b;
        };
        if (st == FileStructure::Transparent) {
            f->data = initial(s.size);
        } else if (f->isRecordEf()) {
            std::size_t count = s.records;
            if (s.recordSize == 0 || s.recordSize > 255) fail("record length " + std::to_string(s.recordSize));
            if (s.size) {
                if (s.size % s.recordSize) fail("file size is not a multiple of the record length");
                count = s.size / s.recordSize;
            }
            if (count == 0 || count > vicc::fs::kMaxRecords) fail("number of records " + std::to_string(count));
            f->recordSize = s.recordSize;
            f->maxRecords = count;
            f->records.assign(count, initial(s.recordSize));
        }
    }
    File& added = parent.addChild(std::move(f));
    if (!s.arrRef.empty()) m_arrRefs[&added] = s.arrRef;
    m_fs.reserve(0);
    return &added;
}

// fillFileContent at the current position: transparent EFs as one buffer, record EFs as their
// records one after another (SAIP §8.3.3), BER-TLV EFs as data objects.
void Installer::fill(File& f, std::size_t& pos, ByteView content) {
    if (f.isDf()) fail("content for a DF");
    if (f.structure() == FileStructure::BerTlv) {
        try {
            for (auto& o : vicc::fs::parseDataObjects(content)) vicc::fs::storeDataObject(f.dataObjects, std::move(o));
        } catch (const ParseError& e) {
            fail(std::string("BER-TLV file content: ") + e.what());
        }
        return;
    }
    const std::size_t total = f.isRecordEf() ? f.records.size() * f.recordSize : f.data.size();
    if (pos > total || content.size() > total - pos) fail("content beyond the end of file " + std::to_string(f.fid()));
    for (auto b : content) {
        if (f.isRecordEf()) f.records[pos / f.recordSize][pos % f.recordSize] = b;
        else f.data[pos] = b;
        ++pos;
    }
}

void Installer::skip(File& f, std::size_t& pos, std::size_t n) {
    const std::size_t total = f.isRecordEf() ? f.records.size() * f.recordSize : f.data.size();
    if (f.structure() != FileStructure::BerTlv && (pos > total || n > total - pos)) fail("fillFileOffset beyond the end of the file");
    pos += n;
}

// ---- file system PEs (§8.3.2) ---------------------------------------------------------------

void Installer::fileSystemPe(const Pe& pe) {
    const Template* t = templateFor(pe.kind);
    if (!t) fail("no template for this PE");
    const auto members = tlv::parseAll(pe.tlv.value);
    // [1] templateID: 2.23.143.1.2.<arc>[.<version>...]
    bool haveTemplate = false;
    for (const auto& m : members)
        if (m.tag == 0x81) {
            static const Bytes prefix = {0x67, 0x81, 0x0F, 0x01, 0x02};
            if (m.value.size() < 6 || !std::equal(prefix.begin(), prefix.end(), m.value.begin()) || m.value[5] != t->oidArc)
                fail("templateID " + toHex(m.value, 0) + " is not the template of this PE");
            haveTemplate = true;
        }
    if (!haveTemplate) fail("no templateID");

    // Where the template's first file lives (Annex A paths).
    File* base = nullptr;
    switch (static_cast<PeKind>(pe.kind)) {
    case PeKind::Mf: break;
    case PeKind::Cd: case PeKind::Telecom: case PeKind::Usim: case PeKind::Isim: base = &m_fs.mf(); break;
    case PeKind::OptIsim: base = m_isim; break;
    default: base = m_usim; break;
    }
    if (!m_haveMf && pe.kind != static_cast<unsigned>(PeKind::Mf)) fail("file system PE before the mf PE");
    if (!base && pe.kind != static_cast<unsigned>(PeKind::Mf)) fail("no ADF this PE could belong to");

    File* root = nullptr;     // the template's first DF (its DFs hang below it)
    File* current = base;     // where the next EF goes
    for (const auto& m : members) {
        const unsigned n = contextNumber(m.tag);
        if (n < 2) continue;
        if (!m.constructed()) fail("member [" + std::to_string(n) + "] is not a File");
        const TemplateFile* row = templateMember(*t, n);
        FileSpec s;
        if (row) {
            s.type = row->type;
            s.fid = row->fid;
            s.size = row->type == 'T' || row->type == 'B' ? row->size : 0;
            s.recordSize = row->type == 'L' || row->type == 'C' ? row->size : 0;
            s.records = row->records;
            if (row->sfi) s.sfi = row->sfi;
        }
        bool doNotCreate = false;
        const auto items = tlv::parseAll(m.value);
        for (const auto& it : items) {
            if (it.tag == 0x80) doNotCreate = true;
            if (it.tag == 0xA1) applyFcp(s, it.value);
        }
        if (doNotCreate || s.link) continue;  // link files are not modelled (doc/saip.md)
        if (s.type == 'L' || s.type == 'C') {
            if (s.records == 0 && s.size == 0) fail("member [" + std::to_string(n) + "]: number of records unknown");
        }
        File* f = nullptr;
        if (s.type == 'M') {
            f = &m_fs.mf();
            f->lifeCycle = s.lifeCycle;
            if (!s.arrRef.empty()) m_arrRefs[f] = s.arrRef;
            root = f;
            current = f;
            m_haveMf = true;
        } else if (s.type == 'A' || s.type == 'D') {
            if (!root && s.type == 'A' && s.dfName.empty()) fail("ADF without dfName");
            File* parent = root ? root : base;
            if (!parent) fail("no parent DF");
            f = create(*parent, s);
            if (!root) root = f;
            current = f;
            if (s.type == 'A') {
                m_tempFids[s.fid] = f;
                (pe.kind == static_cast<unsigned>(PeKind::Isim) ? m_isim : m_usim) = f;
            }
        } else {
            if (!s.fid) fail("member [" + std::to_string(n) + "] has no fileID");
            if (!s.type) fail("member [" + std::to_string(n) + "] has no file descriptor");
            if (!current) fail("member [" + std::to_string(n) + "] comes before any DF");
            f = create(*current, s);
        }
        std::size_t pos = 0;
        for (const auto& it : items) {
            if (it.tag == 0x82) skip(*f, pos, decodeUint(it.value, pe.index, "fillFileOffset"));
            if (it.tag == 0x83) fill(*f, pos, it.value);
        }
    }
}

// filePath: FIDs from the MF (without 3F00), an ADF by its temporary FID (SAIP §8.3.5).
File* Installer::resolvePath(ByteView path) {
    if (path.size() % 2) fail("filePath of odd length");
    File* f = &m_fs.mf();
    for (std::size_t i = 0; i < path.size(); i += 2) {
        const std::uint16_t fid = readBe16(path, i);
        File* next = nullptr;
        if (i == 0 && m_tempFids.count(fid)) next = m_tempFids[fid];
        else if (fid == 0x3F00 && i == 0) next = &m_fs.mf();
        else next = f->child(fid);
        if (!next || !next->isDf()) fail("filePath " + toHex(path, 0) + " names no DF");
        f = next;
    }
    return f;
}

// PE-GenericFileManagement (§8.3.6): filePath selects a DF, createFCP creates there (a created DF
// becomes the current DF, TS 102 222 §6.3), fillFileOffset / fillFileContent write the last file.
void Installer::genericFileManagement(const Pe& pe) {
    if (!m_haveMf) fail("genericFileManagement before the mf PE");
    const auto cmds = pe.tlv.find(0xA1);
    if (!cmds) fail("no fileManagementCMD");
    for (const auto& seq : tlv::parseAll(cmds->value)) {
        if (seq.tag != 0x30) fail("FileManagement is not a SEQUENCE");
        File* dir = &m_fs.mf();
        File* file = nullptr;
        std::size_t pos = 0;
        for (const auto& it : tlv::parseAll(seq.value)) {
            switch (it.tag) {
            case 0x80: dir = resolvePath(it.value); file = nullptr; break;
            case 0x62: {
                FileSpec s;
                applyFcp(s, it.value);
                if (s.link) { file = nullptr; break; }  // link files are not modelled
                if (!s.sfiGiven && s.type != 'D' && s.type != 'A') {
                    const std::uint8_t sfi = s.fid & 0x1F;  // TS 102 222: b5-b1 of the FID
                    if (sfi != 0 && sfi != 0x1F) s.sfi = sfi;
                }
                if (s.type == 'A') fail("createFCP of an ADF");
                file = create(*dir, s);
                pos = 0;
                if (file->isDf()) { dir = file; file = nullptr; }
                break;
            }
            case 0x02:
                if (!file) break;  // content for a skipped link file
                skip(*file, pos, decodeUint(it.value, pe.index, "fillFileOffset"));
                break;
            case 0x81:
                if (!file) break;
                fill(*file, pos, it.value);
                break;
            default: fail("unknown FileManagement item " + std::to_string(it.tag));
            }
        }
    }
}

// ---- PINs, PUKs (§8.4) ------------------------------------------------------------------------

void Installer::pukCodes(const Pe& pe) {
    const auto list = pe.tlv.find(0xA1);
    if (!list) fail("no pukCodes");
    for (const auto& c : tlv::parseAll(list->value)) {
        Puk p{{}, 10, 10};
        std::optional<std::uint8_t> ref;
        for (const auto& f : tlv::parseAll(c.value)) {
            if (f.tag == 0x80) ref = static_cast<std::uint8_t>(decodeUint(f.value, pe.index, "PUK keyReference"));
            if (f.tag == 0x81) p.value = f.valueBytes();
            if (f.tag == 0x82) {
                const auto n = decodeUint(f.value, pe.index, "PUK attempts");
                p.max = static_cast<std::uint8_t>((n >> 4) & 0x0F);
                p.left = static_cast<std::uint8_t>(n & 0x0F);
            }
        }
        if (!ref || p.value.size() != 8) fail("PUKConfiguration needs a keyReference and an 8-byte value");
        if (p.max == 0 || p.left > p.max) fail("PUK attempts out of range");
        m_puks[*ref] = p;
    }
}

void Installer::pinCodes(const Pe& pe) {
    const auto choice = pe.tlv.find(0xA1);
    if (!choice) fail("no pinCodes");
    const auto list = choice->find(0xA0);
    if (!list) return;  // filePath: PINs shared with another DF, nothing new to define
    for (const auto& c : tlv::parseAll(list->value)) {
        std::optional<std::uint8_t> ref, puk;
        Bytes value;
        unsigned attempts = 0x33, attributes = 0x07;
        for (const auto& f : tlv::parseAll(c.value)) {
            if (f.tag == 0x80) ref = static_cast<std::uint8_t>(decodeUint(f.value, pe.index, "PIN keyReference"));
            if (f.tag == 0x81) value = f.valueBytes();
            if (f.tag == 0x82) puk = static_cast<std::uint8_t>(decodeUint(f.value, pe.index, "unblockingPINReference"));
            if (f.tag == 0x83) attributes = decodeUint(f.value, pe.index, "pinAttributes");
            if (f.tag == 0x84) attempts = decodeUint(f.value, pe.index, "PIN attempts");
        }
        if (!ref || value.size() != 8) fail("PINConfiguration needs a keyReference and an 8-byte value");
        const auto max = static_cast<std::uint8_t>((attempts >> 4) & 0x0F), left = static_cast<std::uint8_t>(attempts & 0x0F);
        if (max == 0 || left > max) fail("PIN attempts out of range");
        if (m_pins.count(*ref)) continue;  // one card-wide table: the first definition (the USIM's) wins
        m_pins[*ref] = vicc::Pin(*ref, value, max, left);
        // pinAttributes b1 = 0: the PIN starts disabled (the TS.48 packages give PIN1 '06', ADM '03').
        // Only PIN1 can be disabled on the card (TS 102 221 §11.1.11 as vicc/sim models it).
        if (*ref == vicc::sim::kPin1 && !(attributes & 0x01)) m_pin1Disabled = true;
        if (puk) m_pinPuk[*ref] = *puk;
    }
}

// ---- AKA (§8.5) -------------------------------------------------------------------------------

void Installer::akaParameter(const Pe& pe) {
    const auto config = pe.tlv.find(0xA1);
    if (!config) fail("no algoConfiguration");
    const auto algo = config->find(0xA1);
    if (!algo) fail("mappingParameter (keys shared with another NAA) is not supported");
    vicc::sim::Authentication a;
    std::optional<std::uint32_t> id;
    for (const auto& f : tlv::parseAll(algo->value)) {
        switch (f.tag) {
        case 0x80: id = decodeUint(f.value, pe.index, "algorithmID"); break;
        case 0x82: a.ki = f.valueBytes(); break;
        case 0x83: a.opc = f.valueBytes(); break;
        case 0x84:  // rotationConstants
            if (f.valueBytes() != Bytes{0x40, 0x00, 0x20, 0x40, 0x60}) fail("non-default Milenage rotation constants are not supported");
            break;
        case 0x85: {  // xoringConstants: c1..c5 = 0, 1, 2, 4, 8
            Bytes def(80, 0);
            def[31] = 1; def[47] = 2; def[63] = 4; def[79] = 8;
            if (f.valueBytes() != def) fail("non-default Milenage xoring constants are not supported");
            break;
        }
        default: break;
        }
    }
    if (!id) fail("no algorithmID");
    if (*id == 1) a.algorithm = vicc::sim::AuthAlgorithm::Milenage;
    else if (*id == 3) a.algorithm = vicc::sim::AuthAlgorithm::TestXor;
    else fail("algorithm " + std::to_string(*id) + " (TUAK or unknown) is not supported");
    if (a.ki.size() != 16) fail("the key is not 16 bytes");
    if (a.opc.size() != 16) fail("the OPc is not 16 bytes");
    if (const auto init = pe.tlv.find(0xA5)) {  // sqnInit: 32 SEQ values without IND
        const auto seqs = tlv::parseAll(init->value);
        if (seqs.size() != a.seq.size()) fail("sqnInit does not hold 32 values");
        for (std::size_t i = 0; i < seqs.size(); ++i) {
            if (seqs[i].value.size() != 6) fail("an sqnInit value is not 6 bytes");
            std::uint64_t v = 0;
            for (auto b : seqs[i].value) v = v << 8 | b;
            if (v >> (48 - vicc::sim::Authentication::kIndBits)) fail("an sqnInit value exceeds 43 bits");
            a.seq[i] = v;
        }
    }
    if (!m_auth) m_auth = a;  // one key set per card: the first NAA's (the USIM's)
}

// ---- after all PEs --------------------------------------------------------------------------

File* Installer::findArr(const File& f, std::uint16_t fid) {
    for (const File* d = f.isDf() && !f.parent() ? &f : f.parent(); d; d = d->parent())
        if (File* a = d->child(fid); a && a->isRecordEf()) return a;
    return nullptr;
}

void Installer::resolveAccessRules() {
    for (auto& [file, ref] : m_arrRefs) {
        std::uint16_t fid;
        std::uint8_t record;
        if (ref.size() == 3) {
            fid = readBe16(ref, 0);
            record = ref[2];
        } else if (ref.size() == 1) {  // §8.3.2: 2F06 for the MF, ADFs and MF children, else 6F06
            const File* p = file->parent();
            fid = (!p || !p->parent() || !file->dfName.empty()) ? 0x2F06 : 0x6F06;
            record = ref[0];
        } else {
            continue;
        }
        File* arr = findArr(*file, fid);
        if (!arr || record == 0 || record > arr->records.size()) {
            // An unresolvable reference: readable with PIN1, everything else ADM.
            file->compactSecurity = vicc::sim::compactSecurityOf({vicc::sim::kChv1, vicc::sim::kAdm, vicc::sim::kAdm,
                                                                  vicc::sim::kAdm, vicc::sim::kAdm});
            continue;
        }
        try {
            file->compactSecurity = compactFromArrRecord(arr->records[record - 1]);
        } catch (const ParseError& e) {
            throw SaipError(std::string("EF.ARR ") + e.what(), 0);
        }
    }
}

InstalledProfile Installer::run(ByteView upp) {
    const auto pes = splitPes(upp);
    const ProfileHeader header = decodeHeader(pes.front());
    const Bytes iccidEf = iccidAsInEf(header.iccid);
    try {
        for (const auto& pe : pes) {
            m_pe = &pe;
            switch (static_cast<PeKind>(pe.kind)) {
            case PeKind::Header:
                if (pe.index != 0) fail("a second header");
                break;
            case PeKind::GenericFileManagement: genericFileManagement(pe); break;
            case PeKind::PinCodes: pinCodes(pe); break;
            case PeKind::PukCodes: pukCodes(pe); break;
            case PeKind::AkaParameter: akaParameter(pe); break;
            case PeKind::End: break;
            case PeKind::Mf: case PeKind::Cd: case PeKind::Telecom: case PeKind::Usim: case PeKind::OptUsim:
            case PeKind::Isim: case PeKind::OptIsim: case PeKind::Phonebook: case PeKind::GsmAccess:
            case PeKind::Df5gs: case PeKind::DfSaip:
                fileSystemPe(pe);
                break;
            default:
                // securityDomain, rfm, application, nonStandard, cdmaParameter, csim, opt-csim, eap,
                // ...: Java Card, RAM/RFM and CDMA are not modelled (doc/saip.md); well-formed TLV is enough.
                break;
            }
        }
        m_pe = nullptr;
        if (!m_haveMf) throw SaipError("the package has no mf PE", 0);
        resolveAccessRules();
    } catch (const SaipError&) {
        throw;
    } catch (const tlv::TlvError& e) {
        fail(std::string("malformed: ") + e.what());
    } catch (const ParseError& e) {
        fail(e.what());
    } catch (const SwError&) {
        fail("file system capacity exceeded");
    }

    // EF.ICCID must hold the header's ICCID (SGP.22 §5.7.6: installFailedDueToDataMismatch).
    const File* iccid = m_fs.mf().child(0x2FE2);
    if (!iccid || iccid->data.size() != 10 || iccid->data != iccidEf)
        throw SaipError("EF.ICCID does not hold the header's ICCID", 0, 13);

    auto card = std::make_unique<vicc::sim::UsimCard>(kProfileAtr, std::move(m_fs));
    for (auto& [ref, pin] : m_pins) card->pins()[ref] = pin;
    if (m_pin1Disabled) card->disabledPins().insert(vicc::sim::kPin1);
    for (const auto& [pin, pukRef] : m_pinPuk) {
        const auto it = m_puks.find(pukRef);
        if (it == m_puks.end()) throw SaipError("a PIN names a PUK that pukCodes does not define", 0);
        card->unblockCodes()[pin] = vicc::sim::UnblockCode{it->second.value, it->second.max, it->second.left};
    }
    if (m_auth) card->authentication() = *m_auth;
    card->consumeDirty();
    return InstalledProfile{iccidEf, header.profileType, std::move(card)};
}

}  // namespace

InstalledProfile install(ByteView upp) { return Installer().run(upp); }

std::unique_ptr<vicc::Card> restore(const nlohmann::json& usimState) {
    auto card = std::make_unique<vicc::sim::UsimCard>(kProfileAtr, vicc::fs::FileSystem());
    try {
        card->loadState(usimState);
    } catch (const SaipError&) {
        throw;
    } catch (const ParseError& e) {
        throw SaipError(std::string("restoring an installed profile: ") + e.what(), 0, 1);
    } catch (const std::exception& e) {
        throw SaipError(std::string("restoring an installed profile: ") + e.what(), 0, 1);
    }
    card->consumeDirty();
    return card;
}

}  // namespace vpcsc::euicc::saip
