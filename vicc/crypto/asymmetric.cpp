// RSA and EC keys through EVP_PKEY (generation, fromdata, PEM/DER) and the ISO 7816-8 7F49
// public key template, built and parsed with common/tlv.
#include "vicc/crypto/asymmetric.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "common/tlv.hpp"

namespace vpcsc::vicc::crypto {
namespace {

PkeyPtr upRef(EVP_PKEY* pkey) {
    if (pkey && EVP_PKEY_up_ref(pkey) != 1) throwOpenSsl("EVP_PKEY_up_ref");
    return PkeyPtr(pkey);
}

KeyType typeOf(const EVP_PKEY* pkey) {
    if (EVP_PKEY_is_a(pkey, "RSA")) return KeyType::Rsa;
    if (EVP_PKEY_is_a(pkey, "EC")) return KeyType::Ec;
    throw CryptoError("unsupported key type (RSA and EC only)");
}

std::optional<EcCurve> curveOf(const EVP_PKEY* pkey) {
    if (typeOf(pkey) != KeyType::Ec) return std::nullopt;
    char name[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1)
        throwOpenSsl("EC group name");
    const std::string_view group(name, len);
    if (group == "prime256v1" || group == "P-256" || group == "secp256r1") return EcCurve::P256;
    if (group == "secp384r1" || group == "P-384") return EcCurve::P384;
    throw CryptoError("unsupported EC curve (P-256 and P-384 only)");
}

Bytes bnParam(const EVP_PKEY* pkey, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) throwOpenSsl(name);
    const BignumPtr bn(raw);
    Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

// EVP_PKEY_fromdata over parameters built by fill(bld).
template <class Fill>
PkeyPtr fromData(const char* type, int selection, Fill fill) {
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld) throwOpenSsl("OSSL_PARAM_BLD_new");
    fill(bld.get());
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    if (!params) throwOpenSsl("OSSL_PARAM_BLD_to_param");
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_fromdata_init");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) throwOpenSsl("EVP_PKEY_fromdata");
    return PkeyPtr(raw);
}

PkeyPtr generate(const char* type, const OSSL_PARAM* params) {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_keygen_init");
    if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) throwOpenSsl("EVP_PKEY_CTX_set_params");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &raw) != 1) throwOpenSsl("EVP_PKEY_generate");
    return PkeyPtr(raw);
}

std::string toString(const Bytes& b) { return std::string(b.begin(), b.end()); }

// PEM password callback that refuses: an encrypted key is an error, never a terminal prompt.
int noPassword(char*, int, int, void*) { return -1; }

}  // namespace

const char* curveName(EcCurve curve) { return curve == EcCurve::P256 ? "prime256v1" : "secp384r1"; }
std::size_t curveFieldBytes(EcCurve curve) { return curve == EcCurve::P256 ? 32 : 48; }

// ---- PublicKey ----------------------------------------------------------------------------------

PublicKey::PublicKey(PkeyPtr pkey) : m_pkey(std::move(pkey)) {
    if (!m_pkey) throw std::invalid_argument("null EVP_PKEY");
    typeOf(m_pkey.get());
}
PublicKey::PublicKey(const PublicKey& other) : m_pkey(upRef(other.m_pkey.get())) {}
PublicKey& PublicKey::operator=(const PublicKey& other) {
    if (this != &other) m_pkey = upRef(other.m_pkey.get());
    return *this;
}
bool PublicKey::operator==(const PublicKey& other) const { return EVP_PKEY_eq(get(), other.get()) == 1; }

PublicKey PublicKey::fromDer(ByteView spki) {
    const unsigned char* p = spki.data();
    PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    if (!pkey) throwOpenSsl("d2i_PUBKEY");
    if (p != spki.data() + spki.size()) throw CryptoError("trailing bytes after SubjectPublicKeyInfo");
    return PublicKey(std::move(pkey));
}

PublicKey PublicKey::fromPem(std::string_view pem) {
    auto bio = memoryBio(ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, noPassword, nullptr));
    if (!pkey) throwOpenSsl("PEM_read_bio_PUBKEY");
    return PublicKey(std::move(pkey));
}

PublicKey PublicKey::fromRsa(ByteView modulus, ByteView exponent) {
    BignumPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    BignumPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
    if (!n || !e) throwOpenSsl("BN_bin2bn");
    if (BN_is_zero(n.get()) || BN_is_zero(e.get())) throw CryptoError("RSA modulus and exponent must not be zero");
    return PublicKey(fromData("RSA", EVP_PKEY_PUBLIC_KEY, [&](OSSL_PARAM_BLD* bld) {
        if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
            throwOpenSsl("OSSL_PARAM_BLD_push_BN");
    }));
}

PublicKey PublicKey::fromEcPoint(EcCurve curve, ByteView point) {
    if (point.size() != 1 + 2 * curveFieldBytes(curve) || point[0] != 0x04)
        throw CryptoError("EC point is not an uncompressed point of the curve");
    PkeyPtr pkey = fromData("EC", EVP_PKEY_PUBLIC_KEY, [&](OSSL_PARAM_BLD* bld) {
        if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curveName(curve), 0) != 1 ||
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
            throwOpenSsl("OSSL_PARAM_BLD_push");
    });
    // fromdata does not check that the point is on the curve (SP 800-56A §5.6.2.3.3 partial check).
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) throwOpenSsl("EC point not on the curve");
    return PublicKey(std::move(pkey));
}

