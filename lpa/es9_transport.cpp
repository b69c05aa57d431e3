#include "lpa/es9_transport.hpp"

#include <httplib.h>

#include <openssl/x509_vfy.h>

#include <cctype>
#include <cstdint>

#include "common/log.hpp"

namespace vpcsc::lpa {

HostPort parseAddress(const std::string& address) {
    HostPort hp;
    std::string rest;
    if (!address.empty() && address[0] == '[') {
        const auto close = address.find(']');
        if (close == std::string::npos) throw std::invalid_argument("SM-DP+ address: unterminated '['");
        hp.host = address.substr(1, close - 1);
        rest = address.substr(close + 1);
    } else {
        const auto colon = address.find(':');
        hp.host = address.substr(0, colon);
        if (colon != std::string::npos) rest = address.substr(colon);
    }
    if (hp.host.empty()) throw std::invalid_argument("SM-DP+ address: empty host");
    for (unsigned char c : hp.host)
        if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':'))
            throw std::invalid_argument("SM-DP+ address: bad character in host '" + hp.host + "'");
    if (!rest.empty()) {
        const std::string port = rest.substr(1);
        if (rest[0] != ':' || port.empty() || port.size() > 5 ||
            port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 || std::stoi(port) > 65535)
            throw std::invalid_argument("SM-DP+ address: bad port in '" + address + "'");
        hp.port = std::stoi(port);
    }
    return hp;
}

HttpsEs9Transport::HttpsEs9Transport(HttpsOptions options) : m_options(std::move(options)) {
    if (!m_options.insecure && m_options.caFiles.empty())
        throw std::invalid_argument("ES9+: a CA file is needed to verify the SM-DP+ (or --insecure)");
    for (const auto& f : m_options.caFiles) {
        X509_STORE* probe = X509_STORE_new();
        const bool ok = probe && X509_STORE_load_file(probe, f.c_str()) == 1;
        X509_STORE_free(probe);
        if (!ok) throw std::invalid_argument("ES9+: cannot load CA certificates from " + f);
    }
}

HttpResult HttpsEs9Transport::post(const std::string& address, const std::string& function, const std::string& body) {
    const HostPort hp = parseAddress(address);
    httplib::SSLClient client(hp.host, hp.port);
    client.set_connection_timeout(m_options.timeoutSeconds, 0);
    client.set_read_timeout(m_options.timeoutSeconds, 0);
    client.set_write_timeout(m_options.timeoutSeconds, 0);
    client.set_tcp_nodelay(true);  // small JSON requests: no Nagle wait for the peer's delayed ACK
    if (m_options.insecure) {
        client.enable_server_certificate_verification(false);
    } else {
        // Only these CAs: with a CA path set, cpp-httplib does not add the system's default verify
        // paths (which would also trust every public CA and cost a 200 KB bundle read per client).
        // The store goes to the SSL_CTX, which frees it.
        client.set_ca_cert_path(m_options.caFiles.front());
        X509_STORE* store = X509_STORE_new();
        if (!store) throw Es9TransportError("ES9+: out of memory");
        for (const auto& f : m_options.caFiles) X509_STORE_load_file(store, f.c_str());
        client.set_ca_cert_store(store);
        client.enable_server_certificate_verification(true);
    }
    httplib::Request req;
    req.method = "POST";
    req.path = kEs9Path + function;
    req.headers = {{"User-Agent", "gsma-rsp-lpad"}, {"X-Admin-Protocol", "gsma/rsp/v2.2.2"},
                   {"Content-Type", "application/json"}};
    req.body = body;
    std::string answer;
    bool tooLarge = false;
    req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
        if (answer.size() + n > m_options.maxAnswerBytes) {
            tooLarge = true;
            return false;  // cpp-httplib stops reading and fails the request (Canceled)
        }
        answer.append(data, n);
        return true;
    };
    LOG_DEBUG("ES9+ POST https://%s%s%s (%zu bytes)", address.c_str(), kEs9Path.c_str(), function.c_str(), body.size());
    auto res = client.send(req);
    if (tooLarge)
        throw Es9TransportError("ES9+ " + function + " to " + address + ": answer larger than " +
                                std::to_string(m_options.maxAnswerBytes) + " bytes, refused");
    if (!res) {
        std::string why = httplib::to_string(res.error());
        if (res.error() == httplib::Error::SSLServerVerification)
            why += " (the server's TLS certificate does not chain to the CA given, or names another host)";
        throw Es9TransportError("ES9+ " + function + " to " + address + ": " + why);
    }
    LOG_DEBUG("ES9+ %s: HTTP %d (%zu bytes)", function.c_str(), res->status, answer.size());
    return {res->status, std::move(answer)};  // the body went to content_receiver, not res->body
}

}  // namespace vpcsc::lpa
