// The security status of one logical channel (ISO 7816-4 §5.4.1, §9.3), as the file system's
// access check sees it. The security engineer fills in VERIFY, EXTERNAL AUTHENTICATE and secure
// messaging by updating a SecurityState (BasicSecurityState, or a class derived from the
// interface) and by overriding Iso7816Card::newSecurityState().
#pragma once

#include <cstdint>
#include <memory>
#include <set>

#include "common/bytes.hpp"

namespace vpcsc::vicc {

// One security condition byte (SC) of the compact format, ISO 7816-4 §9.3 (Table "security
// condition byte"):
//   00 always; FF never;
//   b8 = 1: all conditions (b7-b5) must be satisfied, b8 = 0: at least one;
//   b7 secure messaging; b6 external authentication; b5 user authentication (PIN);
//   b4-b1 security environment number (0: none).
// vpcsc's model (doc/card-image.md "Access conditions"): SE number n refers to the PIN with
// reference 80|n (DF-specific PIN n, ISO 7816-4 §7.5.1) or n (global PIN n) for user
// authentication, and to key reference n for external authentication; n = 0 accepts any.
struct SecurityCondition {
    std::uint8_t sc = 0x00;

    bool always() const { return sc == 0x00; }
    bool never() const { return sc == 0xFF; }
    bool allRequired() const { return sc & 0x80; }
    bool secureMessaging() const { return sc & 0x40; }
    bool externalAuthentication() const { return sc & 0x20; }
    bool userAuthentication() const { return sc & 0x10; }
    std::uint8_t seNumber() const { return sc & 0x0F; }
};

class SecurityState {
public:
    virtual ~SecurityState() = default;
    // Whether the current security status of the channel satisfies the condition. Never called
    // for 00 (always) or FF (never); the access check decides those itself.
    virtual bool satisfied(const SecurityCondition& condition) const = 0;
    // Power off, reset and MANAGE CHANNEL close clear the state (the channel is destroyed);
    // this is for commands that clear it explicitly (e.g. VERIFY with P1 = FF).
    virtual void clear() = 0;
};

// The default: sets of verified PIN references and authenticated key references, and whether
// the command being processed arrived with secure messaging.
class BasicSecurityState : public SecurityState {
public:
    bool satisfied(const SecurityCondition& condition) const override;
    void clear() override;

    void setPinVerified(std::uint8_t reference, bool verified = true);
    bool pinVerified(std::uint8_t reference) const { return m_verifiedPins.count(reference) != 0; }
    void setKeyAuthenticated(std::uint8_t reference, bool authenticated = true);
    void setSecureMessaging(bool active) { m_secureMessaging = active; }

private:
    std::set<std::uint8_t> m_verifiedPins;
    std::set<std::uint8_t> m_authenticatedKeys;
    bool m_secureMessaging = false;
};

// A PIN (reference data for user authentication, ISO 7816-4 §7.5). Part of the card image; the
// retry counter persists across resets (a blocked PIN stays blocked).
struct Pin {
    std::uint8_t reference = 0x81;  // VERIFY P2 (ISO 7816-4 §7.5.6 Table 65)
    Bytes value;                    // as VERIFY sends it, e.g. "1234" = 31 32 33 34
    std::uint8_t maxTries = 3;
    std::uint8_t triesLeft = 3;     // 0: blocked
    bool operator==(const Pin&) const = default;
};

}  // namespace vpcsc::vicc
