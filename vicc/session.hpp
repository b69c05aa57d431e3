// The vicc runtime: one card behind one transport until SIGINT/SIGTERM. Reads vpcd frames,
// drives the card (control bytes silently, GET ATR and APDUs answered), saves the card image
// whenever the card reports a change, and reconnects with exponential backoff whenever the
// reader is not there yet, goes away or sends something malformed. Nothing the reader does
// ends the session; only the stop descriptor does.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/vpcd_protocol.hpp"
#include "vicc/card.hpp"
#include "vicc/transports/transport.hpp"

namespace vpcsc::vicc {

struct SessionConfig {
    std::string typeName;                    // written to the image's "type"
    std::optional<std::string> imagePath;    // -f: saved when dirty and at the end
    std::optional<Bytes> atr;                // --atr / the image's ATR: wins over Card::atr()
    std::function<void(std::string_view)> trace;  // --trace: one line per command and response
    // --pcap / --gsmtap (vicc/trace/): every command with its response, and every ATR sent
    std::function<void(ByteView command, ByteView response)> onExchange;
    std::function<void(ByteView atr)> onAtr;
    int stopFd = -1;                         // readable = stop (signalfd, eventfd in tests)
    int backoffMinMs = 100;                  // first retry delay, doubled up to backoffMaxMs
    int backoffMaxMs = 5000;
};

class Session {
public:
    Session(Card& card, Transport& transport, SessionConfig config);
    // Serves readers until the stop descriptor fires, then saves the image (if any).
    void run();
    // Writes the image now if there is one; false (and logged) if that failed.
    bool save();
    // The ATR the reader gets: the configured override, else the card's.
    Bytes atr() const;

private:
    // Serves one connection until the reader closes it. Throws TransportError, ParseError
    // (malformed frame), Stopped.
    void serve(Link& link);
    // The answer to one frame, or nullopt for control bytes that get none.
    std::optional<Bytes> answer(const vpcd::ReaderMessage& message);
    Bytes processApdu(ByteView command);
    void saveIfDirty();
    // Waits while the card is absent (Card::present()); false if the stop descriptor fired.
    bool waitForCard();

    Card& m_card;
    Transport& m_transport;
    SessionConfig m_config;
    bool m_saveFailed = false;  // retried after the next command and at the end
};

// One --trace line for a command APDU ("> 00 A4 00 0C 02 3F 00  SELECT") and for a response
// ("< 6A 82  6A82 file or application not found"). Data of PIN commands is masked.
std::string traceCommand(ByteView command);
std::string traceResponse(ByteView response);

}  // namespace vpcsc::vicc
