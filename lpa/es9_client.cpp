#include "lpa/es9_client.hpp"

namespace vpcsc::lpa {

namespace es9p = smdpp::es9p;

Es9FunctionError::Es9FunctionError(const std::string& fn, es9p::StatusCodeData s)
    : std::runtime_error(fn + " failed: subjectCode " + s.subjectCode + ", reasonCode " + s.reasonCode +
                         (s.message ? " (" + *s.message + ")" : std::string())),
      function(fn),
      status(std::move(s)) {}

std::string Es9Client::call(const std::string& function, const std::string& body, bool bodyExpected) {
    HttpResult r = m_http.post(m_address, function, body);
    if (r.status < 200 || r.status > 299) {
        std::string why = "ES9+ " + function + ": HTTP " + std::to_string(r.status);
        // An SM-DP+ may put a functionExecutionStatus into an error response too.
        try {
            if (auto st = es9p::decodeStatus(r.body); st.failure) throw Es9FunctionError(function, *st.failure);
        } catch (const es9p::Es9Error&) {
        }
        throw Es9TransportError(why);
    }
    if (bodyExpected) {
        try {
            if (auto st = es9p::decodeStatus(r.body); st.failure) throw Es9FunctionError(function, *st.failure);
        } catch (const es9p::Es9Error& e) {
            throw Es9TransportError("ES9+ " + function + ": unreadable response: " + e.what());
        }
    }
    return std::move(r.body);
}

template <typename Response>
static Response decodeOrThrow(const std::string& function, const std::string& body) {
    try {
        return Response::decode(body);
    } catch (const es9p::Es9Error& e) {
        throw Es9TransportError("ES9+ " + function + ": unreadable response: " + e.what());
    }
}

es9p::InitiateAuthenticationResponse Es9Client::initiateAuthentication(const es9p::InitiateAuthenticationRequest& r) {
    const std::string fn = "initiateAuthentication";
    return decodeOrThrow<es9p::InitiateAuthenticationResponse>(fn, call(fn, r.encode(), true));
}

es9p::AuthenticateClientResponse Es9Client::authenticateClient(const es9p::AuthenticateClientRequest& r) {
    const std::string fn = "authenticateClient";
    return decodeOrThrow<es9p::AuthenticateClientResponse>(fn, call(fn, r.encode(), true));
}

es9p::GetBoundProfilePackageResponse Es9Client::getBoundProfilePackage(const es9p::GetBoundProfilePackageRequest& r) {
    const std::string fn = "getBoundProfilePackage";
    return decodeOrThrow<es9p::GetBoundProfilePackageResponse>(fn, call(fn, r.encode(), true));
}

void Es9Client::cancelSession(const es9p::CancelSessionRequest& r) { call("cancelSession", r.encode(), true); }

void Es9Client::handleNotification(const es9p::HandleNotificationRequest& r) {
    const HttpResult res = m_http.post(m_address, "handleNotification", r.encode());
    if (res.status == 204) return;
    if (res.status >= 200 && res.status <= 299) {
        // Not 204: an SM-DP+ may still report a failure in a JSON header.
        try {
            if (auto st = es9p::decodeStatus(res.body); st.failure) throw Es9FunctionError("handleNotification", *st.failure);
        } catch (const es9p::Es9Error&) {
        }
        return;
    }
    throw Es9TransportError("ES9+ handleNotification: HTTP " + std::to_string(res.status));
}

}  // namespace vpcsc::lpa
