// In-memory RSP sessions with expiry and single use: see session_store.hpp.
#include "smdpp/session_store.hpp"

namespace vpcsc::smdpp {

void SessionStore::purgeExpired(Clock::time_point now) {
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->second.expires <= now)
            it = m_sessions.erase(it);
        else
            ++it;
    }
}

bool SessionStore::put(Session session) {
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    Bytes key = session.transactionId;
    if (!m_sessions.count(key) && m_sessions.size() >= m_max) {
        purgeExpired(now);
        if (m_sessions.size() >= m_max) return false;
    }
    m_sessions.insert_or_assign(std::move(key), Entry{std::move(session), now + m_ttl});
    return true;
}

std::optional<Session> SessionStore::take(ByteView transactionId) {
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    auto it = m_sessions.find(Bytes(transactionId.begin(), transactionId.end()));
    if (it == m_sessions.end()) return std::nullopt;
    std::optional<Session> s;
    if (it->second.expires > now) s = std::move(it->second.session);
    m_sessions.erase(it);
    return s;
}

std::size_t SessionStore::size() {
    std::lock_guard lock(m_mutex);
    purgeExpired(Clock::now());
    return m_sessions.size();
}

}  // namespace vpcsc::smdpp