PublicKey PublicKey::fromIsoTemplate(ByteView in, std::optional<EcCurve> curve) {
    ByteView content = in;
    std::optional<tlv::Tlv> outer;
    if (!in.empty() && in[0] == 0x7F) {
        outer = tlv::parseOne(in);
        if (outer->tag != kTagPublicKeyTemplate) throw ParseError("public key template: expected 7F49");
        content = outer->value;
    }
    std::optional<ByteView> modulus, exponent, point;
    for (const tlv::Tlv& t : tlv::parseAll(content)) {
        if (t.tag == kTagRsaModulus) modulus = t.value;
        else if (t.tag == kTagRsaExponent) exponent = t.value;
        else if (t.tag == kTagEcPoint) point = t.value;
    }
    if (modulus && exponent) return fromRsa(*modulus, *exponent);
    if (point) {
        if (!curve) throw ParseError("public key template: EC point without a curve");
        return fromEcPoint(*curve, *point);
    }
    throw ParseError("public key template: neither 81+82 (RSA) nor 86 (EC)");
}

Bytes PublicKey::toDer() const {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(get(), &der);
    if (len <= 0) throwOpenSsl("i2d_PUBKEY");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::string PublicKey::toPem() const {
    auto bio = memoryBio();
    if (PEM_write_bio_PUBKEY(bio.get(), get()) != 1) throwOpenSsl("PEM_write_bio_PUBKEY");
    return toString(bioContents(bio.get()));
}

Bytes PublicKey::isoTemplate() const {
    tlv::Builder content;
    if (type() == KeyType::Rsa)
        content.add(kTagRsaModulus, rsaModulus()).add(kTagRsaExponent, rsaExponent());
    else
        content.add(kTagEcPoint, ecPoint());
    return content.wrap(kTagPublicKeyTemplate);
}

KeyType PublicKey::type() const { return typeOf(get()); }
int PublicKey::bits() const { return EVP_PKEY_get_bits(get()); }
std::optional<EcCurve> PublicKey::curve() const { return curveOf(get()); }
Bytes PublicKey::rsaModulus() const { return bnParam(get(), OSSL_PKEY_PARAM_RSA_N); }
Bytes PublicKey::rsaExponent() const { return bnParam(get(), OSSL_PKEY_PARAM_RSA_E); }

Bytes PublicKey::ecPoint() const {
    if (type() != KeyType::Ec) throw std::logic_error("ecPoint() of a non-EC key");
    unsigned char* raw = nullptr;
    // Uncompressed unless the key says otherwise (OpenSSL's default point format).
    const std::size_t len = EVP_PKEY_get1_encoded_public_key(get(), &raw);
    if (len == 0 || !raw) throwOpenSsl("EVP_PKEY_get1_encoded_public_key");
    Bytes out(raw, raw + len);
    OPENSSL_free(raw);
    return out;
}

// ---- PrivateKey ---------------------------------------------------------------------------------

PrivateKey::PrivateKey(PkeyPtr pkey) : m_pkey(std::move(pkey)) {
    if (!m_pkey) throw std::invalid_argument("null EVP_PKEY");
    typeOf(m_pkey.get());
}
PrivateKey::PrivateKey(const PrivateKey& other) : m_pkey(upRef(other.m_pkey.get())) {}
PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
    if (this != &other) m_pkey = upRef(other.m_pkey.get());
    return *this;
}

PrivateKey PrivateKey::generateRsa(int bits) {
    if (bits != 1024 && bits != 2048 && bits != 3072 && bits != 4096)
        throw std::invalid_argument("RSA key size must be 1024, 2048, 3072 or 4096 bits");
    unsigned int size = static_cast<unsigned int>(bits);
    unsigned int exponent = 65537;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_uint(OSSL_PKEY_PARAM_RSA_BITS, &size),
        OSSL_PARAM_construct_uint(OSSL_PKEY_PARAM_RSA_E, &exponent),
        OSSL_PARAM_construct_end(),
    };
    return PrivateKey(generate("RSA", params));
}

PrivateKey PrivateKey::generateEc(EcCurve curve) {
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(curveName(curve)), 0),
        OSSL_PARAM_construct_end(),
    };
    return PrivateKey(generate("EC", params));
}

PrivateKey PrivateKey::fromPem(std::string_view pem) {
    auto bio = memoryBio(ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr));
    if (!pkey) throwOpenSsl("PEM_read_bio_PrivateKey");
    PrivateKey key(std::move(pkey));
    curveOf(key.get());  // refuses curves other than P-256/P-384
    return key;
}

std::string PrivateKey::toPem() const {
    BioPtr bio(BIO_new(BIO_s_secmem()));  // freed with cleansing
    if (!bio) throwOpenSsl("BIO_new");
    // PEM_write_bio_PrivateKey writes PKCS#8 PrivateKeyInfo in OpenSSL 3.
    if (PEM_write_bio_PrivateKey(bio.get(), get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throwOpenSsl("PEM_write_bio_PrivateKey");
    Bytes pem = bioContents(bio.get());
    std::string out = toString(pem);
    OPENSSL_cleanse(pem.data(), pem.size());
    return out;
}

PublicKey PrivateKey::publicKey() const {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(get(), &der);
    if (len <= 0) throwOpenSsl("i2d_PUBKEY");
    const unsigned char* p = der;
    PkeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
    OPENSSL_free(der);
    if (!pub) throwOpenSsl("d2i_PUBKEY");
    return PublicKey(std::move(pub));
}

KeyType PrivateKey::type() const { return typeOf(get()); }
int PrivateKey::bits() const { return EVP_PKEY_get_bits(get()); }
std::optional<EcCurve> PrivateKey::curve() const { return curveOf(get()); }

std::size_t PrivateKey::signatureSize() const {
    if (auto c = curve()) return 2 * curveFieldBytes(*c);
    return static_cast<std::size_t>((bits() + 7) / 8);
}

}  // namespace vpcsc::vicc::crypto
