// RSP signatures over EVP_DigestSign / EVP_DigestVerify (vicc/crypto for the r||s <-> DER forms).
#include "vicc/euicc/signature.hpp"

#include <openssl/pem.h>

#include "vicc/crypto/ecdsa.hpp"

namespace vpcsc::euicc {

using namespace vicc::crypto;

PkeyPtr loadPrivateKeyPem(std::string_view pem) {
    auto bio = memoryBio(ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
    if (!key) throwOpenSsl("PEM_read_bio_PrivateKey");
    return key;
}

Bytes rspSign(EVP_PKEY* key, ByteView data) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr) != 1)
        throwOpenSsl("EVP_DigestSignInit_ex");
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1) throwOpenSsl("EVP_DigestSign");
    Bytes der(len);
    if (EVP_DigestSign(ctx.get(), der.data(), &len, data.data(), data.size()) != 1) throwOpenSsl("EVP_DigestSign");
    der.resize(len);
    return ecdsaDerToPlain(der, 32);
}

bool rspVerify(EVP_PKEY* publicKey, ByteView data, ByteView rs) {
    if (rs.size() != 64) return false;
    Bytes der;
    try {
        der = ecdsaPlainToDer(rs);
    } catch (const std::exception&) {
        clearOpenSslErrors();
        return false;
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, publicKey, nullptr) != 1)
        throwOpenSsl("EVP_DigestVerifyInit_ex");
    const bool ok = EVP_DigestVerify(ctx.get(), der.data(), der.size(), data.data(), data.size()) == 1;
    clearOpenSslErrors();
    return ok;
}

}  // namespace vpcsc::euicc
