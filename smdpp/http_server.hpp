// The ES9+ endpoint over HTTPS (SGP.22 v2.5 §2.6.6 / §6.1): cpp-httplib's server on CERT.DP.TLS
// (P-256) with the CI as chain, TLS 1.2 or later, ECDHE-ECDSA AES-GCM/CBC suites; plain HTTP only
// when asked (behind a TLS-terminating proxy). Each request goes through handleEs9() and leaves one
// log line: peer, method, path, transactionId, HTTP status, outcome, time. Never keys.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "smdpp/smdp.hpp"

namespace vpcsc::smdpp {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8443;           // 0: any free port (bind() says which)
    bool tls = true;
    std::size_t threads = 16;  // concurrent connections (a kept-alive one holds a thread)
    std::size_t maxBody = 256 * 1024;  // an ES9+ request is a few KB
    std::chrono::seconds ioTimeout{10};
    // A connection must complete each request within this of being accepted or answered, and send
    // at most maxBody + 64 KiB for it (connection_guard.hpp); else it is closed.
    std::chrono::seconds requestTimeout{20};
};

class Es9Server {
public:
    // Throws std::runtime_error when TLS cannot be set up with the credentials.
    Es9Server(Smdp& smdp, ServerOptions options);
    ~Es9Server();
    Es9Server(const Es9Server&) = delete;
    Es9Server& operator=(const Es9Server&) = delete;

    // Binds the listening socket and returns its port; throws std::runtime_error on failure.
    int bind();
    // Serves until stop() (from another thread or a signal watcher). Returns false on error.
    bool run();
    void stop();
    bool running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace vpcsc::smdpp
