// ECKA, X9.63 KDF and BSP over OpenSSL (vicc/crypto for AES and CMAC).
#include "vicc/euicc/bsp.hpp"

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/objects.h>

#include "common/tlv.hpp"
#include "vicc/crypto/mac.hpp"

namespace vpcsc::euicc {
namespace {

using namespace vicc::crypto;

using KdfPtr = std::unique_ptr<EVP_KDF, OsslDeleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OsslDeleter<EVP_KDF_CTX_free>>;

constexpr std::size_t kPointSize = 65;  // 04 || X || Y on a 256-bit curve

PkeyPtr fromParams(RspCurve curve, ByteView pub, const BIGNUM* priv) {
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld) throwOpenSsl("OSSL_PARAM_BLD_new");
    if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curveGroupName(curve), 0) != 1)
        throwOpenSsl("OSSL_PARAM_BLD group");
    if (!pub.empty() && OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) != 1)
        throwOpenSsl("OSSL_PARAM_BLD pub");
    if (priv && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1) throwOpenSsl("OSSL_PARAM_BLD priv");
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_fromdata_init");
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throwOpenSsl("EVP_PKEY_fromdata");
    PkeyPtr out(key);
    if (!priv) {  // a peer's point: refuse anything not on the curve before using it
        PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, out.get(), nullptr));
        if (!check || EVP_PKEY_public_check(check.get()) != 1) throwOpenSsl("EC public key check");
    }
    return out;
}

}  // namespace

const char* curveGroupName(RspCurve curve) {
    return curve == RspCurve::NistP256 ? "prime256v1" : "brainpoolP256r1";
}

EckaKeyPair EckaKeyPair::generate(RspCurve curve) {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curveGroupName(curve)));
    if (!key) throwOpenSsl("EVP_PKEY_Q_keygen");
    return EckaKeyPair(curve, std::move(key));
}

EckaKeyPair EckaKeyPair::fromPrivate(RspCurve curve, ByteView scalar) {
    if (scalar.size() != 32) throw std::invalid_argument("ECKA private scalar must be 32 bytes");
    BignumPtr d(BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr));
    if (!d) throwOpenSsl("BN_bin2bn");
    // The public point is needed for publicPoint(): compute d*G through a temporary EC_GROUP.
    using GroupPtr = std::unique_ptr<EC_GROUP, OsslDeleter<EC_GROUP_free>>;
    using PointPtr = std::unique_ptr<EC_POINT, OsslDeleter<EC_POINT_free>>;
    GroupPtr group(EC_GROUP_new_by_curve_name(OBJ_sn2nid(curveGroupName(curve))));
    if (!group) throwOpenSsl("EC_GROUP_new_by_curve_name");
    PointPtr q(EC_POINT_new(group.get()));
    if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) != 1) throwOpenSsl("EC_POINT_mul");
    Bytes pub(kPointSize);
    if (EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(), pub.size(), nullptr) != kPointSize)
        throwOpenSsl("EC_POINT_point2oct");
    return EckaKeyPair(curve, fromParams(curve, pub, d.get()));
}

Bytes EckaKeyPair::publicPoint() const {
    Bytes out(kPointSize);
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(m_key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.data(), out.size(), &len) != 1)
        throwOpenSsl("EVP_PKEY_get_octet_string_param");
    out.resize(len);
    return out;
}

Bytes EckaKeyPair::sharedSecret(ByteView peerPoint) const {
    if (peerPoint.size() != kPointSize || peerPoint[0] != 0x04)
        throw CryptoError("ECKA: peer key is not an uncompressed point of a 256-bit curve");
    const PkeyPtr peer = fromParams(m_curve, peerPoint, nullptr);
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_key.get(), nullptr));
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) throwOpenSsl("EVP_PKEY_derive_init");
    if (EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1) throwOpenSsl("EVP_PKEY_derive_set_peer");
    std::size_t len = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) throwOpenSsl("EVP_PKEY_derive");
    Bytes z(len);
    if (EVP_PKEY_derive(ctx.get(), z.data(), &len) != 1) throwOpenSsl("EVP_PKEY_derive");
    z.resize(len);
    return z;
}

Bytes x963KdfSha256(ByteView sharedSecret, ByteView sharedInfo, std::size_t length) {
    static const KdfPtr kKdf(EVP_KDF_fetch(nullptr, "X963KDF", nullptr));
    if (!kKdf) throwOpenSsl("EVP_KDF_fetch X963KDF");
    KdfCtxPtr ctx(EVP_KDF_CTX_new(kKdf.get()));
    if (!ctx) throwOpenSsl("EVP_KDF_CTX_new");
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(sharedSecret.data()), sharedSecret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<std::uint8_t*>(sharedInfo.data()), sharedInfo.size()),
        OSSL_PARAM_construct_end(),
    };
    Bytes out(length);
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) throwOpenSsl("EVP_KDF_derive X963KDF");
    return out;
}

