#include "ifd-vpcd/card_link.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace vpcsc::ifd {

void CardLink::control(vpcd::Control c) { m_conn.sendAll(vpcd::encodeControl(c), m_deadline); }

Bytes CardLink::getAtr() {
    control(vpcd::Control::GetAtr);
    Bytes atr = receiveFrame();
    if (atr.empty() || atr.size() > kMaxAtrLength)
        throw ParseError("card answered GET ATR with " + std::to_string(atr.size()) + " bytes (ATR must be 1..33)");
    return atr;
}

Bytes CardLink::transmit(ByteView commandApdu) {
    m_conn.sendAll(vpcd::encodeFrame(commandApdu), m_deadline);
    Bytes response = receiveFrame();
    if (response.size() < 2)
        throw ParseError("card answered an APDU with " + std::to_string(response.size()) +
                         " byte(s); a response APDU has at least SW1 SW2");
    return response;
}

Bytes CardLink::receiveFrame() {
    vpcd::FrameDecoder decoder;
    std::array<std::uint8_t, 16384> chunk;
    while (true) {
        if (auto frame = decoder.next()) return std::move(*frame);
        // missing() never exceeds the rest of the current frame: nothing beyond it is consumed.
        const std::size_t want = std::min(decoder.missing(), chunk.size());
        const std::size_t got = m_conn.recvSome(std::span(chunk.data(), want), m_deadline);
        decoder.feed(ByteView(chunk.data(), got));
    }
}

}  // namespace vpcsc::ifd
