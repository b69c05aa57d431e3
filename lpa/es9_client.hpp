// The ES9+ functions the LPA calls on an SM-DP+ (SGP.22 §5.6), bodies through the shared codecs of
// smdpp/es9p.hpp. A body whose header says "Failed" throws Es9FunctionError with the SM-DP+'s
// subjectCode/reasonCode; a non-2xx HTTP status or an unreadable body throws Es9TransportError.
#pragma once

#include <stdexcept>
#include <string>

#include "lpa/es9_transport.hpp"
#include "smdpp/es9p.hpp"

namespace vpcsc::lpa {

struct Es9FunctionError : std::runtime_error {
    std::string function;
    smdpp::es9p::StatusCodeData status;
    Es9FunctionError(const std::string& fn, smdpp::es9p::StatusCodeData s);
};

class Es9Client {
public:
    Es9Client(Es9Transport& transport, std::string address) : m_http(transport), m_address(std::move(address)) {}
    const std::string& address() const { return m_address; }

    smdpp::es9p::InitiateAuthenticationResponse initiateAuthentication(const smdpp::es9p::InitiateAuthenticationRequest& r);
    smdpp::es9p::AuthenticateClientResponse authenticateClient(const smdpp::es9p::AuthenticateClientRequest& r);
    smdpp::es9p::GetBoundProfilePackageResponse getBoundProfilePackage(const smdpp::es9p::GetBoundProfilePackageRequest& r);
    void cancelSession(const smdpp::es9p::CancelSessionRequest& r);
    // §5.6.4: the SM-DP+ answers 204 No Content.
    void handleNotification(const smdpp::es9p::HandleNotificationRequest& r);

private:
    // POST, then: 2xx required; a JSON body whose header says Failed throws Es9FunctionError.
    std::string call(const std::string& function, const std::string& body, bool bodyExpected);
    Es9Transport& m_http;
    std::string m_address;
};

}  // namespace vpcsc::lpa
