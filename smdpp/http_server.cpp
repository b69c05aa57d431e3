// ES9+ over HTTP(S) with cpp-httplib: see http_server.hpp.
#include "smdpp/http_server.hpp"

#include <sys/socket.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <httplib.h>

#include "common/log.hpp"
#include "smdpp/connection_guard.hpp"
#include "smdpp/es9_handler.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::smdpp {

namespace {

using vicc::crypto::BioPtr;
using vicc::crypto::memoryBio;

ByteView textView(const std::string& s) { return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

// SGP.22 §2.6.6: TLS 1.2 with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (mandatory) or
// TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256; TLS 1.3's suites are allowed too.
constexpr const char* kTls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384";

bool setupTls(SSL_CTX& ctx, const Credentials& cred) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) return false;
    BioPtr certBio = memoryBio(textView(cred.tlsCertificatePem));
    vicc::crypto::X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    if (!cert || SSL_CTX_use_certificate(&ctx, cert.get()) != 1) return false;
    BioPtr chainBio = memoryBio(textView(cred.tlsChainPem));
    while (X509* extra = PEM_read_bio_X509(chainBio.get(), nullptr, nullptr, nullptr)) {
        if (SSL_CTX_add0_chain_cert(&ctx, extra) != 1) {
            X509_free(extra);
            return false;
        }
    }
    vicc::crypto::clearOpenSslErrors();  // the end of the PEM stream
    BioPtr keyBio = memoryBio(textView(cred.tlsKeyPem));
    vicc::crypto::PkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
    if (!key || SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1) return false;
    return SSL_CTX_check_private_key(&ctx) == 1;
}

std::optional<std::string> header(const httplib::Request& req, const char* name) {
    if (!req.has_header(name)) return std::nullopt;
    return req.get_header_value(name);
}

}  // namespace

struct Es9Server::Impl {
    Smdp& smdp;
    ServerOptions options;
    std::unique_ptr<httplib::Server> server;
    bool bound = false;
    int listenFd = -1;  // seen by the socket-options hook, for the backlog and the guard
    std::unique_ptr<ConnectionGuard> guard;  // while run() serves

    void serve(const httplib::Request& req, httplib::Response& res) {
        const auto start = std::chrono::steady_clock::now();
        HttpRequest q{req.method, req.path, header(req, "Content-Type"), header(req, "X-Admin-Protocol"), req.body};
        const HttpReply r = handleEs9(smdp, q);
        if (guard) guard->answered(req.remote_addr, req.remote_port);
        res.status = r.status;
        res.set_header(std::string(es9p::kAdminProtocolHeader), std::string(es9p::kAdminProtocol));
        if (!r.body.empty()) res.set_content(r.body, std::string(es9p::kContentType));
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
        LOG_INFO("vicc-smdpp: %s:%d %s %s tid=%s -> %d %s (%lld us)", req.remote_addr.c_str(), req.remote_port,
                 req.method.c_str(), req.path.c_str(), r.transactionId.empty() ? "-" : r.transactionId.c_str(), r.status,
                 r.outcome.c_str(), static_cast<long long>(us));
    }
};

Es9Server::Es9Server(Smdp& smdp, ServerOptions options) : m_impl(new Impl{smdp, std::move(options), nullptr, false, -1, nullptr}) {
    Impl& d = *m_impl;
    if (d.options.tls) {
        const Credentials& cred = smdp.credentials();
        auto tls = std::make_unique<httplib::SSLServer>([&cred](SSL_CTX& ctx) { return setupTls(ctx, cred); });
        if (!tls->is_valid()) {
            vicc::crypto::clearOpenSslErrors();
            throw std::runtime_error("TLS setup failed: check dptls.pem / dptls.key / ci.pem");
        }
        d.server = std::move(tls);
    } else {
        d.server = std::make_unique<httplib::Server>();
    }
    const std::size_t threads = std::max<std::size_t>(1, d.options.threads);
    d.server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    d.server->set_payload_max_length(d.options.maxBody);
    d.server->set_read_timeout(d.options.ioTimeout);
    d.server->set_write_timeout(d.options.ioTimeout);
    // A kept-alive connection holds one worker thread: free it soon for the next LPA.
    d.server->set_keep_alive_max_count(100);
    d.server->set_keep_alive_timeout(2);
    d.server->set_tcp_nodelay(true);  // a reply is one small write: no Nagle / delayed-ACK 40 ms stall
    // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, which would let a second
    // server of the same user share (and silently split) the port.
    d.server->set_socket_options([impl = m_impl.get()](int fd) {
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        impl->listenFd = fd;
    });
    Impl* impl = m_impl.get();
    // Every method and path goes to handleEs9, which answers 404/405 itself.
    const auto all = [impl](const httplib::Request& req, httplib::Response& res) { impl->serve(req, res); };
    d.server->Post(".*", all);
    d.server->Get(".*", all);
    d.server->Put(".*", all);
    d.server->Delete(".*", all);
    d.server->Patch(".*", all);
    d.server->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.body.clear();
    });
}

Es9Server::~Es9Server() { stop(); }

int Es9Server::bind() {
    Impl& d = *m_impl;
    int port = d.options.port;
    if (port == 0) {
        port = d.server->bind_to_any_port(d.options.host);
        if (port < 0) port = 0;
    } else if (!d.server->bind_to_port(d.options.host, port)) {
        port = 0;
    }
    if (port <= 0) throw std::runtime_error("cannot listen on " + d.options.host + ":" + std::to_string(d.options.port));
    // cpp-httplib listens with a backlog of 5: LPAs connecting at once would see SYNs dropped and
    // retried a second later. listen() again only raises the backlog.
    if (d.listenFd >= 0) ::listen(d.listenFd, SOMAXCONN);
    d.bound = true;
    return port;
}

bool Es9Server::run() {
    Impl& d = *m_impl;
    if (!d.bound) bind();
    // Workers call serve() only inside listen_after_bind(), which joins them before it returns.
    d.guard = std::make_unique<ConnectionGuard>(
        d.listenFd, ConnectionGuard::Limits{d.options.requestTimeout, d.options.maxBody + 64 * 1024});
    const bool ok = d.server->listen_after_bind();
    d.guard.reset();
    return ok;
}

void Es9Server::stop() {
    if (m_impl && m_impl->server) m_impl->server->stop();
}

bool Es9Server::running() const { return m_impl->server->is_running(); }

}  // namespace vpcsc::smdpp
