#include "ifd-vpcd/reader.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "common/log.hpp"
#include "ifd-vpcd/atr_protocols.hpp"
#include "ifd-vpcd/card_link.hpp"
#include "common/ifd_error.hpp"

namespace vpcsc::ifd {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMinBackoff{10};    // reversed mode: first retry after a refused connect
constexpr milliseconds kMaxBackoff{250};   // ... doubling up to this (bounds insertion latency)
constexpr milliseconds kBlindWaitCap{50};  // poller re-checks this often while an exchange runs
constexpr milliseconds kAcceptPause{100};  // after accept() failed (EMFILE ...), do not spin

milliseconds until(Clock::time_point t, Clock::time_point now) {
    if (t <= now) return milliseconds(0);
    return std::chrono::ceil<milliseconds>(std::min(t - now, Clock::duration(std::chrono::hours(1))));
}

std::string lunText(unsigned long lun) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "Lun 0x%05lX", lun);
    return buf;
}

}  // namespace

Reader::Reader(unsigned long lun, DeviceConfig config)
    : m_lun(lun),
      m_config(std::move(config)),
      m_port(static_cast<std::uint16_t>(m_config.port + (lun & 0xFFFF))),
      m_backoff(kMinBackoff) {
    const unsigned long slot = lun & 0xFFFF;
    if (m_config.port + slot > 65535)
        throw IfdError(IfdCode::CommunicationError, lunText(lun) + ": port " + std::to_string(m_config.port) +
                                                        " + slot " + std::to_string(slot) + " exceeds 65535");
    if (slot >= m_config.slots)
        LOG_WARNING("%s: slot %lu is beyond slots=%u of this DEVICENAME", lunText(lun).c_str(), slot, m_config.slots);
    try {
        if (m_config.mode == DeviceConfig::Mode::Server) {
            m_listener = std::make_unique<TcpListener>(numericEndpoint(m_config.bind, m_port));
            m_name = lunText(lun) + " (listening on " + m_listener->address() + ")";
        } else {
            m_remote = resolveEndpoint(m_config.host, m_port);
            m_name = lunText(lun) + " (reversed, card at " + m_remote->text + ")";
        }
    } catch (const TransportError& e) {
        throw IfdError(IfdCode::CommunicationError, lunText(lun) + ": " + e.what());
    }
    LOG_INFO("%s: ready, response timeout %llds", m_name.c_str(), static_cast<long long>(m_config.timeout.count()));
}

Reader::~Reader() = default;

// ---- presence ----------------------------------------------------------------------------------

bool Reader::present() {
    std::unique_lock io(m_ioMutex, std::try_to_lock);
    std::lock_guard st(m_mutex);
    if (m_closed) throw IfdError(IfdCode::NoSuchDevice, m_name + ": closed");
    serviceLocked(io.owns_lock());
    if (m_removalUnreported) {  // pcscd must see the old card leave before a new one arrives
        m_removalUnreported = false;
        m_reportedPresent = false;
        return false;
    }
    m_reportedPresent = m_conn != nullptr;
    return m_reportedPresent;
}

void Reader::waitForEvent(int timeoutMs) {
    const auto start = Clock::now();
    const auto deadline = timeoutMs < 0 ? Clock::time_point::max() : start + milliseconds(timeoutMs);
    while (true) {
        std::vector<PollItem> items;
        milliseconds wait;
        {
            std::unique_lock io(m_ioMutex, std::try_to_lock);
            std::lock_guard st(m_mutex);
            if (m_closing || m_closed) return;
            if (m_stopRequested) {
                m_stopRequested = false;
                return;
            }
            serviceLocked(io.owns_lock());
            if (m_removalUnreported || (m_conn != nullptr) != m_reportedPresent) return;
            const auto now = Clock::now();
            if (now >= deadline) return;
            wait = until(deadline, now);
            items.push_back({m_waker.fd(), PollItem::Want::Read});
            if (m_listener) {
                if (now >= m_nextAttempt) items.push_back({m_listener->fd(), PollItem::Want::Read});
                else wait = std::min(wait, until(m_nextAttempt, now));
            }
            m_pollerBlind = false;
            if (m_conn) {
                if (io.owns_lock()) {
                    items.push_back({m_conn->fd(), PollItem::Want::Hangup});
                } else {  // an exchange owns the socket: it wakes us when done
                    m_pollerBlind = true;
                    wait = std::min(wait, kBlindWaitCap);
                }
            }
            if (m_connecting) items.push_back({m_connecting->fd(), PollItem::Want::Write});
            else if (m_remote && !m_conn) wait = std::min(wait, until(m_nextAttempt, now));
        }
        // An fd closed meanwhile by another thread is always accompanied by m_waker.wake().
        pollFds(items, wait);
        if (items.front().ready) m_waker.drain();
    }
}

