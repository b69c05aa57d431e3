// The security status of one logical channel (ISO 7816-4 §5.4.1, §9.3), as the file system's
// access check sees it. The security engineer fills in VERIFY, EXTERNAL AUTHENTICATE and secure
// messaging by updating a SecurityState (BasicSecurityState, or a class derived from the
// interface) and by overriding Iso7816Card::newSecurityState().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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

    // What VERIFY / EXTERNAL AUTHENTICATE / secure messaging record (ISO 7816-4 §11.5). A state
    // that does not track something ignores the call and answers false.
    virtual void setPinVerified(std::uint8_t /*reference*/, bool /*verified*/ = true) {}
    virtual bool pinVerified(std::uint8_t /*reference*/) const { return false; }
    virtual void setKeyAuthenticated(std::uint8_t /*reference*/, bool /*authenticated*/ = true) {}
    virtual bool keyAuthenticated(std::uint8_t /*reference*/) const { return false; }
    // Whether the command being processed arrived with (verified) secure messaging.
    virtual void setSecureMessaging(bool /*active*/) {}
};

// The default: sets of verified PIN references and authenticated key references, and whether
// the command being processed arrived with secure messaging.
class BasicSecurityState : public SecurityState {
public:
    bool satisfied(const SecurityCondition& condition) const override;
    void clear() override;

    void setPinVerified(std::uint8_t reference, bool verified = true) override;
    bool pinVerified(std::uint8_t reference) const override { return m_verifiedPins.count(reference) != 0; }
    void setKeyAuthenticated(std::uint8_t reference, bool authenticated = true) override;
    bool keyAuthenticated(std::uint8_t reference) const override { return m_authenticatedKeys.count(reference) != 0; }
    void setSecureMessaging(bool active) override { m_secureMessaging = active; }

private:
    std::set<std::uint8_t> m_verifiedPins;
    std::set<std::uint8_t> m_authenticatedKeys;
    bool m_secureMessaging = false;
};

// The resetting code of a PIN (PUK, ISO 7816-4 §11.5.10 RESET RETRY COUNTER), with its own
// persistent retry counter.
struct Puk {
    Bytes value;
    std::uint8_t maxTries = 10;
    std::uint8_t triesLeft = 10;  // 0: blocked, the PIN can no longer be reset
    bool operator==(const Puk&) const = default;
};

// A PIN (reference data for user authentication, ISO 7816-4 §7.5). Part of the card image; the
// retry counter persists across resets (a blocked PIN stays blocked).
struct Pin {
    static constexpr std::size_t kMaxLength = 64;
    Pin() = default;
    Pin(std::uint8_t ref, Bytes v, std::uint8_t max = 3, std::uint8_t left = 3, std::optional<Puk> resettingCode = {})
        : reference(ref), value(std::move(v)), maxTries(max), triesLeft(left), puk(std::move(resettingCode)) {}
    std::uint8_t reference = 0x81;  // VERIFY P2 (ISO 7816-4 §7.5.6 Table 65)
    Bytes value;                    // as VERIFY sends it, e.g. "1234" = 31 32 33 34
    std::uint8_t maxTries = 3;
    std::uint8_t triesLeft = 3;     // 0: blocked
    std::optional<Puk> puk;         // absent: RESET RETRY COUNTER answers 6984
    bool operator==(const Pin&) const = default;
};

}  // namespace vpcsc::vicc
