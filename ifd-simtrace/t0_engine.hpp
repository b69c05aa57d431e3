// The card side of ISO 7816-3 T=0 for SIMtrace2 card emulation, as a pure state machine.
//
// The firmware hands the driver the phone's 5-byte TPDU header (RX_DATA TPDU_HDR), then, when
// asked with PB_AND_RX, the command data (RX_DATA FINAL); the driver answers with TX_DATA
// PB_AND_TX [INS, data...] + SW (FINAL). Whether P3 is Lc or Le is not visible in the header, so
// it comes from a CLA/INS table (TS 102 221 §10, TS 51.011 §9, ISO 7816-4 §5). The application
// (a PC/SC client acting as the SIM) sees complete short C-APDUs and answers complete R-APDUs;
// the engine does the T=0 shaping:
//  - response data to a case-3 TPDU (APDU case 4, or unexpected data) -> 61xx (9Fxx for CLA A0),
//    data kept for GET RESPONSE, served by the engine in pieces of at most Le;
//  - case-2 TPDU whose response is shorter than Le -> 6Cxx, response kept; the phone's repeated
//    command with P3 = xx is answered from it (ISO 7816-3 §10.3.3);
//  - longer than Le -> Le bytes then 61xx for the rest;
//  - status words the application already shaped for T=0 (61xx, 6Cxx with no data) pass through.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::st2 {

// What P3 of a TPDU means for one CLA/INS, and whether the APDU behind a case-3 TPDU is
// really case 4 (the application is then given Le = 00 so it returns its response data).
enum class P3Meaning : std::uint8_t { Lc, Le };
struct TpduCase {
    P3Meaning p3 = P3Meaning::Lc;
    bool case4 = false;
    bool known = false;  // false: INS not in the table, P3 taken as Lc
};
TpduCase classifyTpdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2);

class T0Engine {
public:
    enum class State { WaitHeader, WaitData, WaitResponse };

    struct TxRequest {  // one DT_CEMU_TX_DATA
        std::uint32_t flags = 0;
        Bytes data;
        bool operator==(const TxRequest&) const = default;
    };
    struct Result {
        std::vector<TxRequest> tx;    // to send to the firmware, in order
        std::optional<Bytes> command;  // a complete C-APDU for the application
    };

    // A DO_CEMU_RX_DATA from the firmware. Throws ParseError (and resets to WaitHeader) on a
    // message that does not fit the current state; a TPDU header is always accepted and drops a
    // command still waiting for its response (the phone moved on).
    Result onRxData(std::uint32_t flags, ByteView data);
    // The application's R-APDU (data + SW1 SW2) for the command last returned. Throws ParseError
    // when no command waits or the R-APDU is shorter than 2 bytes (state unchanged).
    std::vector<TxRequest> onResponse(ByteView rapdu);
    // Phone reset or power loss: all TPDU state, pending GET RESPONSE data and the 6Cxx cache go.
    void reset();

    State state() const { return m_state; }
    // The TPDU header being processed (valid outside WaitHeader).
    ByteView header() const { return m_header; }

private:
    std::vector<TxRequest> finalSw(std::uint8_t sw1, std::uint8_t sw2) const;
    std::vector<TxRequest> sendData(ByteView data, std::uint8_t sw1, std::uint8_t sw2) const;
    std::vector<TxRequest> serveGetResponse(std::size_t ne);
    std::vector<TxRequest> answerCase2(Bytes data, std::uint8_t sw1, std::uint8_t sw2);
    std::uint8_t moreDataSw1() const;

    State m_state = State::WaitHeader;
    Bytes m_header;        // CLA INS P1 P2 P3
    TpduCase m_case;
    Bytes m_data;          // command data received so far
    // Response data (+ final SW) left for GET RESPONSE.
    std::optional<Bytes> m_pending;
    // After 6Cxx: the command header (CLA INS P1 P2), the exact P3 expected and the response.
    struct Retry {
        Bytes header;
        std::uint8_t p3 = 0;
        Bytes response;  // data + SW
    };
    std::optional<Retry> m_retry;
};

}  // namespace vpcsc::st2
