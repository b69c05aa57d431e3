#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc {

// ISO 7816-4 §9.3, compact format security condition byte; SE numbers map to PIN and key
// references as documented in security_state.hpp.
bool BasicSecurityState::satisfied(const SecurityCondition& c) const {
    const std::uint8_t n = c.seNumber();
    const bool pinOk = n == 0 ? !m_verifiedPins.empty()
                              : (pinVerified(static_cast<std::uint8_t>(0x80 | n)) || pinVerified(n));
    const bool keyOk = n == 0 ? !m_authenticatedKeys.empty() : m_authenticatedKeys.count(n) != 0;
    const bool smOk = m_secureMessaging;

    bool wanted[3] = {c.userAuthentication(), c.externalAuthentication(), c.secureMessaging()};
    bool met[3] = {pinOk, keyOk, smOk};
    if (!wanted[0] && !wanted[1] && !wanted[2]) return pinOk;  // only an SE number: its PIN
    bool all = true, any = false;
    for (int i = 0; i < 3; ++i) {
        if (!wanted[i]) continue;
        all = all && met[i];
        any = any || met[i];
    }
    return c.allRequired() ? all : any;
}

void BasicSecurityState::clear() {
    m_verifiedPins.clear();
    m_authenticatedKeys.clear();
    m_secureMessaging = false;
}

void BasicSecurityState::setPinVerified(std::uint8_t reference, bool verified) {
    if (verified)
        m_verifiedPins.insert(reference);
    else
        m_verifiedPins.erase(reference);
}

void BasicSecurityState::setKeyAuthenticated(std::uint8_t reference, bool authenticated) {
    if (authenticated)
        m_authenticatedKeys.insert(reference);
    else
        m_authenticatedKeys.erase(reference);
}

}  // namespace vpcsc::vicc
