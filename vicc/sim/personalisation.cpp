#include "vicc/sim/personalisation.hpp"

#include "vicc/sim/default_fs.hpp"
#include "vicc/sim/encoding.hpp"
#include "vicc/sim/milenage.hpp"
#include "vicc/sim/sim_card.hpp"

namespace vpcsc::vicc::sim {

namespace {

Bytes key(const std::string& option, const std::string& hex) {
    Bytes k;
    try {
        k = fromHex(hex);
    } catch (const ParseError&) {
        throw EncodingError(option + ": not hexadecimal");
    }
    if (k.size() != 16) throw EncodingError(option + ": 16 bytes (32 hex digits) expected, got " + std::to_string(k.size()));
    return k;
}

template <class F>
auto withOption(const std::string& option, F f) {
    try {
        return f();
    } catch (const EncodingError& e) {
        throw EncodingError(option + ": " + e.what());
    }
}

}  // namespace

Personalisation personalisationFrom(const CardOptions& o) { return {o.imsi, o.iccid, o.ki, o.opc, o.op, o.msisdn}; }

void personalise(SimCard& card, const Personalisation& p) {
    if (p.empty()) return;
    // 1. validate and encode everything
    if (!p.opc.empty() && !p.op.empty()) throw EncodingError("--opc and --op exclude each other");
    const Bytes imsi = p.imsi.empty() ? Bytes{} : withOption("--imsi", [&] { return encodeImsi(p.imsi); });
    const Bytes iccid = p.iccid.empty() ? Bytes{} : withOption("--iccid", [&] { return encodeIccid(p.iccid); });
    const Bytes msisdn = p.msisdn.empty() ? Bytes{} : withOption("--msisdn", [&] { return encodeDiallingNumber(p.msisdn); });
    const Bytes ki = p.ki.empty() ? card.authentication().ki : key("--ki", p.ki);
    Bytes opc = card.authentication().opc;
    if (!p.opc.empty()) opc = key("--opc", p.opc);
    if (!p.op.empty()) opc = milenageOpc(ki, key("--op", p.op));  // TS 35.206 §4.1

    // 2. write
    fs::File& mf = card.fileSystem().mf();
    if (!imsi.empty()) {
        for (fs::File* f : filesWithFid(mf, kEfImsi)) f->data = imsi;
        // TS 22.011 §4.2: access class 0-9 from the last IMSI digit (EF.ACC, TS 31.102 §4.2.15)
        const unsigned cls = static_cast<unsigned>(p.imsi.back() - '0');
        for (fs::File* f : filesWithFid(mf, kEfAcc))
            f->data = {static_cast<std::uint8_t>((1u << cls) >> 8), static_cast<std::uint8_t>(1u << cls)};
    }
    if (!iccid.empty())
        for (fs::File* f : filesWithFid(mf, kEfIccid)) f->data = iccid;
    if (!msisdn.empty()) {
        for (fs::File* f : filesWithFid(mf, kEfMsisdn)) {
            if (f->records.empty() || f->recordSize < 14) continue;
            Bytes rec = f->records[0];
            std::copy(msisdn.begin(), msisdn.end(), rec.end() - 14);
            rec[rec.size() - 2] = 0xFF;
            rec[rec.size() - 1] = 0xFF;
            f->records[0] = rec;
        }
    }
    card.authentication().ki = ki;
    card.authentication().opc = opc;
    card.changed();
}

}  // namespace vpcsc::vicc::sim
