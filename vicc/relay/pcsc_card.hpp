// The real side of the relay card: one reader reached through libpcsclite (doc/relay.md).
//
// The session thread uses the connection (connect, reconnect, transmit); a monitor thread, with
// its own PC/SC context, follows the reader's state with SCardGetStatusChange so that the relay
// knows when the real card leaves and comes back even while nothing is being sent.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::vicc::relay {

// A PC/SC call failed; what() is "SCardConnect on 'Reader': Sharing violation. (0x8010000B)".
struct PcscError : std::runtime_error {
    PcscError(const std::string& what, long rc) : std::runtime_error(what), code(rc) {}
    long code;
};

// --reader N|NAME-SUBSTRING against the current reader list: an index, an exact name, else the
// one reader whose name contains the text. Throws std::runtime_error listing the readers when
// none or several match.
std::string chooseReader(const std::vector<std::string>& readers, const std::string& spec);

struct PcscOptions {
    std::string reader;            // --reader
    bool exclusive = false;        // --exclusive: SCARD_SHARE_EXCLUSIVE
    bool autoGetResponse = false;  // --auto-get-response: 61xx / 6Cxx handled here
};

class PcscCard {
public:
    // Establishes a context and resolves the reader. Throws PcscError (no pcscd) or
    // std::runtime_error (no such reader).
    explicit PcscCard(PcscOptions options);
    ~PcscCard();
    PcscCard(const PcscCard&) = delete;
    PcscCard& operator=(const PcscCard&) = delete;

    const std::string& readerName() const { return m_reader; }
    // Starts the monitor thread (after the self-relay check).
    void startMonitor();
    // The real card is in the reader (the monitor's view) and the connection, if any, is to this
    // insertion of it.
    bool present() const;
    // Readable while present() is false.
    int absentFd() const { return m_absentFd; }
    // Waits up to ms for the reader's state to show a card; true if it does.
    bool waitForCard(int ms);

    bool connected() const { return m_handle != 0; }
    // SCardConnect (shared unless --exclusive, T=0 or T=1). Throws PcscError.
    void connect();
    // SCardDisconnect with that disposition; never throws.
    void disconnect(unsigned long disposition);
    // SCardReconnect: SCARD_RESET_CARD (warm) or SCARD_UNPOWER_CARD (cold). Throws PcscError.
    void reconnect(unsigned long initialization);
    // The ATR of the connected card (SCardStatus).
    Bytes atr();
    // "T=0" / "T=1"
    const char* protocolName() const;
    // One APDU, with 61xx/6Cxx handled when autoGetResponse. Throws PcscError (removed card,
    // reader gone, ...); recovers by itself from a reset done by another application.
    Bytes transmit(ByteView command);

private:
    Bytes transmitOnce(ByteView command);
    void monitor();
    void setPresent(bool present);

    PcscOptions m_options;
    std::string m_reader;
    long m_context = 0;       // SCARDCONTEXT of the session thread
    long m_monitorContext = 0;
    long m_handle = 0;        // SCARDHANDLE, 0 when not connected
    unsigned long m_protocol = 0;
    int m_absentFd = -1;      // eventfd, readable while absent
    std::atomic<bool> m_present{false};
    std::atomic<unsigned> m_insertion{0};  // incremented by the monitor at each insertion
    unsigned m_connectedInsertion = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_monitor;
};

}  // namespace vpcsc::vicc::relay
