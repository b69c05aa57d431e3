// One ES9+ HTTP request to one reply (SGP.22 v2.5 §6.1 / §6.5), without any socket: the HTTP
// glue (http_server.cpp), the tests and the fuzz target all go through handleEs9().
//   - POST only (405), the five function paths only (404);
//   - Content-Type application/json required, X-Admin-Protocol gsma/rsp/v* if present (else 400);
//   - a body that is not a JSON object: 400; JSON with a missing or malformed field: 200 with the
//     SGP.22 status 1.1/2.2 or 1.1/2.1; a refused function: 200 with its SGP.22 status code;
//   - handleNotification: 204 with no body; anything unexpected inside: 500, never a crash.
#pragma once

#include <optional>
#include <string>

#include "smdpp/smdp.hpp"

namespace vpcsc::smdpp {

struct HttpRequest {
    std::string method;
    std::string path;
    std::optional<std::string> contentType;
    std::optional<std::string> adminProtocol;
    std::string body;
};

struct HttpReply {
    int status = 200;
    std::string body;  // JSON (empty for 204)
    // For the one log line: the transactionId (hex, may be empty) and the outcome.
    std::string transactionId;
    std::string outcome;
};

HttpReply handleEs9(Smdp& smdp, const HttpRequest& request);

}  // namespace vpcsc::smdpp
