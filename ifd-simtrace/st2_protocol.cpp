#include "ifd-simtrace/st2_protocol.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace vpcsc::st2 {
namespace {

std::uint16_t le16(ByteView d, std::size_t off) {
    if (off > d.size() || d.size() - off < 2) throw ParseError("st2: 16-bit field past end of message");
    return static_cast<std::uint16_t>(d[off] | d[off + 1] << 8);
}

std::uint32_t le32(ByteView d, std::size_t off) {
    if (off > d.size() || d.size() - off < 4) throw ParseError("st2: 32-bit field past end of message");
    return static_cast<std::uint32_t>(d[off]) | static_cast<std::uint32_t>(d[off + 1]) << 8 |
           static_cast<std::uint32_t>(d[off + 2]) << 16 | static_cast<std::uint32_t>(d[off + 3]) << 24;
}

void put16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

void put32(Bytes& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void need(ByteView payload, std::size_t n, const char* what) {
    if (payload.size() < n)
        throw ParseError(std::string("st2: ") + what + " payload is " + std::to_string(payload.size()) +
                         " bytes, needs " + std::to_string(n));
}

Header parseHeader(ByteView d) {
    if (d.size() < kHeaderSize)
        throw ParseError("st2: message of " + std::to_string(d.size()) + " bytes is shorter than the header");
    Header h;
    h.msgClass = d[0];
    h.msgType = d[1];
    h.seqNr = d[2];
    h.slotNr = d[3];
    h.reserved = le16(d, 4);
    h.msgLen = le16(d, 6);
    if (h.msgLen < kHeaderSize) throw ParseError("st2: msg_len " + std::to_string(h.msgLen) + " < header size");
    if (h.msgLen > kMaxMessage) throw ParseError("st2: msg_len " + std::to_string(h.msgLen) + " > 280");
    return h;
}

}  // namespace

Message parseMessage(ByteView transfer) {
    if (transfer.size() > kMaxMessage)
        throw ParseError("st2: transfer of " + std::to_string(transfer.size()) + " bytes exceeds 280");
    Message m{parseHeader(transfer), {}};
    if (m.header.msgLen != transfer.size())
        throw ParseError("st2: msg_len " + std::to_string(m.header.msgLen) + " but transfer has " +
                         std::to_string(transfer.size()) + " bytes");
    m.payload = transfer.subspan(kHeaderSize);
    return m;
}

std::vector<Message> splitMessages(ByteView transfer) {
    std::vector<Message> out;
    std::size_t off = 0;
    while (off < transfer.size()) {
        const ByteView rest = transfer.subspan(off);
        const Header h = parseHeader(rest);
        if (h.msgLen > rest.size())
            throw ParseError("st2: msg_len " + std::to_string(h.msgLen) + " but only " + std::to_string(rest.size()) +
                             " bytes left");
        out.push_back({h, rest.subspan(kHeaderSize, h.msgLen - kHeaderSize)});
        off += h.msgLen;
    }
    return out;
}

Bytes encodeMessage(MsgClass c, std::uint8_t type, ByteView payload, std::uint8_t slot) {
    if (payload.size() > kMaxMessage - kHeaderSize)
        throw ParseError("st2: payload of " + std::to_string(payload.size()) + " bytes does not fit a message");
    Bytes out{static_cast<std::uint8_t>(c), type, 0, slot, 0, 0};
    put16(out, static_cast<std::uint16_t>(kHeaderSize + payload.size()));
    append(out, payload);
    return out;
}

Bytes encodeData(const DataPayload& d) {
    if (d.data.size() > kMaxMessage - kHeaderSize - 6) throw ParseError("st2: data too long for one message");
    Bytes out;
    put32(out, d.flags);
    put16(out, static_cast<std::uint16_t>(d.data.size()));
    append(out, d.data);
    return out;
}

DataPayload decodeData(ByteView payload) {
    need(payload, 6, "data");
    DataPayload d;
    d.flags = le32(payload, 0);
    const std::uint16_t len = le16(payload, 4);
    if (len != payload.size() - 6)
        throw ParseError("st2: data_len " + std::to_string(len) + " but " + std::to_string(payload.size() - 6) +
                         " data bytes");
    d.data.assign(payload.begin() + 6, payload.end());
    return d;
}

Bytes encodeStatus(const Status& s) {
    Bytes out;
    put32(out, s.flags);
    put16(out, s.voltageMv);
    out.push_back(s.fIndex);
    out.push_back(s.dIndex);
    out.push_back(s.wi);
    put32(out, s.waitingTime);
    return out;
}

Status decodeStatus(ByteView payload) {
    need(payload, kStatusSize, "status");
    Status s;
    s.flags = le32(payload, 0);
    s.voltageMv = le16(payload, 4);
    s.fIndex = payload[6];
    s.dIndex = payload[7];
    s.wi = payload[8];
    s.waitingTime = le32(payload, 9);
    return s;
}

Bytes encodePts(const Pts& p) {
    Bytes out{p.length};
    out.insert(out.end(), p.request.begin(), p.request.end());
    out.insert(out.end(), p.response.begin(), p.response.end());
    return out;
}

Pts decodePts(ByteView payload) {
    need(payload, kPtsSize, "pts_info");
    Pts p;
    p.length = payload[0];
    if (p.length > 6) throw ParseError("st2: pts_len " + std::to_string(p.length) + " > 6");
    std::copy(payload.begin() + 1, payload.begin() + 7, p.request.begin());
    std::copy(payload.begin() + 7, payload.begin() + 13, p.response.begin());
    return p;
}

Bytes encodeConfig(const Config& c) {
    Bytes out;
    put32(out, c.features);
    if (c.slotMux) {
        out.push_back(*c.slotMux);
        if (c.presPol) out.push_back(*c.presPol);
    }
    return out;
}

Config decodeConfig(ByteView payload) {
    need(payload, 4, "config");
    Config c;
    c.features = le32(payload, 0);
    if (payload.size() >= 5) c.slotMux = payload[4];
    if (payload.size() >= 6) c.presPol = payload[5];
    return c;
}

Bytes encodeSetAtr(ByteView atr) {
    if (atr.empty() || atr.size() > kMaxAtr)
        throw ParseError("st2: ATR of " + std::to_string(atr.size()) + " bytes (1..33 allowed)");
    Bytes out{static_cast<std::uint8_t>(atr.size())};
    append(out, atr);
    return out;
}

Bytes decodeSetAtr(ByteView payload) {
    need(payload, 1, "set_atr");
    const std::size_t len = payload[0];
    if (len > kMaxAtr) throw ParseError("st2: atr_len " + std::to_string(len) + " > 33");
    if (payload.size() - 1 < len) throw ParseError("st2: atr_len " + std::to_string(len) + " past end of message");
    return Bytes(payload.begin() + 1, payload.begin() + 1 + static_cast<long>(len));
}

Bytes encodeModemReset(const ModemReset& r) {
    Bytes out{r.asserted};
    put16(out, r.pulseMs);
    return out;
}

ModemReset decodeModemReset(ByteView payload) {
    need(payload, 3, "modem_reset");
    return {payload[0], le16(payload, 1)};
}

Bytes encodeByte(std::uint8_t value) { return Bytes{value}; }

std::uint8_t decodeByte(ByteView payload) {
    need(payload, 1, "one-byte");
    return payload[0];
}

Bytes encodeU32(std::uint32_t value) {
    Bytes out;
    put32(out, value);
    return out;
}

std::uint32_t decodeU32(ByteView payload) {
    need(payload, 4, "flags");
    return le32(payload, 0);
}

Bytes txData(std::uint32_t flags, ByteView data) {
    return encodeMessage(MsgClass::Cardem, cardem::DT_TX_DATA, encodeData({flags, Bytes(data.begin(), data.end())}));
}
Bytes setAtr(ByteView atr) { return encodeMessage(MsgClass::Cardem, cardem::DT_SET_ATR, encodeSetAtr(atr)); }
Bytes cardInsert(bool inserted) {
    return encodeMessage(MsgClass::Cardem, cardem::DT_CARDINSERT, encodeByte(inserted ? 1 : 0));
}
Bytes config(const Config& c) { return encodeMessage(MsgClass::Cardem, cardem::BD_CONFIG, encodeConfig(c)); }
Bytes statusRequest() { return encodeMessage(MsgClass::Cardem, cardem::BD_STATUS, {}); }
Bytes simSelect(bool remote) {
    return encodeMessage(MsgClass::Modem, modem::DT_SIM_SELECT, encodeByte(remote ? 1 : 0));
}
Bytes modemReset(const ModemReset& r) {
    return encodeMessage(MsgClass::Modem, modem::DT_RESET, encodeModemReset(r));
}

const char* messageName(const Header& h) {
    switch (static_cast<MsgClass>(h.msgClass)) {
        case MsgClass::Generic:
            if (h.msgType == generic::DO_ERROR) return "GENERIC ERROR";
            if (h.msgType == generic::BD_BOARD_INFO) return "GENERIC BOARD_INFO";
            break;
        case MsgClass::Cardem:
            switch (h.msgType) {
                case cardem::DT_TX_DATA: return "CEMU TX_DATA";
                case cardem::DT_SET_ATR: return "CEMU SET_ATR";
                case cardem::BD_STATS: return "CEMU STATS";
                case cardem::BD_STATUS: return "CEMU STATUS";
                case cardem::DT_CARDINSERT: return "CEMU CARDINSERT";
                case cardem::DO_RX_DATA: return "CEMU RX_DATA";
                case cardem::DO_PTS: return "CEMU PTS";
                case cardem::BD_CONFIG: return "CEMU CONFIG";
                default: break;
            }
            break;
        case MsgClass::Modem:
            switch (h.msgType) {
                case modem::DT_RESET: return "MODEM RESET";
                case modem::DT_SIM_SELECT: return "MODEM SIM_SELECT";
                case modem::BD_STATUS: return "MODEM STATUS";
                default: break;
            }
            break;
        case MsgClass::Sniff:
            switch (h.msgType) {
                case sniff::CHANGE: return "SNIFF CHANGE";
                case sniff::FIDI: return "SNIFF FIDI";
                case sniff::ATR: return "SNIFF ATR";
                case sniff::PPS: return "SNIFF PPS";
                case sniff::TPDU: return "SNIFF TPDU";
                default: break;
            }
            break;
    }
    return "unknown";
}

std::string describeFlags(std::uint32_t flags, MsgClass c, std::uint8_t type) {
    struct Name {
        std::uint32_t bit;
        const char* name;
    };
    static const Name data[] = {{DATA_F_TPDU_HDR, "TPDU_HDR"}, {DATA_F_FINAL, "FINAL"},
                                {DATA_F_PB_AND_TX, "PB_AND_TX"}, {DATA_F_PB_AND_RX, "PB_AND_RX"}};
    static const Name status[] = {{STATUS_F_VCC_PRESENT, "VCC"}, {STATUS_F_CLK_ACTIVE, "CLK"},
                                  {STATUS_F_RCEMU_ACTIVE, "RCEMU"}, {STATUS_F_CARD_INSERT, "CARD_INSERT"},
                                  {STATUS_F_RESET_ACTIVE, "RESET"}};
    static const Name sniffs[] = {{SNIFF_CHANGE_CARD_INSERT, "CARD_INSERT"}, {SNIFF_CHANGE_CARD_EJECT, "CARD_EJECT"},
                                  {SNIFF_CHANGE_RESET_ASSERT, "RESET_ASSERT"},
                                  {SNIFF_CHANGE_RESET_DEASSERT, "RESET_DEASSERT"},
                                  {SNIFF_CHANGE_TIMEOUT_WT, "TIMEOUT_WT"}, {SNIFF_DATA_ERROR_INCOMPLETE, "INCOMPLETE"},
                                  {SNIFF_DATA_ERROR_MALFORMED, "MALFORMED"}, {SNIFF_DATA_ERROR_CHECKSUM, "CHECKSUM"},
                                  {SNIFF_DATA_ERROR_OVERRUN, "OVERRUN"}, {SNIFF_DATA_ERROR_FRAMING, "FRAMING"},
                                  {SNIFF_DATA_ERROR_PARITY, "PARITY"}};
    const Name* begin = sniffs;
    const Name* end = sniffs + std::size(sniffs);
    if (c == MsgClass::Cardem && type == cardem::BD_STATUS) {
        begin = status;
        end = status + std::size(status);
    } else if (c == MsgClass::Cardem) {
        begin = data;
        end = data + std::size(data);
    }
    std::string out;
    std::uint32_t rest = flags;
    for (const Name* n = begin; n != end; ++n) {
        if (flags & n->bit) {
            if (!out.empty()) out += '|';
            out += n->name;
            rest &= ~n->bit;
        }
    }
    if (rest) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%x", rest);
        if (!out.empty()) out += '|';
        out += buf;
    }
    return out.empty() ? "0" : out;
}

}  // namespace vpcsc::st2
