// RSP sessions of the SM-DP+ (SGP.22 §3.1.3), in memory only: nothing of a session (challenges,
// the eUICC's certificate, the profile) ever reaches a disk. A session is keyed by its
// transactionId, expires after a fixed time, and is single use: a function takes it out of the store
// (so a concurrent or replayed request with the same transactionId finds nothing) and puts it back
// only when it succeeded and the download continues.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/euicc/es10.hpp"

namespace vpcsc::smdpp {

struct Session {
    enum class Stage {
        Initiated,      // after initiateAuthentication: waiting for authenticateClient
        Authenticated,  // after authenticateClient: waiting for getBoundProfilePackage
        Bound,          // the BPP was delivered: only its ProfileInstallationResult may follow
    };
    Stage stage = Stage::Initiated;
    Bytes transactionId;
    std::string serverAddress;
    Bytes euiccChallenge, serverChallenge;
    Bytes ciPkId;  // the CI both chains use (euiccCiPKIdToBeUsed)
    // From authenticateClient on:
    std::optional<vicc::crypto::Certificate> euiccCertificate;
    Bytes eid;  // 16 bytes BCD
    std::string matchingId;
    Bytes upp;
    std::optional<euicc::es10::StoreMetadata> metadata;
    Bytes smdpSignature2;  // r || s
    std::optional<Bytes> confirmationCodeHash;  // SHA-256(CC) when a CC is required
};

class SessionStore {
public:
    using Clock = std::chrono::steady_clock;
    SessionStore(std::chrono::milliseconds ttl, std::size_t maxSessions) : m_ttl(ttl), m_max(maxSessions) {}

    // Stores the session (replacing one with the same transactionId) with a fresh expiry.
    // false when the store is full of unexpired sessions.
    bool put(Session session);
    // Removes and returns the session; nullopt if unknown or expired.
    std::optional<Session> take(ByteView transactionId);
    std::size_t size();

private:
    void purgeExpired(Clock::time_point now);
    struct Entry {
        Session session;
        Clock::time_point expires;
    };
    std::chrono::milliseconds m_ttl;
    std::size_t m_max;
    std::mutex m_mutex;
    std::map<Bytes, Entry> m_sessions;
};

}  // namespace vpcsc::smdpp
