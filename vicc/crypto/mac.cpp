// AES-CMAC through EVP_MAC, ISO 9797-1 MAC algorithm 3 through EVP ciphers.
#include "vicc/crypto/mac.hpp"

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {

Bytes aesCmac(const SymmetricKey& key, ByteView data) {
    if (key.algorithm() != BlockCipher::Aes) throw std::invalid_argument("CMAC needs an AES key");
    static const MacPtr kCmac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
    if (!kCmac) throwOpenSsl("EVP_MAC_fetch CMAC");
    MacCtxPtr ctx(EVP_MAC_CTX_new(kCmac.get()));
    if (!ctx) throwOpenSsl("EVP_MAC_CTX_new");
    const char* cipherName = key.size() == 16 ? "AES-128-CBC" : key.size() == 24 ? "AES-192-CBC" : "AES-256-CBC";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(cipherName), 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_init(ctx.get(), key.bytes().data(), key.size(), params) != 1) throwOpenSsl("EVP_MAC_init");
    if (EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) throwOpenSsl("EVP_MAC_update");
    Bytes out(16);
    std::size_t len = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1) throwOpenSsl("EVP_MAC_final");
    out.resize(len);
    return out;
}

Bytes retailMac(const SymmetricKey& key, ByteView data) {
    if (key.algorithm() != BlockCipher::TripleDes || key.size() != 16)
        throw std::invalid_argument("retail MAC needs a 16-byte 3DES key K || K'");
    if (data.empty() || data.size() % 8 != 0) throw std::invalid_argument("retail MAC input must be padded to 8 bytes");
    const ByteView k = key.bytes().first(8);
    Bytes chaining(8, 0x00);  // H0 = 0 (ISO 9797-1 §7.2, initial transformation 1)
    if (data.size() > 8) {
        Bytes kk(k.begin(), k.end());  // K || K: DES-EDE under equal halves is single DES under K
        kk.insert(kk.end(), k.begin(), k.end());
        const SymmetricKey single(BlockCipher::TripleDes, kk);
        OPENSSL_cleanse(kk.data(), kk.size());
        const Bytes out = encryptCbc(single, chaining, data.first(data.size() - 8));
        chaining.assign(out.end() - 8, out.end());
    }
    // Output transformation 3 on the last block: E_K(D_K'(H_q)) folded into one EDE block.
    return encryptCbc(key, chaining, data.last(8));
}

}  // namespace vpcsc::vicc::crypto
