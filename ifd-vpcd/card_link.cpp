#include "ifd-vpcd/card_link.hpp"

#include <algorithm>
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
    // One recv(2) usually brings the whole frame (header and payload) after one poll(2). The
    // buffer holds one maximal frame, so it never fills before the frame is complete; bytes
    // beyond the frame are kept as unsolicited, and the next exchange drops the card for them.
    const std::span<std::uint8_t> buf = m_conn.receiveBuffer();
    std::size_t have = 0;
    while (true) {
        if (have >= vpcd::kHeaderSize) {
            const std::size_t need = vpcd::kHeaderSize + readBe16(ByteView(buf.data(), have), 0);
            if (have >= need) {
                if (have > need) m_conn.keepUnsolicited(ByteView(buf.data() + need, have - need));
                return Bytes(buf.begin() + vpcd::kHeaderSize, buf.begin() + static_cast<long>(need));
            }
        }
        have += m_conn.recvSome(buf.subspan(have), m_deadline, have == 0);
    }
}

}  // namespace vpcsc::ifd
