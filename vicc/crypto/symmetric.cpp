// AES and Triple DES through EVP_CIPHER (explicitly fetched once per name), padding disabled.
#include "vicc/crypto/symmetric.hpp"

#include <array>
#include <stdexcept>

#include <openssl/crypto.h>

#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {
namespace {

enum class Mode { Ecb, Cbc };

// OpenSSL names: DES-EDE is 2-key 3DES (K1 K2 K1), DES-EDE3 3-key (SP 800-67 keying options 2, 1).
const EVP_CIPHER* cipherFor(const SymmetricKey& key, Mode mode) {
    static const std::array<const char*, 10> kNames{
        "AES-128-ECB", "AES-128-CBC", "AES-192-ECB", "AES-192-CBC", "AES-256-ECB", "AES-256-CBC",
        "DES-EDE-ECB", "DES-EDE-CBC", "DES-EDE3-ECB", "DES-EDE3-CBC"};
    static const std::array<CipherPtr, 10> kCiphers = [] {
        std::array<CipherPtr, 10> out;
        for (std::size_t i = 0; i < kNames.size(); ++i) out[i].reset(EVP_CIPHER_fetch(nullptr, kNames[i], nullptr));
        return out;
    }();
    std::size_t index = 0;
    if (key.algorithm() == BlockCipher::Aes)
        index = key.size() == 16 ? 0 : key.size() == 24 ? 2 : 4;
    else
        index = key.size() == 16 ? 6 : 8;
    index += mode == Mode::Cbc ? 1 : 0;
    const EVP_CIPHER* cipher = kCiphers[index].get();
    if (!cipher) throwOpenSsl(kNames[index]);
    return cipher;
}

Bytes run(const SymmetricKey& key, Mode mode, ByteView iv, ByteView data, bool encrypt) {
    if (data.size() % key.blockSize() != 0)
        throw std::invalid_argument("cipher input is not a multiple of the block size");
    if (mode == Mode::Cbc && iv.size() != key.blockSize()) throw std::invalid_argument("IV is not one block");
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throwOpenSsl("EVP_CIPHER_CTX_new");
    if (EVP_CipherInit_ex2(ctx.get(), cipherFor(key, mode), key.bytes().data(),
                           mode == Mode::Cbc ? iv.data() : nullptr, encrypt ? 1 : 0, nullptr) != 1)
        throwOpenSsl("EVP_CipherInit_ex2");
    EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
    Bytes out(data.size() + key.blockSize());
    int len = 0, finalLen = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) != 1)
        throwOpenSsl("EVP_CipherUpdate");
    if (EVP_CipherFinal_ex(ctx.get(), out.data() + len, &finalLen) != 1) throwOpenSsl("EVP_CipherFinal_ex");
    out.resize(static_cast<std::size_t>(len + finalLen));
    return out;
}

}  // namespace

SymmetricKey::SymmetricKey(BlockCipher algorithm, ByteView key) : m_algorithm(algorithm), m_key(key.begin(), key.end()) {
    const std::size_t n = m_key.size();
    const bool ok = algorithm == BlockCipher::Aes ? (n == 16 || n == 24 || n == 32) : (n == 16 || n == 24);
    if (!ok) {
        OPENSSL_cleanse(m_key.data(), m_key.size());
        throw std::invalid_argument(algorithm == BlockCipher::Aes ? "AES key must be 16, 24 or 32 bytes"
                                                                  : "3DES key must be 16 or 24 bytes");
    }
}

SymmetricKey& SymmetricKey::operator=(const SymmetricKey& other) {
    if (this != &other) {
        OPENSSL_cleanse(m_key.data(), m_key.size());
        m_algorithm = other.m_algorithm;
        m_key = other.m_key;
    }
    return *this;
}

SymmetricKey::~SymmetricKey() { OPENSSL_cleanse(m_key.data(), m_key.size()); }

Bytes encryptEcb(const SymmetricKey& key, ByteView data) { return run(key, Mode::Ecb, {}, data, true); }
Bytes decryptEcb(const SymmetricKey& key, ByteView data) { return run(key, Mode::Ecb, {}, data, false); }
Bytes encryptCbc(const SymmetricKey& key, ByteView iv, ByteView data) { return run(key, Mode::Cbc, iv, data, true); }
Bytes decryptCbc(const SymmetricKey& key, ByteView iv, ByteView data) { return run(key, Mode::Cbc, iv, data, false); }

Bytes encryptCbcZeroIv(const SymmetricKey& key, ByteView data) {
    const Bytes iv(key.blockSize(), 0x00);
    return encryptCbc(key, iv, data);
}

Bytes decryptCbcZeroIv(const SymmetricKey& key, ByteView data) {
    const Bytes iv(key.blockSize(), 0x00);
    return decryptCbc(key, iv, data);
}

Bytes padIso9797M2(ByteView data, std::size_t blockSize) {
    Bytes out(data.begin(), data.end());
    out.push_back(0x80);
    while (out.size() % blockSize != 0) out.push_back(0x00);
    return out;
}

Bytes unpadIso9797M2(ByteView data, std::size_t blockSize) {
    if (data.empty() || data.size() % blockSize != 0) throw ParseError("padded data is not a multiple of the block size");
    std::size_t i = data.size();
    const std::size_t lastBlock = data.size() - blockSize;
    while (i > lastBlock && data[i - 1] == 0x00) --i;
    if (i == lastBlock || data[i - 1] != 0x80) throw ParseError("ISO 9797-1 method 2 padding not found");
    return Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(i - 1));
}

}  // namespace vpcsc::vicc::crypto
