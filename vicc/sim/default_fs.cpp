#include "vicc/sim/default_fs.hpp"

#include "vicc/sim/access.hpp"
#include "vicc/sim/encoding.hpp"

namespace vpcsc::vicc::sim {

const Bytes kUsimAid = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF, 0x49, 0xFF, 0x05, 0x89};

namespace {

using fs::File;
using fs::FileStructure;

// Defaults: the TS 35.208 test PLMN 001-01 (TS 23.003: MCC 001 is for testing).
const char* const kImsi = "001010123456789";
const char* const kIccid = "8988211000000000011";

File& df(File& parent, std::uint16_t fid, Bytes name = {}) {
    auto f = std::make_unique<File>(FileStructure::Df, fid);
    f->dfName = std::move(name);
    // TS 102 222: file management below a DF needs ADM (AM b1-b7, SC 1A each)
    f->compactSecurity = {0x7F, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A};
    return parent.addChild(std::move(f));
}

File& transparent(File& parent, std::uint16_t fid, Bytes content, GsmAccess ac, std::uint8_t sfi = 0) {
    auto f = std::make_unique<File>(FileStructure::Transparent, fid);
    f->data = std::move(content);
    f->compactSecurity = compactSecurityOf(ac);
    if (sfi) f->sfi = sfi;
    return parent.addChild(std::move(f));
}

File& records(File& parent, std::uint16_t fid, FileStructure s, std::size_t size, std::size_t count, GsmAccess ac,
              std::uint8_t sfi = 0) {
    auto f = std::make_unique<File>(s, fid);
    f->recordSize = size;
    f->maxRecords = count;
    f->records.assign(count, Bytes(size, 0xFF));
    f->compactSecurity = compactSecurityOf(ac);
    if (sfi) f->sfi = sfi;
    return parent.addChild(std::move(f));
}

Bytes ff(std::size_t n) { return Bytes(n, 0xFF); }
Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& p : parts) append(out, p);
    return out;
}

// GSM 7-bit default alphabet packed into octets (TS 23.038 §6.1.2.1.1); ASCII letters only here.
Bytes packSeptets(const std::string& text) {
    Bytes out;
    unsigned acc = 0, bits = 0;
    for (char c : text) {
        acc |= static_cast<unsigned>(encodeAlpha(std::string(1, c), 1)[0] & 0x7F) << bits;
        bits += 7;
        while (bits >= 8) {
            out.push_back(static_cast<std::uint8_t>(acc));
            acc >>= 8;
            bits -= 8;
        }
    }
    if (bits) out.push_back(static_cast<std::uint8_t>(acc));
    return out;
}

// An SMS-DELIVER (TS 23.040 §9.2.2.1) as EF.SMS stores it (TS 31.102 §4.2.25): status, the
// service centre address (TS 24.011 §8.2.5.2), then the TPDU; FF padded to 176 bytes.
Bytes sampleSms() {
    const std::string text = "Welcome to vpcsc";
    Bytes tpdu = {0x04, 0x0A, 0x91};  // MTI deliver + more-messages-to-send clear; OA 10 digits, international
    append(tpdu, encodeSwappedBcd("4930123456", 5));
    append(tpdu, Bytes{0x00, 0x00});                                    // TP-PID, TP-DCS (GSM 7 bit)
    append(tpdu, Bytes{0x52, 0x10, 0x30, 0x21, 0x43, 0x00, 0x40});      // TP-SCTS 2025-01-03 12:34:00 +04
    tpdu.push_back(static_cast<std::uint8_t>(text.size()));
    append(tpdu, packSeptets(text));
    Bytes rec = {0x01, 0x07, 0x91};  // status: read; SC address 7 octets, international
    append(rec, encodeSwappedBcd("491710760000", 6));
    append(rec, tpdu);
    rec.resize(176, 0xFF);
    return rec;
}

struct Contact {
    const char* name;
    const char* number;
};
// Names in the GSM alphabet and in the UCS2 form 81 (Polish, Greek), so dumpers meet both.
const Contact kPhonebook[] = {
    {"Alice", "+4930123456"},
    {"Bob", "0301234567"},
    {"Voicemail", "*100#"},
    {"Łukasz", "+48221234567"},
    {"Δημήτρης", "+302101234567"},
};

void fillPhonebook(File& adn) {
    for (std::size_t i = 0; i < std::size(kPhonebook) && i < adn.records.size(); ++i)
        adn.records[i] = encodeAdnRecord(kPhonebook[i].name, kPhonebook[i].number, kAdnAlphaSize);
}

Bytes smsp() {
    // TS 31.102 §4.4.2.? EF.SMSP: alpha (12), parameter indicators (only the SC address
    // present: b2 = 0), TP-Destination (12), SC address (12), PID, DCS, validity (1 each).
    return concat({encodeAlpha("vpcsc", 12), {0xFD}, ff(12), encodeDiallingNumber("+491710760000"), {0x00, 0x00, 0xFF}});
}

