// How the LPA reaches an SM-DP+ (SGP.22 §6.1 ES9+ transport): HTTPS POST of a JSON body to
// https://<address>/gsma/rsp2/es9plus/<function>, with the headers lpac sends (research notes
// §2.2): User-Agent gsma-rsp-lpad, X-Admin-Protocol gsma/rsp/v2.2.2, Content-Type application/json.
// The address ("host" or "host:port") is used verbatim, as lpac does.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace vpcsc::lpa {

// The request did not get an HTTP answer (connection refused, TLS verification failed, ...).
struct Es9TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct HttpResult {
    int status = 0;
    std::string body;
};

class Es9Transport {
public:
    virtual ~Es9Transport() = default;
    // function: "initiateAuthentication", "authenticateClient", ... Throws Es9TransportError.
    virtual HttpResult post(const std::string& address, const std::string& function, const std::string& body) = 0;
};

inline const std::string kEs9Path = "/gsma/rsp2/es9plus/";

// The largest ES9+ answer body taken: a Bound Profile Package of a full profile is a few hundred
// KiB in base64 JSON; more is refused rather than buffered (a hostile server cannot make us
// allocate without bound).
inline constexpr std::size_t kMaxEs9AnswerBytes = 8u << 20;

struct HttpsOptions {
    std::vector<std::string> caFiles;  // PEM trust anchors for the server's TLS chain (one needed unless insecure)
    bool insecure = false;  // skip TLS server verification, as lpac always does
    int timeoutSeconds = 30;
    std::size_t maxAnswerBytes = kMaxEs9AnswerBytes;
};

class HttpsEs9Transport : public Es9Transport {
public:
    explicit HttpsEs9Transport(HttpsOptions options);
    HttpResult post(const std::string& address, const std::string& function, const std::string& body) override;

private:
    HttpsOptions m_options;
};

// "host", "host:port", "[v6]" or "[v6]:port" → host and port (443 by default). Throws
// std::invalid_argument for an empty host, a bad port or characters that do not belong in one.
struct HostPort {
    std::string host;
    int port = 443;
};
HostPort parseAddress(const std::string& address);

}  // namespace vpcsc::lpa
