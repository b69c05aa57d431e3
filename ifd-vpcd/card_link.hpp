// The reader side of one vpcd exchange (reference/vpcd-vsmartcard.md §1.1) over a connected
// transport: one frame per write (common/vpcd_protocol encodeFrame), answers reassembled with
// one recv per frame where the kernel allows it; bytes beyond the frame stay with the connection as
// unsolicited (TcpConnection::keepUnsolicited), so the next exchange refuses them.
// Throws TransportError (timeout, closed) or ParseError (the card broke the protocol).
#pragma once

#include "common/bytes.hpp"
#include "common/vpcd_protocol.hpp"
#include "ifd-vpcd/tcp_transport.hpp"

namespace vpcsc::ifd {

constexpr std::size_t kMaxAtrLength = 33;  // ISO/IEC 7816-3 §8.2.1: at most 32 bytes after TS

class CardLink {
public:
    CardLink(TcpConnection& conn, Clock::time_point deadline) : m_conn(conn), m_deadline(deadline) {}

    // 00 power off, 01 power on, 02 reset: the card sends no answer.
    void control(vpcd::Control c);
    // 04 GET ATR → the ATR, validated to 1..33 bytes.
    Bytes getAtr();
    // Command APDU (2..65535 bytes; a 1-byte payload would be read as a control byte) →
    // response APDU (at least SW1 SW2).
    Bytes transmit(ByteView commandApdu);

private:
    Bytes receiveFrame();

    TcpConnection& m_conn;
    Clock::time_point m_deadline;
};

}  // namespace vpcsc::ifd
