// One pcscd reader context = one Lun (reader << 16 | slot) = one TCP port (base + slot).
// State is per full Lun, so several reader.conf entries and several slots never share anything.
//
// Locking: m_ioMutex is held for a whole card exchange (power, transmit); m_mutex guards the
// state below and is held only briefly, never across blocking I/O. Lock order: io, then state.
// The connection is only dropped by a thread that holds m_ioMutex, so an exchange can use it
// without the state lock.
//
// Presence is event-driven: the polling function (TAG_IFD_POLLING_THREAD_WITH_TIMEOUT) waits on
// the listening socket, the connection (peer hang-up only, so responses do not wake it) and an
// eventfd, and returns to pcscd as soon as what IFDHICCPresence would answer has changed.
// IFDHICCPresence answers from state after a non-blocking health check; no GET ATR round trip.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "common/bytes.hpp"
#include "common/vpcd_protocol.hpp"
#include "ifd-vpcd/device_name.hpp"
#include "ifd-vpcd/tcp_transport.hpp"

namespace vpcsc::ifd {

class Reader {
public:
    // Server mode: binds and listens now (a busy port fails here). Reversed mode: resolves the
    // host now; connecting happens in the background. Throws IfdError.
    Reader(unsigned long lun, DeviceConfig config);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    const DeviceConfig& config() const { return m_config; }
    const std::string& name() const { return m_name; }

    bool present();                      // IFDHICCPresence
    void waitForEvent(int timeoutMs);    // the polling function
    // TAG_IFD_STOP_POLLING_THREAD: the running (or, if none runs, the next) waitForEvent returns
    // at once, one time. pcscd calls it on SCardDisconnect of the last handle to restart the wait
    // with another timeout, not only before it ends the thread (it checks its own flag for that),
    // so a sticky stop would make its event thread spin for good.
    void stopPolling();
    void close();                        // IFDHCloseChannel

    Bytes powerUp();                     // 01, then 04 → ATR (cached)
    Bytes reset();                       // 02, then 04 → ATR (cached)
    void powerDown();                    // 00
    Bytes atr();                         // cached ATR (empty without a card)
    std::size_t transmit(ByteView command, std::span<std::uint8_t> response);
    void setProtocol(unsigned long protocol);

private:
    Bytes power(vpcd::Control control);
    void serviceLocked(bool ioHeld);
    void acceptPendingLocked();
    void progressConnectLocked();
    void dropLocked(const std::string& why);
    [[noreturn]] void exchangeFailed(const std::exception& e, bool timeout);
    void finishExchange();
    TcpConnection& connectionForExchange();

    const unsigned long m_lun;
    const DeviceConfig m_config;
    const std::uint16_t m_port;
    std::string m_name;

    std::mutex m_ioMutex;
    std::mutex m_mutex;  // guards everything below
    std::unique_ptr<TcpListener> m_listener;          // server mode
    std::optional<Endpoint> m_remote;                  // reversed mode
    std::unique_ptr<PendingConnect> m_connecting;      // reversed mode, connect in progress
    Clock::time_point m_nextAttempt{};  // reversed: next connect; server: end of an accept pause
    std::chrono::milliseconds m_backoff;
    std::unique_ptr<TcpConnection> m_conn;
    Bytes m_atr;
    bool m_reportedPresent = false;    // last answer of present()
    bool m_removalUnreported = false;  // a card pcscd saw went away; report absent once
    bool m_pollerBlind = false;        // poller waits without the connection (exchange running)
    bool m_stopRequested = false;      // one-shot, see stopPolling()
    bool m_closing = false;            // close() started: sticky
    bool m_closed = false;
    Waker m_waker;
};

}  // namespace vpcsc::ifd
