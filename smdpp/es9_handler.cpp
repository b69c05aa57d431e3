// ES9+ request dispatch (SGP.22 §6.1, §6.5): see es9_handler.hpp.
#include "smdpp/es9_handler.hpp"

#include <algorithm>
#include <cctype>

namespace vpcsc::smdpp {

namespace {

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

HttpReply failed(int httpStatus, StatusCode code, const std::string& message, std::string tid = {}) {
    HttpReply r;
    r.status = httpStatus;
    r.body = es9p::encodeStatusOnly(FunctionFailed(code, message).toStatus());
    r.transactionId = std::move(tid);
    r.outcome = std::string("Failed ") + code.subject + "/" + code.reason + " " + message;
    return r;
}

HttpReply success(std::string body, std::string tid) {
    HttpReply r;
    r.body = std::move(body);
    r.transactionId = std::move(tid);
    r.outcome = "Executed-Success";
    return r;
}

// Best effort: the transactionId of a request body, for the log line only.
std::string tidOf(const std::string& body) {
    static constexpr std::string_view key = "\"transactionId\"";
    const auto at = body.find(key);
    if (at == std::string::npos) return {};
    std::size_t i = body.find('"', body.find(':', at + key.size()));
    if (i == std::string::npos) return {};
    std::string out;
    for (++i; i < body.size() && out.size() < 32 && std::isxdigit(static_cast<unsigned char>(body[i])); ++i) out += body[i];
    return out;
}

HttpReply dispatch(Smdp& smdp, const HttpRequest& q) {
    using namespace es9p;
    if (q.path == kPathInitiateAuthentication) {
        auto resp = smdp.initiateAuthentication(InitiateAuthenticationRequest::decode(q.body));
        return success(resp.encode(), transactionIdToHex(resp.transactionId));
    }
    if (q.path == kPathAuthenticateClient) {
        const auto req = AuthenticateClientRequest::decode(q.body);
        return success(smdp.authenticateClient(req).encode(), transactionIdToHex(req.transactionId));
    }
    if (q.path == kPathGetBoundProfilePackage) {
        const auto req = GetBoundProfilePackageRequest::decode(q.body);
        return success(smdp.getBoundProfilePackage(req).encode(), transactionIdToHex(req.transactionId));
    }
    if (q.path == kPathHandleNotification) {
        const auto sum = smdp.handleNotification(HandleNotificationRequest::decode(q.body));
        HttpReply r;
        r.status = 204;
        r.transactionId = transactionIdToHex(sum.transactionId);
        r.outcome = "notification " + sum.kind + (sum.verified ? " verified " : " unverified ") + sum.detail;
        return r;
    }
    // cancelSession (the path was checked by the caller)
    const auto req = CancelSessionRequest::decode(q.body);
    smdp.cancelSession(req);
    return success(encodeStatusOnly({}), transactionIdToHex(req.transactionId));
}

}  // namespace

HttpReply handleEs9(Smdp& smdp, const HttpRequest& q) {
    using namespace es9p;
    const bool known = q.path == kPathInitiateAuthentication || q.path == kPathAuthenticateClient ||
                       q.path == kPathGetBoundProfilePackage || q.path == kPathHandleNotification ||
                       q.path == kPathCancelSession;
    if (!known) {
        HttpReply r;
        r.status = 404;
        r.outcome = "no such ES9+ function";
        return r;
    }
    if (q.method != "POST") {
        HttpReply r;
        r.status = 405;
        r.outcome = "method not allowed";
        return r;
    }
    if (!q.contentType || !startsWithIgnoreCase(*q.contentType, "application/json"))
        return failed(400, status::kInvalidRequest, "Content-Type must be application/json");
    if (q.adminProtocol && !startsWithIgnoreCase(*q.adminProtocol, kAdminProtocolPrefix))
        return failed(400, status::kInvalidRequest, "X-Admin-Protocol must be gsma/rsp/v<version>");
    try {
        return dispatch(smdp, q);
    } catch (const FunctionFailed& e) {
        return failed(200, e.code, e.what(), tidOf(q.body));
    } catch (const Es9Error& e) {
        if (e.notJson) return failed(400, status::kInvalidRequest, e.what());
        return failed(200, e.mandatoryMissing ? status::kMandatoryElementMissing : status::kInvalidRequest, e.what(), tidOf(q.body));
    } catch (const std::exception& e) {
        // Not the requester's fault (an OpenSSL failure, memory): no details leave the server.
        HttpReply r = failed(500, StatusCode{"1.2", "4.2"}, "execution error", tidOf(q.body));
        r.outcome += std::string(" (") + e.what() + ")";
        return r;
    }
}

}  // namespace vpcsc::smdpp
