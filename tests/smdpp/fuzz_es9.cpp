// libFuzzer target for ES9+ input: the first byte picks the ES9+ function (and whether the headers
// are right), the rest is the HTTP body, handled by handleEs9() on an SM-DP+ with the build tree's
// test PKI. Invariants: only the documented HTTP statuses, never 500 (an exception the handler did
// not expect), and every JSON reply decodes as an ES9+ response. The same bytes also go through the
// response decoders an LPA uses (es9p::*Response::decode), which may only throw Es9Error.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "smdpp/es9_handler.hpp"
#include "smdpp/es9p.hpp"

namespace {

using namespace vpcsc::smdpp;

Smdp& smdp() {
    static std::unique_ptr<Smdp> s = [] {
        SmdpConfig cfg;
        cfg.address = "testsmdpplus1.example.com";
        cfg.maxSessions = 64;
        return std::make_unique<Smdp>(cfg, Credentials::fromDirectory(std::string(VPCSC_EUICC_PKI_DIR) + "/nist"), ProfileDirectory());
    }();
    return *s;
}

const std::string_view kPaths[] = {es9p::kPathInitiateAuthentication, es9p::kPathAuthenticateClient,
                                   es9p::kPathGetBoundProfilePackage, es9p::kPathHandleNotification,
                                   es9p::kPathCancelSession};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    HttpRequest q;
    q.method = "POST";
    q.path = std::string(kPaths[data[0] % 5]);
    q.contentType = (data[0] & 0x80) ? std::optional<std::string>("text/plain") : std::optional<std::string>("application/json");
    if (data[0] & 0x40) q.adminProtocol = "gsma/rsp/v2.2.0";
    q.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        switch (data[0] % 5) {
        case 0: (void)es9p::InitiateAuthenticationResponse::decode(q.body); break;
        case 1: (void)es9p::AuthenticateClientResponse::decode(q.body); break;
        case 2: (void)es9p::GetBoundProfilePackageResponse::decode(q.body); break;
        default: (void)es9p::decodeStatus(q.body); break;
        }
    } catch (const es9p::Es9Error&) {
    }
    const HttpReply r = handleEs9(smdp(), q);
    switch (r.status) {
    case 204:
        if (!r.body.empty()) std::abort();
        break;
    case 200:
    case 400:
        (void)es9p::decodeStatus(r.body);  // throws (and so aborts the run) if not an ES9+ response
        break;
    default:
        std::abort();
    }
    return 0;
}
