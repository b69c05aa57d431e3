// OpenSSL error queue → CryptoError, memory BIOs, constant-time compare.
#include "vicc/crypto/ossl.hpp"

#include <string>

#include <openssl/crypto.h>
#include <openssl/err.h>

namespace vpcsc::vicc::crypto {

void throwOpenSsl(const char* what) {
    std::string message = what;
    if (unsigned long code = ERR_get_error(); code != 0) {
        char reason[256];
        ERR_error_string_n(code, reason, sizeof reason);
        message += ": ";
        message += reason;
    }
    ERR_clear_error();
    throw CryptoError(message);
}

void clearOpenSslErrors() { ERR_clear_error(); }

BioPtr memoryBio(ByteView data) {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) throwOpenSsl("BIO_new_mem_buf");
    return bio;
}

BioPtr memoryBio() {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throwOpenSsl("BIO_new");
    return bio;
}

Bytes bioContents(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || !data) return {};
    return Bytes(reinterpret_cast<const std::uint8_t*>(data),
                 reinterpret_cast<const std::uint8_t*>(data) + len);
}

bool constantTimeEqual(ByteView a, ByteView b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vpcsc::vicc::crypto
