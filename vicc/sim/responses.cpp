#include "vicc/sim/responses.hpp"

#include <algorithm>

#include "vicc/fs/access.hpp"
#include "vicc/sim/access.hpp"

namespace vpcsc::vicc::sim {

namespace {

// b8 = 1: secret code initialised; b4-b1: attempts left.
std::uint8_t status(const PinView& v, std::uint8_t ref, bool unblock) {
    if (unblock) {
        const auto it = v.unblock.find(ref);
        return it == v.unblock.end() ? 0x00 : static_cast<std::uint8_t>(0x80 | (it->second.triesLeft & 0x0F));
    }
    const auto it = v.pins.find(ref);
    return it == v.pins.end() ? 0x00 : static_cast<std::uint8_t>(0x80 | (it->second.triesLeft & 0x0F));
}

void tlv(Bytes& out, std::uint8_t tag, ByteView value) {
    out.push_back(tag);
    out.push_back(static_cast<std::uint8_t>(value.size()));
    append(out, value);
}

std::uint8_t gsmStructure(const fs::File& f) {
    switch (f.structure()) {
    case fs::FileStructure::LinearFixed:
    case fs::FileStructure::LinearVariable: return 0x01;
    case fs::FileStructure::Cyclic: return 0x03;
    default: return 0x00;
    }
}

std::size_t fileSize(const fs::File& f) { return f.isRecordEf() ? f.recordSize * f.records.size() : f.data.size(); }

}  // namespace

Bytes gsmSelectResponse(const fs::File& f, const PinView& v, std::size_t freeMemory) {
    Bytes r = {0x00, 0x00};
    if (f.isDf()) {
        appendBe16(r, static_cast<std::uint16_t>(std::min<std::size_t>(freeMemory, 0xFFFF)));
        appendBe16(r, f.fid());
        r.push_back(f.parent() ? 0x02 : 0x01);        // byte 7: type of file, MF or DF
        append(r, Bytes(5, 0x00));                    // bytes 8-12: RFU
        r.push_back(0x09);                            // byte 13: length of the GSM specific data
        // byte 14: file characteristics: b1 clock stop allowed, b8 CHV1 disabled
        r.push_back(static_cast<std::uint8_t>(0x01 | (v.disabled.count(kPin1) ? 0x80 : 0x00)));
        std::uint8_t dfs = 0, efs = 0;
        for (const auto& c : f.children()) (c->isDf() ? dfs : efs)++;
        r.push_back(dfs);                             // byte 15
        r.push_back(efs);                             // byte 16
        r.push_back(0x04);                            // byte 17: CHV1, CHV2, UNBLOCK CHV1, UNBLOCK CHV2
        r.push_back(0x00);                            // byte 18: RFU
        r.push_back(status(v, kPin1, false));         // byte 19: CHV1 status
        r.push_back(status(v, kPin1, true));          // byte 20: UNBLOCK CHV1 status
        r.push_back(status(v, kPin2, false));         // byte 21: CHV2 status
        r.push_back(status(v, kPin2, true));          // byte 22: UNBLOCK CHV2 status
        return r;
    }
    appendBe16(r, static_cast<std::uint16_t>(std::min<std::size_t>(fileSize(f), 0xFFFF)));  // bytes 3-4
    appendBe16(r, f.fid());
    r.push_back(0x04);                                // byte 7: EF
    // byte 8: b7 = INCREASE allowed (cyclic EFs)
    const bool increase = f.structure() == fs::FileStructure::Cyclic && gsmLevel(f, fs::AccessMode::Write) != kNev;
    r.push_back(increase ? 0x40 : 0x00);
    using M = fs::AccessMode;
    r.push_back(static_cast<std::uint8_t>(gsmLevel(f, M::Read) << 4 | gsmLevel(f, M::Update)));          // byte 9
    r.push_back(static_cast<std::uint8_t>(gsmLevel(f, M::Write) << 4));  // byte 10: INCREASE, RFU
    r.push_back(static_cast<std::uint8_t>(gsmLevel(f, M::Activate) << 4 | gsmLevel(f, M::Deactivate)));  // byte 11
    r.push_back(f.lifeCycle == fs::LifeCycle::Deactivated ? 0x00 : 0x01);  // byte 12: b1 = not invalidated
    r.push_back(0x02);                                                    // byte 13
    r.push_back(gsmStructure(f));                                         // byte 14
    r.push_back(f.isRecordEf() ? static_cast<std::uint8_t>(f.recordSize) : 0x00);  // byte 15
    return r;
}

Bytes uiccFcp(const fs::File& f, const PinView& v) {
    Bytes body;
    if (f.isDf()) {
        tlv(body, 0x82, Bytes{0x78, 0x21});  // DF, shareable (TS 102 221 §11.1.1.4.3)
    } else {
        const std::uint8_t fdb = f.structure() == fs::FileStructure::Transparent ? 0x41
                                 : f.structure() == fs::FileStructure::Cyclic    ? 0x46
                                                                                 : 0x42;
        if (f.isRecordEf())
            tlv(body, 0x82, Bytes{fdb, 0x21, static_cast<std::uint8_t>(f.recordSize >> 8),
                                  static_cast<std::uint8_t>(f.recordSize), static_cast<std::uint8_t>(f.records.size())});
        else
            tlv(body, 0x82, Bytes{fdb, 0x21});
    }
    tlv(body, 0x83, Bytes{static_cast<std::uint8_t>(f.fid() >> 8), static_cast<std::uint8_t>(f.fid())});
    if (f.isDf() && !f.dfName.empty()) tlv(body, 0x84, f.dfName);
    if (f.isDf() && !f.parent()) tlv(body, 0xA5, Bytes{0x80, 0x01, 0x71});  // UICC characteristics
    tlv(body, 0x8A, Bytes{f.lifeCycle == fs::LifeCycle::Deactivated ? std::uint8_t{0x04} : std::uint8_t{0x05}});
    tlv(body, 0x8C, f.compactSecurity.empty() ? Bytes{0x00} : f.compactSecurity);
    if (f.isDf()) {
        // §9.5.2 PIN status template DO: PS_DO bitmap (b8 first reference: enabled), then the
        // key references (95 usage qualifier 08 = user verification before PIN1).
        const bool app = !f.dfName.empty();
        Bytes c6 = {0x90, 0x01, 0x00, 0x95, 0x01, 0x08, 0x83, 0x01, kPin1};
        std::uint8_t ps = v.disabled.count(kPin1) ? 0x00 : 0x80;
        if (app) {
            append(c6, Bytes{0x83, 0x01, kPin2});
            ps |= 0x40;
        }
        append(c6, Bytes{0x83, 0x01, kAdm1});
        ps |= app ? 0x20 : 0x40;
        c6[2] = ps;
        tlv(body, 0xC6, c6);
    } else {
        const std::size_t size = fileSize(f);
        tlv(body, 0x80, Bytes{static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)});
        tlv(body, 0x88, f.sfi ? Bytes{static_cast<std::uint8_t>(*f.sfi << 3)} : Bytes{});
    }
    Bytes out = {0x62, static_cast<std::uint8_t>(body.size())};
    append(out, body);
    return out;
}

}  // namespace vpcsc::vicc::sim
