// ECDSA through EVP_PKEY_sign (no digest: the input is the hash), format conversion with ECDSA_SIG.
#include "vicc/crypto/ecdsa.hpp"

namespace vpcsc::vicc::crypto {
namespace {

std::size_t fieldBytesOf(std::optional<EcCurve> curve) {
    if (!curve) throw std::invalid_argument("not an EC key");
    return curveFieldBytes(*curve);
}

}  // namespace

Bytes ecdsaDerToPlain(ByteView der, std::size_t fieldBytes) {
    const unsigned char* p = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig || p != der.data() + der.size()) throwOpenSsl("d2i_ECDSA_SIG");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    Bytes out(2 * fieldBytes);
    const int n = static_cast<int>(fieldBytes);
    if (BN_bn2binpad(r, out.data(), n) != n || BN_bn2binpad(s, out.data() + fieldBytes, n) != n)
        throw CryptoError("ECDSA r or s longer than the field");
    return out;
}

Bytes ecdsaPlainToDer(ByteView plain) {
    if (plain.empty() || plain.size() % 2 != 0) throw CryptoError("plain ECDSA signature must be r || s");
    const int half = static_cast<int>(plain.size() / 2);
    BignumPtr r(BN_bin2bn(plain.data(), half, nullptr));
    BignumPtr s(BN_bin2bn(plain.data() + half, half, nullptr));
    EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!r || !s || !sig) throwOpenSsl("ECDSA_SIG_new");
    if (ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) throwOpenSsl("ECDSA_SIG_set0");
    r.release();  // owned by sig now
    s.release();
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) throwOpenSsl("i2d_ECDSA_SIG");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Bytes ecdsaSign(const PrivateKey& key, ByteView hash, EcdsaFormat format) {
    const std::size_t fieldBytes = fieldBytesOf(key.curve());
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_sign_init");
    std::size_t len = 0;
    if (EVP_PKEY_sign(ctx.get(), nullptr, &len, hash.data(), hash.size()) != 1) throwOpenSsl("EVP_PKEY_sign size");
    Bytes der(len);
    if (EVP_PKEY_sign(ctx.get(), der.data(), &len, hash.data(), hash.size()) != 1) throwOpenSsl("EVP_PKEY_sign");
    der.resize(len);
    return format == EcdsaFormat::Der ? der : ecdsaDerToPlain(der, fieldBytes);
}

bool ecdsaVerify(const PublicKey& key, ByteView hash, ByteView signature, EcdsaFormat format) {
    const std::size_t fieldBytes = fieldBytesOf(key.curve());
    Bytes der;
    if (format == EcdsaFormat::Plain) {
        if (signature.size() != 2 * fieldBytes) return false;
        der = ecdsaPlainToDer(signature);
    } else {
        der.assign(signature.begin(), signature.end());
    }
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_verify_init");
    const int rc = EVP_PKEY_verify(ctx.get(), der.data(), der.size(), hash.data(), hash.size());
    clearOpenSslErrors();
    return rc == 1;
}

}  // namespace vpcsc::vicc::crypto