void Reader::stopPolling() {
    std::lock_guard st(m_mutex);
    m_stopRequested = true;
    m_waker.wake();
}

void Reader::close() {
    {
        std::lock_guard st(m_mutex);
        m_closing = true;
        if (m_conn) m_conn->abort();  // a running exchange fails now instead of at its timeout
        m_waker.wake();
    }
    std::lock_guard io(m_ioMutex);
    std::lock_guard st(m_mutex);
    if (m_conn) LOG_INFO("%s: closing connection to card %s", m_name.c_str(), m_conn->peer().c_str());
    m_closed = true;
    m_conn.reset();
    m_connecting.reset();
    m_listener.reset();
    m_atr.clear();
    LOG_INFO("%s: closed", m_name.c_str());
}

void Reader::serviceLocked(bool ioHeld) {
    if (m_closed) return;
    if (m_conn && ioHeld) {
        switch (m_conn->probeIdle()) {
            case TcpConnection::IdleState::Quiet: break;
            case TcpConnection::IdleState::Eof: dropLocked("card disconnected"); break;
            case TcpConnection::IdleState::Readable:
                dropLocked("protocol violation: unsolicited bytes from the card");
                break;
            case TcpConnection::IdleState::Failed: dropLocked("socket error"); break;
        }
    }
    if (m_removalUnreported) return;  // leave new cards in the backlog until pcscd saw the removal
    if (m_listener) acceptPendingLocked();
    if (m_remote && !m_conn) progressConnectLocked();
}

void Reader::acceptPendingLocked() {
    if (Clock::now() < m_nextAttempt) return;
    try {
        while (auto c = m_listener->acceptOne()) {
            if (m_conn) {  // one card per slot: never leave a second one queued in the backlog
                LOG_WARNING("%s: refused connection from %s: slot already holds the card from %s", m_name.c_str(),
                            c->peer().c_str(), m_conn->peer().c_str());
                continue;  // c goes out of scope: closed
            }
            LOG_INFO("%s: card connected from %s", m_name.c_str(), c->peer().c_str());
            m_conn = std::move(c);
            m_waker.wake();
        }
    } catch (const TransportError& e) {
        LOG_ERROR("%s: %s", m_name.c_str(), e.what());
        m_nextAttempt = Clock::now() + kAcceptPause;
    }
}

void Reader::progressConnectLocked() {
    const auto now = Clock::now();
    std::string error;
    if (!m_connecting) {
        if (now < m_nextAttempt) return;
        try {
            m_connecting = std::make_unique<PendingConnect>(*m_remote);
        } catch (const TransportError& e) {
            error = e.what();
        }
    }
    if (m_connecting) {
        switch (m_connecting->check(error)) {
            case PendingConnect::Status::Pending: return;
            case PendingConnect::Status::Connected:
                m_conn = m_connecting->take();
                m_connecting.reset();
                m_backoff = kMinBackoff;
                LOG_INFO("%s: connected to card", m_name.c_str());
                m_waker.wake();
                return;
            case PendingConnect::Status::Failed:
                m_connecting.reset();
                m_waker.wake();  // the poller may be waiting on the fd just closed
                break;
        }
    }
    LOG_DEBUG("%s: %s; retry in %lld ms", m_name.c_str(), error.c_str(), static_cast<long long>(m_backoff.count()));
    m_nextAttempt = now + m_backoff;
    m_backoff = std::min(m_backoff * 2, kMaxBackoff);
}

void Reader::dropLocked(const std::string& why) {
    if (!m_conn) return;
    LOG_INFO("%s: card %s removed: %s", m_name.c_str(), m_conn->peer().c_str(), why.c_str());
    m_conn.reset();
    m_atr.clear();
    if (m_reportedPresent) m_removalUnreported = true;
    if (m_remote) {
        m_backoff = kMinBackoff;
        m_nextAttempt = Clock::now() + kMinBackoff;
    }
    m_pollerBlind = false;
    m_waker.wake();
}

// ---- exchanges (caller holds m_ioMutex) --------------------------------------------------------

TcpConnection& Reader::connectionForExchange() {
    std::lock_guard st(m_mutex);
    if (m_closed) throw IfdError(IfdCode::NoSuchDevice, m_name + ": closed");
    if (!m_conn) throw IfdError(IfdCode::IccNotPresent, m_name + ": no card");
    switch (m_conn->probeIdle()) {  // stale bytes would be taken for the answer: refuse them
        case TcpConnection::IdleState::Quiet: return *m_conn;
        case TcpConnection::IdleState::Eof: dropLocked("card disconnected"); break;
        case TcpConnection::IdleState::Readable: dropLocked("protocol violation: unsolicited bytes from the card"); break;
        case TcpConnection::IdleState::Failed: dropLocked("socket error"); break;
    }
    throw IfdError(IfdCode::CommunicationError, m_name + ": card went away");
}

