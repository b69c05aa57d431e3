// What the SM-DP+ is (SGP.22 §4.5.2): CERT.DPauth.ECDSA and CERT.DPpb.ECDSA with their keys, the CIs
// it trusts for eUICC/EUM certificates, and CERT.DP.TLS with its key for the HTTPS server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "common/bytes.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/euicc/bsp.hpp"

namespace vpcsc::smdpp {

using vicc::crypto::Certificate;

struct Credentials {
    euicc::RspCurve curve = euicc::RspCurve::NistP256;  // of DPauth/DPpb (ECKA uses DPpb's)
    std::vector<Certificate> trustedCis;
    Certificate dpAuth, dpPb;
    Bytes dpAuthDer, dpPbDer;
    std::shared_ptr<EVP_PKEY> dpAuthKey, dpPbKey;  // never logged
    std::string smdpOid;                           // subjectAltName registeredID of CERT.DPauth
    // TLS: PEM texts (the key never leaves the process; cpp-httplib gets it through an SSL_CTX).
    std::string tlsCertificatePem, tlsChainPem, tlsKeyPem;

    // From one curve directory of make-test-pki.sh's layout (vicc/euicc/pki/make-test-pki.sh):
    // ci.der, dpauth.{der,key}, dppb.{der,key}, dptls.{pem,key}. Checks that each key belongs to its
    // certificate and that DPauth/DPpb chain to the CI with their roles (now). Throws
    // std::runtime_error naming the file and what is wrong.
    static Credentials fromDirectory(const std::string& dir);
};

// The curve of an EC key (prime256v1 or brainpoolP256r1); throws std::runtime_error otherwise.
euicc::RspCurve curveOf(EVP_PKEY* key);

}  // namespace vpcsc::smdpp