const GsmAccess kReadAlw{kAlw, kAdm, kNev, kAdm, kAdm};
const GsmAccess kAdminData{kChv1, kAdm, kNev, kAdm, kChv1};
const GsmAccess kUserData{kChv1, kChv1, kNev, kAdm, kAdm};

void gsmFiles(File& gsm) {
    const Bytes plmn = encodePlmn("001", "01");
    transparent(gsm, 0x6F05, {0x01, 0xFF}, kUserData);                             // EF.LP
    transparent(gsm, kEfImsi, encodeImsi(kImsi), kAdminData);                       // EF.IMSI
    transparent(gsm, kEfKc, concat({ff(8), {0x07}}), kUserData);                   // EF.Kc, CKSN 7: no key
    transparent(gsm, 0x6F30, ff(24), kUserData);                                   // EF.PLMNsel
    transparent(gsm, 0x6F31, {0x05}, kAdminData);                                  // EF.HPPLMN: 30 min
    transparent(gsm, 0x6F37, {0x00, 0x00, 0x00}, {kChv1, kChv2, kNev, kAdm, kAdm});  // EF.ACMmax
    // EF.SST (TS 51.011 §10.3.7): services 1-5, 7, 9, 10, 12, 13, 17 allocated and activated
    transparent(gsm, 0x6F38, {0xFF, 0x33, 0xCF, 0x03, 0x03}, kAdminData);
    File& acm = records(gsm, kEfAcm, FileStructure::Cyclic, 3, 5, {kChv1, kChv1, kChv1, kAdm, kAdm});  // EF.ACM
    for (auto& r : acm.records) r = {0x00, 0x00, 0x00};
    transparent(gsm, 0x6F41, {0xFF, 0xFF, 0xFF, 0x00, 0x00}, {kChv1, kChv1, kNev, kAdm, kAdm});  // EF.PUCT
    transparent(gsm, 0x6F46, concat({{0x01}, encodeAlpha("vpcsc", 16)}), kReadAlw);            // EF.SPN
    transparent(gsm, 0x6F74, ff(16), kUserData);                                               // EF.BCCH
    transparent(gsm, kEfAcc, {0x02, 0x00}, kAdminData);       // EF.ACC: class 9 (last IMSI digit)
    transparent(gsm, 0x6F7B, ff(12), kUserData);              // EF.FPLMN
    // EF.LOCI: TMSI, LAI (PLMN, LAC FFFE), TMSI time, location update status 01 (not updated)
    transparent(gsm, 0x6F7E, concat({ff(4), plmn, {0xFF, 0xFE, 0xFF, 0x01}}), kUserData);
    transparent(gsm, kEfAd, {0x00, 0x00, 0x00, 0x02}, kReadAlw);  // EF.AD: normal operation, MNC of 2 digits
    transparent(gsm, 0x6FAE, {0x03}, kReadAlw);                   // EF.PHASE: phase 2+
    transparent(gsm, 0x6FB7, {0x11, 0xF2, 0xFF, 0x19, 0xF1, 0xFF}, kReadAlw);  // EF.ECC: 112, 911
}

void telecomFiles(File& telecom) {
    File& adn = records(telecom, kEfAdn, FileStructure::LinearFixed, kAdnAlphaSize + 14, 10, {kChv1, kChv1, kNev, kChv2, kChv2});
    fillPhonebook(adn);
    records(telecom, kEfFdn, FileStructure::LinearFixed, kAdnAlphaSize + 14, 5, {kChv1, kChv2, kNev, kAdm, kAdm});
    File& sms = records(telecom, kEfSms, FileStructure::LinearFixed, 176, 10, kUserData);
    for (std::size_t i = 1; i < sms.records.size(); ++i) sms.records[i] = concat({{0x00}, ff(175)});  // free
    sms.records[0] = sampleSms();
    File& msisdn = records(telecom, kEfMsisdn, FileStructure::LinearFixed, kAdnAlphaSize + 14, 2, kUserData);
    msisdn.records[0] = encodeAdnRecord("My number", "+491701234567", kAdnAlphaSize);
    File& sp = records(telecom, kEfSmsp, FileStructure::LinearFixed, 40, 2, kUserData);
    sp.records[0] = smsp();
    transparent(telecom, 0x6F43, {0x00, 0xFF}, kUserData);  // EF.SMSS: last TP-MR, memory available
    records(telecom, 0x6F44, FileStructure::Cyclic, kAdnAlphaSize + 14, 5, kUserData);  // EF.LND
    records(telecom, kEfExt1, FileStructure::LinearFixed, 13, 5, kUserData);
    // DF.PHONEBOOK (TS 31.102 §4.4.2): EF.PBR lists the phonebook's own EF.ADN (4F3A, SFI 01).
    File& pb = df(telecom, kDfPhonebook);
    File& pbr = records(pb, 0x4F30, FileStructure::LinearFixed, 16, 1, {kChv1, kAdm, kNev, kAdm, kAdm});
    pbr.records[0] = concat({{0xA8, 0x05, 0xC0, 0x03, 0x4F, 0x3A, 0x01}, ff(9)});
    File& adn2 = records(pb, 0x4F3A, FileStructure::LinearFixed, kAdnAlphaSize + 14, 10, {kChv1, kChv1, kNev, kAdm, kAdm}, 0x01);
    fillPhonebook(adn2);
}

