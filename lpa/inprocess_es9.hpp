// An Es9Transport without sockets: each POST goes straight into an in-process SM-DP+ through
// smdpp::handleEs9 (the same request handling vicc-smdpp's HTTPS server runs), with the headers
// an LPA sends. For tests and the bench; the address is not used (one SM-DP+).
#pragma once

#include "lpa/es9_transport.hpp"
#include "smdpp/es9_handler.hpp"

namespace vpcsc::lpa {

class InProcessEs9 : public Es9Transport {
public:
    explicit InProcessEs9(smdpp::Smdp& smdp) : m_smdp(smdp) {}
    HttpResult post(const std::string&, const std::string& function, const std::string& body) override {
        const smdpp::HttpReply r =
            smdpp::handleEs9(m_smdp, {"POST", kEs9Path + function, "application/json", "gsma/rsp/v2.2.2", body});
        return {r.status, r.body};
    }

private:
    smdpp::Smdp& m_smdp;
};

}  // namespace vpcsc::lpa
