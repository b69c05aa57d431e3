// The vpcd wire protocol (vsmartcard's vpcd <-> vicc over TCP), byte-exact with vsmartcard:
// every message in both directions is a 2-byte big-endian length N followed by N bytes.
// From the reader: a 1-byte payload is a control byte, anything longer a command APDU.
// From the card: the ATR (answer to GET ATR) or a response APDU. Control 00/01/02 get no answer.
// Shared by ifd-vpcd (reader side) and vicc (card side); pure: no socket code here.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.hpp"

namespace vpcsc::vpcd {

constexpr std::uint16_t kDefaultPort = 0x8C7B;  // 35963; slot i listens on kDefaultPort + i
constexpr std::size_t kMaxPayload = 0xFFFF;     // the length field is 16 bits
constexpr std::size_t kHeaderSize = 2;

enum class Control : std::uint8_t { PowerOff = 0x00, PowerOn = 0x01, Reset = 0x02, GetAtr = 0x04 };

const char* controlName(Control c);

// Length header + payload in one buffer, so a sender can write a frame with a single call
// (two writes trigger Nagle + delayed ACK: 40 ms per APDU). Throws ParseError above kMaxPayload.
Bytes encodeFrame(ByteView payload);
Bytes encodeControl(Control c);

// What a card receives: a control byte or a command APDU.
struct ReaderMessage {
    std::optional<Control> control;  // set for 1-byte payloads
    ByteView apdu;                   // the command APDU otherwise (views the decoded payload)
};
// Throws ParseError for an empty payload or an unknown control byte.
ReaderMessage classifyReaderMessage(ByteView payload);

// Incremental frame reassembly for stream sockets: feed() whatever recv() returned, then take
// complete payloads with next(). Never buffers more than one maximal frame beyond what is fed.
class FrameDecoder {
public:
    void feed(ByteView bytes);
    // The next complete payload, or nullopt if more bytes are needed.
    std::optional<Bytes> next();
    // Bytes still needed to complete the frame in progress (2 when idle).
    std::size_t missing() const;
    bool idle() const { return m_start == m_buffer.size(); }
    void reset() {
        m_buffer.clear();
        m_start = 0;
    }

private:
    Bytes m_buffer;
    std::size_t m_start = 0;  // first byte not yet returned by next()
};

}  // namespace vpcsc::vpcd