void usimFiles(File& adf) {
    const Bytes plmn = encodePlmn("001", "01");
    transparent(adf, 0x6F05, {'e', 'n', 0xFF, 0xFF}, kReadAlw, 0x02);              // EF.LI
    transparent(adf, kEfImsi, encodeImsi(kImsi), kAdminData, 0x07);                // EF.IMSI
    transparent(adf, kEfKeys, concat({{0x07}, ff(32)}), kUserData, 0x08);          // EF.Keys: KSI 7 = no key
    transparent(adf, 0x6F09, concat({{0x07}, ff(32)}), kUserData, 0x09);           // EF.KeysPS
    transparent(adf, 0x6F31, {0x05}, kAdminData, 0x12);                            // EF.HPPLMN
    // EF.UST (TS 31.102 §4.2.8): FDN (2), SMS (10), SMSP (12), SPN (19), MSISDN (21), GSM access (27)
    transparent(adf, 0x6F38, {0x02, 0x0A, 0x14, 0x04}, kAdminData, 0x04);
    transparent(adf, 0x6F56, {0x00}, {kChv1, kChv2, kNev, kAdm, kAdm}, 0x05);       // EF.EST
    transparent(adf, kEfAcc, {0x02, 0x00}, kAdminData, 0x06);                      // EF.ACC
    transparent(adf, 0x6F7B, ff(12), kUserData, 0x0D);                              // EF.FPLMN
    transparent(adf, 0x6F7E, concat({ff(4), plmn, {0xFF, 0xFE, 0xFF, 0x01}}), kUserData, 0x0B);  // EF.LOCI
    transparent(adf, kEfAd, {0x00, 0x00, 0x00, 0x02}, kReadAlw, 0x03);             // EF.AD
    File& ecc = records(adf, 0x6FB7, FileStructure::LinearFixed, 4, 2, kReadAlw, 0x01);  // EF.ECC
    ecc.records[0] = {0x11, 0xF2, 0xFF, 0x00};
    // EF.PSLOCI: P-TMSI, P-TMSI signature, RAI (PLMN, LAC, RAC), routing area update status
    transparent(adf, 0x6F73, concat({ff(4), ff(3), plmn, {0xFF, 0xFE, 0xFF, 0x01}}), kUserData, 0x0C);
    transparent(adf, 0x6F5B, {0xF0, 0x00, 0x00, 0xF0, 0x00, 0x00}, kUserData, 0x0F);  // EF.START-HFN
    transparent(adf, 0x6F5C, {0xFF, 0xFF, 0xFF}, kAdminData, 0x10);                   // EF.THRESHOLD
    transparent(adf, 0x6F46, concat({{0x01}, encodeAlpha("vpcsc", 16)}), kReadAlw);   // EF.SPN
    File& msisdn = records(adf, kEfMsisdn, FileStructure::LinearFixed, kAdnAlphaSize + 14, 2, kUserData);
    msisdn.records[0] = encodeAdnRecord("My number", "+491701234567", kAdnAlphaSize);
}

}  // namespace

fs::FileSystem defaultSimFileSystem(bool usim) {
    fs::FileSystem fsys;
    File& mf = fsys.mf();
    mf.compactSecurity = {0x7F, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A, 0x1A};
    transparent(mf, kEfIccid, encodeIccid(kIccid), {kAlw, kAdm, kNev, kAdm, kAdm}, 0x02);
    transparent(mf, kEfPl, {'e', 'n', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, {kAlw, kChv1, kNev, kAdm, kAdm}, 0x05);
    if (usim) {
        // EF.DIR (TS 102 221 §13.1): one application template 61 { 4F AID, 50 label }
        File& dir = records(mf, kEfDir, FileStructure::LinearFixed, 32, 2, kReadAlw, 0x1E);
        Bytes rec = {0x61, static_cast<std::uint8_t>(2 + kUsimAid.size() + 6), 0x4F, static_cast<std::uint8_t>(kUsimAid.size())};
        append(rec, kUsimAid);
        append(rec, Bytes{0x50, 0x04, 'U', 'S', 'I', 'M'});
        rec.resize(32, 0xFF);
        dir.records[0] = rec;
    }
    telecomFiles(df(mf, kDfTelecom));
    gsmFiles(df(mf, kDfGsm));
    if (usim) usimFiles(df(mf, kAdfUsimFid, kUsimAid));
    return fsys;
}

std::vector<fs::File*> filesWithFid(fs::File& root, std::uint16_t fid) {
    std::vector<fs::File*> out;
    for (const auto& c : root.children()) {
        if (c->fid() == fid && !c->isDf()) out.push_back(c.get());
        if (c->isDf()) {
            auto sub = filesWithFid(*c, fid);
            out.insert(out.end(), sub.begin(), sub.end());
        }
    }
    return out;
}

}  // namespace vpcsc::vicc::sim
