#include "vicc/cryptoflex/rsa_key.hpp"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <stdexcept>
#include <vector>

#include "common/sw.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::cryptoflex {

namespace {

using crypto::BignumPtr;
using crypto::throwOpenSsl;
using BnCtxPtr = std::unique_ptr<BN_CTX, crypto::OsslDeleter<BN_CTX_free>>;

BignumPtr bn(ByteView bigEndian) {
    BignumPtr b(BN_bin2bn(bigEndian.data(), static_cast<int>(bigEndian.size()), nullptr));
    if (!b) throwOpenSsl("BN_bin2bn");
    return b;
}

BignumPtr bnWord(std::uint32_t w) {
    BignumPtr b(BN_new());
    if (!b || !BN_set_word(b.get(), w)) throwOpenSsl("BN_set_word");
    return b;
}

BignumPtr newBn() {
    BignumPtr b(BN_new());
    if (!b) throwOpenSsl("BN_new");
    return b;
}

Bytes bnBytes(const BIGNUM* b, std::size_t width) {
    Bytes out(width);
    if (BN_bn2binpad(b, out.data(), static_cast<int>(width)) < 0) throw std::invalid_argument("key component too wide");
    return out;
}

BignumPtr param(const EVP_PKEY* pkey, const char* name) {
    BIGNUM* raw = nullptr;
    if (!EVP_PKEY_get_bn_param(pkey, name, &raw)) throwOpenSsl(name);
    return BignumPtr(raw);
}

// e·d ≡ 1 (mod m-1) for the CRT exponent d of prime m.
bool inverseExponent(const BIGNUM* e, const BIGNUM* d, const BIGNUM* prime, BN_CTX* ctx) {
    BignumPtr m1 = newBn(), t = newBn();
    if (!BN_sub(m1.get(), prime, BN_value_one()) || !BN_mod_mul(t.get(), e, d, m1.get(), ctx)) throwOpenSsl("BN_mod_mul");
    return BN_is_one(t.get());
}

}  // namespace

GeneratedKey generateRsaKey(int bits, std::uint32_t e, std::uint8_t keyNumber) {
    const std::size_t base = baseOfBits(bits);
    if (base == 0 || e < 3 || (e & 1) == 0) throw std::invalid_argument("generateRsaKey: unsupported size or exponent");
    crypto::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) throwOpenSsl("EVP_PKEY_keygen_init");
    BignumPtr exponent = bnWord(e);
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), exponent.get()) <= 0)
        throwOpenSsl("RSA key generation parameters");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &raw) <= 0) throwOpenSsl("EVP_PKEY_generate");
    crypto::PkeyPtr pkey(raw);

    GeneratedKey k;
    k.privateKey.keyNumber = keyNumber;
    k.privateKey.p = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR1).get(), base);
    k.privateKey.q = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR2).get(), base);
    k.privateKey.dmp1 = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1).get(), base);
    k.privateKey.dmq1 = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2).get(), base);
    // OpenSSL's coefficient is q^-1 mod p, the Cryptoflex's iqmp.
    k.privateKey.iqmp = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1).get(), base);
    k.publicKey.keyNumber = keyNumber;
    k.publicKey.n = bnBytes(param(pkey.get(), OSSL_PKEY_PARAM_RSA_N).get(), 2 * base);
    k.publicKey.e = e;
    return k;
}

Bytes rsaPrivateOperation(const PrivateKeyRecord& key, std::optional<std::uint32_t> e, ByteView input) {
    const std::size_t k = 2 * key.base();
    if (input.size() != k) throw SwError(sw::kWrongLength);
    BnCtxPtr ctx(BN_CTX_new());
    if (!ctx) throwOpenSsl("BN_CTX_new");
    BignumPtr p = bn(key.p), q = bn(key.q), dmp1 = bn(key.dmp1), dmq1 = bn(key.dmq1), iqmp = bn(key.iqmp);
    BignumPtr n = newBn();
    if (!BN_mul(n.get(), p.get(), q.get(), ctx.get())) throwOpenSsl("BN_mul");
    if (BN_is_zero(n.get()) || static_cast<std::size_t>(BN_num_bytes(n.get())) != k)
        throw SwError(sw::kReferenceDataNotUsable);
    BignumPtr m = bn(input);
    if (BN_cmp(m.get(), n.get()) >= 0) throw SwError(sw::kIncorrectDataField);

    std::vector<std::uint32_t> candidates;
    if (e) candidates.push_back(*e);
    candidates.insert(candidates.end(), {65537u, 3u});
    BignumPtr exponent;
    for (std::uint32_t c : candidates) {
        BignumPtr candidate = bnWord(c);
        if (c >= 3 && inverseExponent(candidate.get(), dmp1.get(), p.get(), ctx.get()) &&
            inverseExponent(candidate.get(), dmq1.get(), q.get(), ctx.get())) {
            exponent = std::move(candidate);
            break;
        }
    }
    if (!exponent) throw SwError(sw::kReferenceDataNotUsable);

    // d = e^-1 mod (p-1)(q-1): OpenSSL's key import wants it, the operation itself uses the CRT.
    BignumPtr p1 = newBn(), q1 = newBn(), phi = newBn();
    if (!BN_sub(p1.get(), p.get(), BN_value_one()) || !BN_sub(q1.get(), q.get(), BN_value_one()) ||
        !BN_mul(phi.get(), p1.get(), q1.get(), ctx.get()))
        throwOpenSsl("BN_mul");
    BignumPtr d(BN_mod_inverse(nullptr, exponent.get(), phi.get(), ctx.get()));
    if (!d) throw SwError(sw::kReferenceDataNotUsable);

    crypto::ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get()))
        throwOpenSsl("OSSL_PARAM_BLD_push_BN");
    crypto::ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    crypto::PkeyCtxPtr fromData(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !fromData || EVP_PKEY_fromdata_init(fromData.get()) <= 0 ||
        EVP_PKEY_fromdata(fromData.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) <= 0)
        throwOpenSsl("EVP_PKEY_fromdata");
    crypto::PkeyPtr pkey(raw);

    // RSADP without padding (RFC 8017 §5.1.2): the Cryptoflex signs and deciphers raw.
    crypto::PkeyCtxPtr op(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!op || EVP_PKEY_decrypt_init(op.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(op.get(), RSA_NO_PADDING) <= 0)
        throwOpenSsl("EVP_PKEY_decrypt_init");
    Bytes out(k);
    std::size_t outLen = out.size();
    if (EVP_PKEY_decrypt(op.get(), out.data(), &outLen, input.data(), input.size()) <= 0) throwOpenSsl("EVP_PKEY_decrypt");
    if (outLen > k) throw std::logic_error("RSADP output longer than the modulus");
    // Left-pad to the modulus length.
    Bytes result(k - outLen, 0x00);
    result.insert(result.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(outLen));
    return result;
}

}  // namespace vpcsc::vicc::cryptoflex