SessionKeys deriveSessionKeys(ByteView sharedSecret, ByteView hostId, ByteView eid, std::uint8_t keyType,
                              std::uint8_t keyLength) {
    if (hostId.empty() || hostId.size() > 16) throw std::invalid_argument("hostId must be 1-16 bytes");
    if (eid.size() != 16) throw std::invalid_argument("EID must be 16 bytes");
    if (keyType != kKeyTypeAes || keyLength != kKeyLength128) throw std::invalid_argument("only AES-128 session keys");
    // SGP.22 §2.6.4.1 / Annex G: shared info = keyType || keyLength || L(hostId) || hostId || L(EID) || EID
    Bytes info{keyType, keyLength, static_cast<std::uint8_t>(hostId.size())};
    append(info, hostId);
    info.push_back(static_cast<std::uint8_t>(eid.size()));
    append(info, eid);
    Bytes k = x963KdfSha256(sharedSecret, info, 48);
    SessionKeys keys{Bytes(k.begin(), k.begin() + 16), SymmetricKey(BlockCipher::Aes, ByteView(k).subspan(16, 16)),
                     SymmetricKey(BlockCipher::Aes, ByteView(k).subspan(32, 16))};
    OPENSSL_cleanse(k.data(), k.size());
    return keys;
}

Bsp::Bsp(const SessionKeys& keys) : m_enc(keys.sEnc), m_mac(keys.sMac), m_mcv(keys.initialMcv) {
    if (m_mcv.size() != 16) throw std::invalid_argument("MCV must be 16 bytes");
}

Bsp::Bsp(ByteView ppkEnc, ByteView ppkMac, ByteView initialMcv)
    : m_enc(BlockCipher::Aes, ppkEnc), m_mac(BlockCipher::Aes, ppkMac), m_mcv(initialMcv.begin(), initialMcv.end()) {
    if (ppkEnc.size() != 16 || ppkMac.size() != 16 || m_mcv.size() != 16)
        throw std::invalid_argument("PPK-ENC, PPK-MAC and MCV must be 16 bytes");
}

Bytes Bsp::icv() const {
    Bytes block(16, 0x00);  // the block counter, 16 bytes big-endian (GPC Amd F §6.2.6)
    for (int i = 0; i < 4; ++i) block[15 - i] = static_cast<std::uint8_t>(m_counter >> (8 * i));
    return encryptEcb(m_enc, block);
}

Bytes Bsp::cmac(std::uint8_t tag, std::size_t lengthField, ByteView data) const {
    Bytes input = m_mcv;
    input.push_back(tag);
    tlv::appendLength(input, lengthField);
    append(input, data);
    return aesCmac(m_mac, input);
}

Bytes Bsp::wrapEncrypted(std::uint8_t tag, ByteView plaintext) {
    if (plaintext.size() > kMaxPlaintext) throw std::invalid_argument("BSP segment plaintext too long");
    const Bytes ct = encryptCbc(m_enc, icv(), padIso9797M2(plaintext, 16));
    const Bytes mac = cmac(tag, ct.size() + 8, ct);
    Bytes out{tag};
    tlv::appendLength(out, ct.size() + 8);
    append(out, ct);
    out.insert(out.end(), mac.begin(), mac.begin() + 8);
    m_mcv = mac;
    ++m_counter;
    return out;
}

Bytes Bsp::wrapMacOnly(std::uint8_t tag, ByteView data) {
    if (data.size() > kMaxMacOnlyData) throw std::invalid_argument("BSP MAC-only segment too long");
    const Bytes mac = cmac(tag, data.size() + 8, data);
    Bytes out{tag};
    tlv::appendLength(out, data.size() + 8);
    append(out, data);
    out.insert(out.end(), mac.begin(), mac.begin() + 8);
    m_mcv = mac;
    ++m_counter;
    return out;
}

namespace {
// Splits one segment TLV into (tag, data, C-MAC); throws BspError.
struct Parts {
    std::uint8_t tag;
    ByteView data;
    ByteView mac;
};
Parts split(ByteView segment) {
    tlv::Tlv t;
    try {
        t = tlv::parseOne(segment);
    } catch (const ParseError& e) {
        throw BspError(std::string("BSP segment: ") + e.what());
    }
    if (t.tag > 0xFF) throw BspError("BSP segment: multi-byte tag");
    if (t.value.size() < 8) throw BspError("BSP segment: shorter than its C-MAC");
    return {static_cast<std::uint8_t>(t.tag), t.value.first(t.value.size() - 8), t.value.last(8)};
}
}  // namespace

Bytes Bsp::unwrapEncrypted(ByteView segment) {
    const Parts p = split(segment);
    if (p.data.empty() || p.data.size() % 16 != 0) throw BspError("BSP segment: cryptogram is not whole AES blocks");
    const Bytes mac = cmac(p.tag, p.data.size() + 8, p.data);
    if (!constantTimeEqual(ByteView(mac).first(8), p.mac)) throw BspError("BSP segment: C-MAC verification failed");
    Bytes plain;
    try {
        plain = unpadIso9797M2(decryptCbc(m_enc, icv(), p.data), 16);
    } catch (const ParseError&) {
        throw BspError("BSP segment: bad padding");
    }
    m_mcv = mac;
    ++m_counter;
    return plain;
}

Bytes Bsp::unwrapMacOnly(ByteView segment) {
    const Parts p = split(segment);
    const Bytes mac = cmac(p.tag, p.data.size() + 8, p.data);
    if (!constantTimeEqual(ByteView(mac).first(8), p.mac)) throw BspError("BSP segment: C-MAC verification failed");
    m_mcv = mac;
    ++m_counter;
    return Bytes(p.data.begin(), p.data.end());
}

}  // namespace vpcsc::euicc
