// The SM-DP+ functions of ES9+ (SGP.22 v2.5 §5.6, procedures §3.1.3 / §3.5 / §3.0.1): decoded request
// in, response out, FunctionFailed (an SGP.22 status code) for every refusal. Thread-safe: the only
// shared state is the SessionStore. One source file per function.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "smdpp/credentials.hpp"
#include "smdpp/es9p.hpp"
#include "smdpp/profiles.hpp"
#include "smdpp/session_store.hpp"
#include "smdpp/status.hpp"

namespace vpcsc::smdpp {

struct SmdpConfig {
    // serverAddress (§5.6.1): what initiateAuthentication's smdpAddress must equal (ASCII case
    // ignored) and where notifications are to be sent. lpac sends `-s host:port` verbatim.
    std::string address = "127.0.0.1:8443";
    std::string hostId = "vicc-smdpp";  // BF23 A6 84 and the KDF's sharedInfo, 1..16 bytes
    std::optional<std::string> confirmationCode;  // when set, every download requires it (§3.1.3.2)
    std::chrono::milliseconds sessionTtl{std::chrono::minutes(10)};
    std::size_t maxSessions = 10000;
    bool replaceSessionKeys = true;  // protect the UPP with fresh random PPKs (BF26, §2.5.5)
    std::string serviceProviderName = "vpcsc";  // StoreMetadata 91
};

// What a handled notification was, for the log line (no secrets in it).
struct NotificationSummary {
    std::string kind;  // "install-result", "other", "unknown"
    bool verified = false;
    std::string detail;  // seq, event, iccid, result, or why verification failed
    Bytes transactionId;  // of a ProfileInstallationResult
};

class Smdp {
public:
    Smdp(SmdpConfig config, Credentials credentials, ProfileDirectory profiles);

    es9p::InitiateAuthenticationResponse initiateAuthentication(const es9p::InitiateAuthenticationRequest& r);
    es9p::AuthenticateClientResponse authenticateClient(const es9p::AuthenticateClientRequest& r);
    es9p::GetBoundProfilePackageResponse getBoundProfilePackage(const es9p::GetBoundProfilePackageRequest& r);
    // Never fails towards the caller (the answer is always 204, §5.6.4); says what it saw.
    NotificationSummary handleNotification(const es9p::HandleNotificationRequest& r);
    void cancelSession(const es9p::CancelSessionRequest& r);

    const SmdpConfig& config() const { return m_config; }
    // The serverAddress once the port is known (listening on port 0); only before serving.
    void setAddress(std::string address) { m_config.address = std::move(address); }
    const Credentials& credentials() const { return m_cred; }
    SessionStore& sessions() { return m_sessions; }

private:
    Session takeSession(ByteView transactionId, Session::Stage expected);
    void keepSession(Session s);
    // CERT.EUM and CERT.EUICC to our CI (§5.6.3 steps): the eUICC certificate, or FunctionFailed.
    vicc::crypto::Certificate verifyEuiccChain(ByteView euiccDer, ByteView eumDer, const Bytes& ciPkId) const;

    SmdpConfig m_config;
    Credentials m_cred;
    ProfileDirectory m_profiles;
    SessionStore m_sessions;
};

}  // namespace vpcsc::smdpp
