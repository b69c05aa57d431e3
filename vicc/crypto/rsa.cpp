// RSA operations through EVP_PKEY_sign/verify/encrypt/decrypt with explicit padding modes.
#include "vicc/crypto/rsa.hpp"

#include <openssl/rsa.h>

#include "common/sw.hpp"

namespace vpcsc::vicc::crypto {
namespace {

std::size_t modulusBytes(EVP_PKEY* pkey) { return static_cast<std::size_t>((EVP_PKEY_get_bits(pkey) + 7) / 8); }

void requireRsa(KeyType type) {
    if (type != KeyType::Rsa) throw std::invalid_argument("not an RSA key");
}

int paddingMode(RsaPadding padding) {
    switch (padding) {
    case RsaPadding::Pkcs1: return RSA_PKCS1_PADDING;
    case RsaPadding::Oaep: return RSA_PKCS1_OAEP_PADDING;
    case RsaPadding::None: return RSA_NO_PADDING;
    }
    return RSA_NO_PADDING;
}

// Sign context with padding (and for PSS the digest, MGF1 and salt length) set.
PkeyCtxPtr signContext(EVP_PKEY* pkey, bool forVerify, int padding, const EVP_MD* md) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx) throwOpenSsl("EVP_PKEY_CTX_new_from_pkey");
    if ((forVerify ? EVP_PKEY_verify_init(ctx.get()) : EVP_PKEY_sign_init(ctx.get())) != 1)
        throwOpenSsl("EVP_PKEY_sign_init");
    if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) != 1) throwOpenSsl("EVP_PKEY_CTX_set_rsa_padding");
    if (md) {
        if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) throwOpenSsl("EVP_PKEY_CTX_set_signature_md");
        if (padding == RSA_PKCS1_PSS_PADDING) {
            if (EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1 ||
                EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1)
                throwOpenSsl("PSS parameters");
        }
    }
    return ctx;
}

Bytes sign(EVP_PKEY_CTX* ctx, ByteView input) {
    std::size_t len = 0;
    if (EVP_PKEY_sign(ctx, nullptr, &len, input.data(), input.size()) != 1) throwOpenSsl("EVP_PKEY_sign size");
    Bytes out(len);
    if (EVP_PKEY_sign(ctx, out.data(), &len, input.data(), input.size()) != 1) throwOpenSsl("EVP_PKEY_sign");
    out.resize(len);
    return out;
}

bool verify(EVP_PKEY_CTX* ctx, ByteView input, ByteView signature) {
    const int rc = EVP_PKEY_verify(ctx, signature.data(), signature.size(), input.data(), input.size());
    clearOpenSslErrors();
    return rc == 1;
}

// EVP_MD for the PSS context; fetched by name each time (PSS signing is rare on a card).
MdPtr fetchMd(DigestAlgorithm alg) {
    MdPtr md(EVP_MD_fetch(nullptr, digestName(alg), nullptr));
    if (!md) throwOpenSsl("EVP_MD_fetch");
    return md;
}

}  // namespace

Bytes rsaSignPkcs1(const PrivateKey& key, ByteView t) {
    requireRsa(key.type());
    if (t.size() + 11 > modulusBytes(key.get())) throw std::invalid_argument("PKCS#1 v1.5 input longer than k - 11");
    auto ctx = signContext(key.get(), false, RSA_PKCS1_PADDING, nullptr);
    return sign(ctx.get(), t);
}

Bytes rsaSignPkcs1(const PrivateKey& key, DigestAlgorithm alg, ByteView hash) {
    return rsaSignPkcs1(key, encodeDigestInfo(alg, hash));
}

Bytes rsaSignRaw(const PrivateKey& key, ByteView block) {
    requireRsa(key.type());
    if (block.size() != modulusBytes(key.get())) throw std::invalid_argument("raw RSA input must be k bytes");
    auto ctx = signContext(key.get(), false, RSA_NO_PADDING, nullptr);
    return sign(ctx.get(), block);
}

Bytes rsaSignPss(const PrivateKey& key, DigestAlgorithm alg, ByteView hash) {
    requireRsa(key.type());
    if (hash.size() != digestSize(alg)) throw std::invalid_argument("hash length does not match the algorithm");
    auto md = fetchMd(alg);
    auto ctx = signContext(key.get(), false, RSA_PKCS1_PSS_PADDING, md.get());
    return sign(ctx.get(), hash);
}

bool rsaVerifyPkcs1(const PublicKey& key, ByteView t, ByteView signature) {
    requireRsa(key.type());
    auto ctx = signContext(key.get(), true, RSA_PKCS1_PADDING, nullptr);
    return verify(ctx.get(), t, signature);
}

bool rsaVerifyPss(const PublicKey& key, DigestAlgorithm alg, ByteView hash, ByteView signature) {
    requireRsa(key.type());
    if (hash.size() != digestSize(alg)) return false;
    auto md = fetchMd(alg);
    auto ctx = signContext(key.get(), true, RSA_PKCS1_PSS_PADDING, md.get());
    return verify(ctx.get(), hash, signature);
}

Bytes rsaDecrypt(const PrivateKey& key, ByteView cryptogram, RsaPadding padding) {
    requireRsa(key.type());
    if (cryptogram.size() != modulusBytes(key.get())) throw CryptoError("RSA cryptogram is not k bytes");
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_decrypt_init");
    if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), paddingMode(padding)) != 1) throwOpenSsl("set_rsa_padding");
    std::size_t len = 0;
    if (EVP_PKEY_decrypt(ctx.get(), nullptr, &len, cryptogram.data(), cryptogram.size()) != 1)
        throwOpenSsl("EVP_PKEY_decrypt size");
    Bytes out(len);
    if (EVP_PKEY_decrypt(ctx.get(), out.data(), &len, cryptogram.data(), cryptogram.size()) != 1)
        throwOpenSsl("RSA decryption failed");
    out.resize(len);
    return out;
}

Bytes rsaEncrypt(const PublicKey& key, ByteView plain, RsaPadding padding) {
    requireRsa(key.type());
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_encrypt_init");
    if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), paddingMode(padding)) != 1) throwOpenSsl("set_rsa_padding");
    std::size_t len = 0;
    if (EVP_PKEY_encrypt(ctx.get(), nullptr, &len, plain.data(), plain.size()) != 1) throwOpenSsl("EVP_PKEY_encrypt size");
    Bytes out(len);
    if (EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plain.data(), plain.size()) != 1) throwOpenSsl("EVP_PKEY_encrypt");
    out.resize(len);
    return out;
}

Bytes psoDecipher(const PrivateKey& key, ByteView dataField, RsaPadding padding) {
    if (dataField.size() < 2 || dataField[0] != 0x00) throw SwError(sw::kIncorrectDataField);
    try {
        return rsaDecrypt(key, dataField.subspan(1), padding);
    } catch (const CryptoError&) {
        throw SwError(sw::kIncorrectDataField);
    }
}

}  // namespace vpcsc::vicc::crypto
