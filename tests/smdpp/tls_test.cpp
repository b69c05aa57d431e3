// vicc-smdpp's TLS (SGP.22 §2.6.6): the handshake verifies against the CI for the names in
// CERT.DP.TLS and fails for any other, the server sends the CI in its chain, TLS < 1.2 is refused,
// and a plain HTTP request on the TLS port gets no answer.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tests/smdpp/harness.hpp"

using namespace vpcsc;
using namespace vpcsc::smdpp;
using namespace vpcsc::smdpp::test;

namespace {

int connectLoopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct Handshake {
    bool ok = false;
    long verify = -1;     // SSL_get_verify_result
    int chainLength = 0;  // certificates the server sent
    std::string version;
};

// A TLS handshake that trusts only ci.pem and checks `host` (empty: no name check).
Handshake handshake(int port, const std::string& curve, const std::string& host, int maxVersion = 0) {
    Handshake r;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    const std::string ci = pkiDir(curve) + "/ci.pem";
    REQUIRE(SSL_CTX_load_verify_locations(ctx.get(), ci.c_str(), nullptr) == 1);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (maxVersion) {
        SSL_CTX_set_security_level(ctx.get(), 0);
        SSL_CTX_set_min_proto_version(ctx.get(), maxVersion);
        SSL_CTX_set_max_proto_version(ctx.get(), maxVersion);
    }
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    const int fd = connectLoopback(port);
    REQUIRE(fd >= 0);
    SSL_set_fd(ssl.get(), fd);
    if (!host.empty()) {
        SSL_set_tlsext_host_name(ssl.get(), host.c_str());
        SSL_set1_host(ssl.get(), host.c_str());
    }
    r.ok = SSL_connect(ssl.get()) == 1;
    r.verify = SSL_get_verify_result(ssl.get());
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) r.chainLength = sk_X509_num(chain);
    r.version = SSL_get_version(ssl.get());
    if (r.ok) SSL_shutdown(ssl.get());
    ERR_clear_error();
    ::close(fd);
    return r;
}

}  // namespace

TEST_CASE("smdpp tls: CERT.DP.TLS verifies against the CI for its names only", "[smdpp][tls]") {
    for (const char* curve : {"nist", "brp"}) {
        INFO(curve);
        Server s(curve);
        for (const char* host : {"testsmdpplus1.example.com", "localhost", "127.0.0.1"}) {
            INFO(host);
            const Handshake ok = handshake(s.port, curve, host);
            CHECK(ok.ok);
            CHECK(ok.verify == X509_V_OK);
            CHECK(ok.chainLength == 2);  // DPtls + CI
        }
        const Handshake wrong = handshake(s.port, curve, "smdp.example.org");
        CHECK(!wrong.ok);
        CHECK(wrong.verify == X509_V_ERR_HOSTNAME_MISMATCH);
        // The other curve's CI does not vouch for this server.
        const Handshake otherCi = handshake(s.port, std::string(curve) == "nist" ? "brp" : "nist", "localhost");
        CHECK(!otherCi.ok);
        CHECK(otherCi.verify != X509_V_OK);
        // An ES9+ call through httplib's verifying client works.
        auto res = s.client()->Post(std::string(es9p::kPathHandleNotification).c_str(), R"({"pendingNotification":"MAA="})",
                                    "application/json");
        REQUIRE(res);
        CHECK(res->status == 204);
    }
}

TEST_CASE("smdpp tls: TLS 1.1 and plain HTTP are refused on the TLS port", "[smdpp][tls]") {
    Server s;
    const Handshake old = handshake(s.port, "nist", "localhost", TLS1_1_VERSION);
    CHECK(!old.ok);
    httplib::Client plain("127.0.0.1", s.port);
    plain.set_read_timeout(5);
    auto res = plain.Post(std::string(es9p::kPathInitiateAuthentication).c_str(), "{}", "application/json");
    CHECK(!res);
}

TEST_CASE("smdpp tls: --http serves plain HTTP only when asked", "[smdpp][tls]") {
    Server s("nist", {}, /*tls=*/false);
    httplib::Client plain("127.0.0.1", s.port);
    auto res = plain.Post(std::string(es9p::kPathHandleNotification).c_str(), R"({"pendingNotification":"MAA="})", "application/json");
    REQUIRE(res);
    CHECK(res->status == 204);
    CHECK(!handshake(s.port, "nist", "localhost").ok);
}
