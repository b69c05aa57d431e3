// The generated test PKI through vicc/euicc/certs: chains verified with X509_STORE for both curves,
// SGP.22 roles, key identifiers, the EUM's permitted EINs and the eUICC's EID.
#include <catch2/catch.hpp>

#include <openssl/x509_vfy.h>

#include "tests/euicc/helpers.hpp"
#include "vicc/euicc/certs.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;
using test::hx;
using test::pkiFile;

namespace {
Certificate cert(const std::string& curve, const std::string& name) { return Certificate::fromDer(pkiFile(curve, name + ".der")); }
}  // namespace

TEST_CASE("test PKI: every chain verifies through X509_STORE", "[euicc][pki]") {
    for (const char* c : {"nist", "brp"}) {
        INFO(c);
        const Certificate ci = cert(c, "ci"), eum = cert(c, "eum"), euicc = cert(c, "euicc");
        const auto r = verifyChain(euicc, {eum}, {ci}, RspRole::Euicc);
        CHECK(r.message == "");
        CHECK(r.ok);
        CHECK(verifyChain(cert(c, "dpauth"), {}, {ci}, RspRole::DpAuth).ok);
        CHECK(verifyChain(cert(c, "dppb"), {}, {ci}, RspRole::DpPb).ok);
        CHECK(verifyChain(cert(c, "dptls"), {}, {ci}, RspRole::DpTls).ok);
        CHECK(verifyChain(eum, {}, {ci}, RspRole::Eum).ok);
    }
}

TEST_CASE("test PKI: wrong chains are refused", "[euicc][pki]") {
    const Certificate ciN = cert("nist", "ci"), ciB = cert("brp", "ci");
    const Certificate eumN = cert("nist", "eum"), euiccN = cert("nist", "euicc");
    SECTION("eUICC without its EUM") {
        const auto r = verifyChain(euiccN, {}, {ciN}, RspRole::Euicc);
        CHECK_FALSE(r.ok);
        CHECK(r.error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    }
    SECTION("NIST eUICC against the brainpool CI") {
        CHECK_FALSE(verifyChain(euiccN, {eumN}, {ciB}, RspRole::Euicc).ok);
    }
    SECTION("DPpb presented where DPauth is expected") {
        const auto r = verifyChain(cert("nist", "dppb"), {}, {ciN}, RspRole::DpAuth);
        CHECK_FALSE(r.ok);
        CHECK(r.error == 0);
        CHECK(r.message == "leaf certificate lacks policy 2.23.146.1.2.1.4");
    }
    SECTION("a certificate with one flipped signature bit") {
        Bytes der = pkiFile("nist", "dpauth.der");
        der[der.size() - 5] ^= 0x01;
        CHECK_FALSE(verifyChain(Certificate::fromDer(der), {}, {ciN}, RspRole::DpAuth).ok);
    }
    SECTION("at a time after the CI expired") {
        const auto r = verifyChain(cert("nist", "dpauth"), {}, {ciN}, RspRole::DpAuth, std::time_t(4102444800) * 2);
        CHECK_FALSE(r.ok);
        CHECK(r.error == X509_V_ERR_CERT_HAS_EXPIRED);
    }
    SECTION("before the certificates existed") {
        const auto r = verifyChain(cert("nist", "dpauth"), {}, {ciN}, RspRole::DpAuth, std::time_t(946684800));
        CHECK_FALSE(r.ok);
        CHECK(r.error == X509_V_ERR_CERT_NOT_YET_VALID);
    }
}

TEST_CASE("test PKI: SGP.22 profiles", "[euicc][pki]") {
    for (const char* c : {"nist", "brp"}) {
        INFO(c);
        const Certificate ci = cert(c, "ci"), eum = cert(c, "eum"), euicc = cert(c, "euicc");
        const Certificate dpauth = cert(c, "dpauth"), dppb = cert(c, "dppb");
        CHECK(hasRole(ci, RspRole::Ci));
        CHECK(hasRole(eum, RspRole::Eum));
        CHECK(hasRole(euicc, RspRole::Euicc));
        CHECK(hasRole(dpauth, RspRole::DpAuth));
        CHECK(hasRole(dppb, RspRole::DpPb));
        CHECK_FALSE(hasRole(dppb, RspRole::DpAuth));
        CHECK(subjectKeyId(ci).size() == 20);
        CHECK(authorityKeyId(eum) == subjectKeyId(ci));
        CHECK(authorityKeyId(dpauth) == subjectKeyId(ci));
        CHECK(authorityKeyId(euicc) == subjectKeyId(eum));
        CHECK(permittedEins(eum) == std::vector<std::string>{"89049032"});
        CHECK(permittedEins(ci).empty());
        CHECK(eidOf(euicc) == std::optional<std::string>("89049032123451234512345678901235"));
        CHECK_FALSE(eidOf(dpauth));
        CHECK(eidPermitted(eum, "89049032123451234512345678901235"));
        CHECK_FALSE(eidPermitted(eum, "89049033123451234512345678901235"));
        CHECK_FALSE(eidPermitted(eum, "8904903212345"));
        CHECK(registeredId(dpauth) == "2.999.10");
        CHECK(registeredId(dppb) == "2.999.10");
        CHECK(registeredId(euicc) == "");
    }
}
