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

void FrameDecoder::feed(ByteView bytes) {
    if (m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    } else if (m_start > kHeaderSize + kMaxPayload) {  // compact rarely: amortised O(1) per byte
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<long>(m_start));
        m_start = 0;
    }
    append(m_buffer, bytes);
}

std::optional<Bytes> FrameDecoder::next() {
    const std::size_t have = m_buffer.size() - m_start;
    if (have < kHeaderSize) return std::nullopt;
    const std::size_t len = readBe16(m_buffer, m_start);
    if (have < kHeaderSize + len) return std::nullopt;
    const auto begin = m_buffer.begin() + static_cast<long>(m_start + kHeaderSize);
    Bytes payload(begin, begin + static_cast<long>(len));
    m_start += kHeaderSize + len;  // consumed frames are dropped on the next feed(), not moved now
    if (m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    }
    return payload;
}

std::size_t FrameDecoder::missing() const {
    const std::size_t have = m_buffer.size() - m_start;
    if (have < kHeaderSize) return kHeaderSize - have;
    const std::size_t need = kHeaderSize + readBe16(m_buffer, m_start);
    return have >= need ? 0 : need - have;
}

}  // namespace vpcsc::vpcd
