// What the eUICC is: its EID, certificates, signing key and the CIs it trusts (SGP.22 §2.6, §4.5).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "common/bytes.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/rat.hpp"

namespace vpcsc::euicc {

struct EuiccIdentity {
    Bytes eid;  // 16 bytes, BCD as GetEID returns it
    es10::KeyIdList ciPkIds;  // SKIs of trustedCis, in order
    std::vector<vicc::crypto::Certificate> trustedCis;
    Bytes euiccCertificate, eumCertificate;  // DER
    std::shared_ptr<EVP_PKEY> key;           // SK.EUICC.ECDSA; never logged or saved
    Rat rat = Rat::named("any");             // set at manufacture (the EUM's), not by the LPA
    // From a test PKI directory (make-test-pki.sh output: ci.der, eum.der, euicc.der, euicc.key).
    // Throws std::runtime_error naming the missing or invalid file.
    static EuiccIdentity fromPkiDirectory(const std::string& dir);
};

}  // namespace vpcsc::euicc