void Reader::exchangeFailed(const std::exception& e, bool timeout) {
    std::lock_guard st(m_mutex);
    const std::string why = timeout ? "no answer within " + std::to_string(m_config.timeout.count()) + " s" : e.what();
    if (!m_conn) throw IfdError(IfdCode::CommunicationError, m_name + ": " + why);
    dropLocked(why);
    throw IfdError(timeout ? IfdCode::ResponseTimeout : IfdCode::CommunicationError, m_name + ": " + why);
}

void Reader::finishExchange() {
    std::lock_guard st(m_mutex);
    if (m_pollerBlind) {
        m_pollerBlind = false;
        m_waker.wake();
    }
}

Bytes Reader::power(vpcd::Control control) {
    std::lock_guard io(m_ioMutex);
    TcpConnection& conn = connectionForExchange();
    Bytes atr;
    try {
        CardLink link(conn, Clock::now() + m_config.timeout);
        link.control(control);
        atr = link.getAtr();
    } catch (const TransportError& e) {
        exchangeFailed(e, e.kind == TransportError::Kind::Timeout);
    } catch (const ParseError& e) {
        exchangeFailed(e, false);
    }
    {
        std::lock_guard st(m_mutex);
        m_atr = atr;
    }
    LOG_DEBUG("%s: %s, ATR %s", m_name.c_str(), vpcd::controlName(control), toHex(atr).c_str());
    finishExchange();
    return atr;
}

Bytes Reader::powerUp() { return power(vpcd::Control::PowerOn); }
Bytes Reader::reset() { return power(vpcd::Control::Reset); }

void Reader::powerDown() {
    std::lock_guard io(m_ioMutex);
    {
        std::lock_guard st(m_mutex);
        if (!m_conn) return;  // nothing to power down (pcscd's grace-period power-off may race a removal)
    }
    TcpConnection& conn = connectionForExchange();
    try {
        CardLink(conn, Clock::now() + m_config.timeout).control(vpcd::Control::PowerOff);
    } catch (const TransportError& e) {
        exchangeFailed(e, e.kind == TransportError::Kind::Timeout);
    }
    LOG_DEBUG("%s: POWER OFF", m_name.c_str());
    finishExchange();
}

Bytes Reader::atr() {
    std::lock_guard st(m_mutex);
    return m_atr;
}

std::size_t Reader::transmit(ByteView command, std::span<std::uint8_t> response) {
    if (command.size() < 2 || command.size() > vpcd::kMaxPayload)
        throw IfdError(IfdCode::CommunicationError,
                       m_name + ": a vpcd command APDU has 2..65535 bytes, not " + std::to_string(command.size()));
    std::lock_guard io(m_ioMutex);
    TcpConnection& conn = connectionForExchange();
    LOG_COMM("%s: C-APDU %s", m_name.c_str(), log::maskCommandApdu(command).c_str());
    Bytes answer;
    try {
        answer = CardLink(conn, Clock::now() + m_config.timeout).transmit(command);
    } catch (const TransportError& e) {
        exchangeFailed(e, e.kind == TransportError::Kind::Timeout);
    } catch (const ParseError& e) {
        exchangeFailed(e, false);
    }
    LOG_COMM("%s: R-APDU %s", m_name.c_str(), toHex(answer).c_str());
    finishExchange();
    if (answer.size() > response.size())  // the frame was read whole: the connection stays in sync
        throw IfdError(IfdCode::InsufficientBuffer, m_name + ": response of " + std::to_string(answer.size()) +
                                                        " bytes exceeds the buffer of " +
                                                        std::to_string(response.size()));
    std::copy(answer.begin(), answer.end(), response.begin());
    return answer.size();
}

void Reader::setProtocol(unsigned long protocol) {
    std::lock_guard st(m_mutex);
    if (!m_conn || m_atr.empty()) throw IfdError(IfdCode::IccNotPresent, m_name + ": no powered card");
    const unsigned offered = atrProtocols(m_atr);
    if ((protocol == kProtocolT0 || protocol == kProtocolT1) && (offered & protocol)) return;
    throw IfdError(IfdCode::ProtocolNotSupported,
                   m_name + ": protocol " + std::to_string(protocol) + " not offered by the ATR (offers mask " +
                       std::to_string(offered) + ")");
}

}  // namespace vpcsc::ifd
