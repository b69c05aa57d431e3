// RSP signatures (SGP.22 §5.5 / §2.6.x): ECDSA with SHA-256 over the DER data as transmitted, the
// value carried as the plain r || s (BSI TR-03111, 64 bytes on the 256-bit curves) in 5F37. Works on
// P-256 and brainpoolP256r1 keys alike (EVP_DigestSign/Verify).
#pragma once

#include <string_view>

#include "common/bytes.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::euicc {

// An unencrypted PEM private key (PKCS#8 or traditional EC); throws CryptoError.
vicc::crypto::PkeyPtr loadPrivateKeyPem(std::string_view pem);
// 64-byte r || s. Throws CryptoError.
Bytes rspSign(EVP_PKEY* key, ByteView data);
// false for a wrong signature, wrong length or a malformed value; never throws for bad input.
bool rspVerify(EVP_PKEY* publicKey, ByteView data, ByteView rs);

}  // namespace vpcsc::euicc
