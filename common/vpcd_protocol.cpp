#include "common/vpcd_protocol.hpp"

namespace vpcsc::vpcd {

const char* controlName(Control c) {
    switch (c) {
        case Control::PowerOff: return "POWER OFF";
        case Control::PowerOn: return "POWER ON";
        case Control::Reset: return "RESET";
        case Control::GetAtr: return "GET ATR";
    }
    return "?";
}

Bytes encodeFrame(ByteView payload) {
    if (payload.size() > kMaxPayload)
        throw ParseError("vpcd: payload of " + std::to_string(payload.size()) + " bytes exceeds 65535");
    Bytes out;
    out.reserve(kHeaderSize + payload.size());
    appendBe16(out, static_cast<std::uint16_t>(payload.size()));
    append(out, payload);
    return out;
}

Bytes encodeControl(Control c) {
    const std::uint8_t b = static_cast<std::uint8_t>(c);
    return encodeFrame(ByteView(&b, 1));
}

ReaderMessage classifyReaderMessage(ByteView payload) {
    if (payload.empty()) throw ParseError("vpcd: empty frame");
    if (payload.size() == 1) {
        switch (payload[0]) {
            case 0x00: return {Control::PowerOff, {}};
            case 0x01: return {Control::PowerOn, {}};
            case 0x02: return {Control::Reset, {}};
            case 0x04: return {Control::GetAtr, {}};
            default:
                throw ParseError("vpcd: unknown control byte " + toHex(payload));
        }
    }
    return {std::nullopt, payload};
}

void FrameDecoder::feed(ByteView bytes) { append(m_buffer, bytes); }

std::optional<Bytes> FrameDecoder::next() {
    if (m_buffer.size() < kHeaderSize) return std::nullopt;
    const std::size_t len = readBe16(m_buffer, 0);
    if (m_buffer.size() < kHeaderSize + len) return std::nullopt;
    Bytes payload(m_buffer.begin() + kHeaderSize, m_buffer.begin() + static_cast<long>(kHeaderSize + len));
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<long>(kHeaderSize + len));
    return payload;
}

std::size_t FrameDecoder::missing() const {
    if (m_buffer.size() < kHeaderSize) return kHeaderSize - m_buffer.size();
    const std::size_t need = kHeaderSize + readBe16(m_buffer, 0);
    return m_buffer.size() >= need ? 0 : need - m_buffer.size();
}

}  // namespace vpcsc::vpcd
