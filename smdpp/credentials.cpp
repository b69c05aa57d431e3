// SM-DP+ certificates and keys (SGP.22 §4.5.2): see credentials.hpp.
#include "smdpp/credentials.hpp"

#include <openssl/core_names.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <tuple>

#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::smdpp {

namespace {

constexpr std::size_t kMaxFile = 1 << 20;

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > kMaxFile) throw std::runtime_error(path + " is too large");
    return text;
}

Bytes readBytes(const std::string& path) {
    const std::string t = readText(path);
    return Bytes(t.begin(), t.end());
}

Certificate loadDer(const std::string& path) {
    try {
        return Certificate::fromDer(readBytes(path));
    } catch (const vicc::crypto::CryptoError& e) {
        throw std::runtime_error(path + ": not a DER certificate (" + e.what() + ")");
    }
}

std::shared_ptr<EVP_PKEY> loadKey(const std::string& path, const Certificate& cert) {
    std::shared_ptr<EVP_PKEY> key;
    try {
        key = std::shared_ptr<EVP_PKEY>(euicc::loadPrivateKeyPem(readText(path)).release(), EVP_PKEY_free);
    } catch (const vicc::crypto::CryptoError& e) {
        throw std::runtime_error(path + ": not an unencrypted PEM private key (" + e.what() + ")");
    }
    if (EVP_PKEY_eq(key.get(), cert.publicKey().get()) != 1) {
        vicc::crypto::clearOpenSslErrors();
        throw std::runtime_error(path + " does not belong to its certificate");
    }
    return key;
}

}  // namespace

euicc::RspCurve curveOf(EVP_PKEY* key) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) {
        vicc::crypto::clearOpenSslErrors();
        throw std::runtime_error("not an EC key on a named curve");
    }
    const std::string g(group, len);
    if (g == "prime256v1" || g == "P-256") return euicc::RspCurve::NistP256;
    if (g == "brainpoolP256r1") return euicc::RspCurve::BrainpoolP256r1;
    throw std::runtime_error("curve " + g + " is not one of SGP.22's (prime256v1, brainpoolP256r1)");
}

Credentials Credentials::fromDirectory(const std::string& dir) {
    std::vector<Certificate> cis{loadDer(dir + "/ci.der")};
    Certificate dpAuth = loadDer(dir + "/dpauth.der");
    Certificate dpPb = loadDer(dir + "/dppb.der");
    auto dpAuthKey = loadKey(dir + "/dpauth.key", dpAuth);
    auto dpPbKey = loadKey(dir + "/dppb.key", dpPb);
    const euicc::RspCurve curve = curveOf(dpPbKey.get());
    if (curveOf(dpAuthKey.get()) != curve) throw std::runtime_error(dir + ": dpauth and dppb are on different curves");
    for (auto [cert, role, name] : {std::tuple{&dpAuth, euicc::RspRole::DpAuth, "dpauth.der"},
                                    std::tuple{&dpPb, euicc::RspRole::DpPb, "dppb.der"}}) {
        const auto r = euicc::verifyChain(*cert, {}, cis, role);
        if (!r.ok) throw std::runtime_error(dir + "/" + name + " does not chain to ci.der: " + r.message);
    }
    std::string oid = euicc::registeredId(dpAuth);
    if (oid.empty()) throw std::runtime_error(dir + "/dpauth.der has no registeredID (the SM-DP+ OID)");
    Bytes dpAuthDer = dpAuth.toDer(), dpPbDer = dpPb.toDer();
    return Credentials{curve, std::move(cis), std::move(dpAuth), std::move(dpPb), std::move(dpAuthDer), std::move(dpPbDer),
                       std::move(dpAuthKey), std::move(dpPbKey), std::move(oid), readText(dir + "/dptls.pem"),
                       readText(dir + "/ci.pem"), readText(dir + "/dptls.key")};
}

}  // namespace vpcsc::smdpp
