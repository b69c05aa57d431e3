// OpenSSL 3.0 objects in RAII (DESIGN.md, style 8) and the one place OpenSSL's error queue is
// turned into an exception. Every vicc/crypto file uses these; nothing else frees OpenSSL objects.
#pragma once

#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "common/bytes.hpp"

namespace vpcsc::vicc::crypto {

// An OpenSSL call failed; what() names the operation and OpenSSL's first queued reason.
struct CryptoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws CryptoError("<what>: <OpenSSL reason>") and clears OpenSSL's error queue.
[[noreturn]] void throwOpenSsl(const char* what);
// Discards whatever OpenSSL queued (after a verification that failed as an answer, not an error).
void clearOpenSslErrors();

template <auto FreeFn>
struct OsslDeleter {
    template <class T>
    void operator()(T* p) const noexcept { FreeFn(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, OsslDeleter<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OsslDeleter<EVP_CIPHER_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, OsslDeleter<EVP_MD_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, OsslDeleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OsslDeleter<EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_clear_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslDeleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OsslDeleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG_free>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OsslDeleter<X509_NAME_free>>;

// A memory BIO over the bytes (read-only) or an empty writable one.
BioPtr memoryBio(ByteView data);
BioPtr memoryBio();
// Everything written to a memory BIO.
Bytes bioContents(BIO* bio);

// Constant-time equality (CRYPTO_memcmp) for MACs and cryptograms; false on a length mismatch.
bool constantTimeEqual(ByteView a, ByteView b);

}  // namespace vpcsc::vicc::crypto
