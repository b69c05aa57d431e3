#include "vicc/crypto/random.hpp"

#include <openssl/rand.h>

#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {

Bytes randomBytes(std::size_t n) {
    Bytes out(n);
    if (n != 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1) throwOpenSsl("RAND_bytes");
    return out;
}

}  // namespace vpcsc::vicc::crypto
