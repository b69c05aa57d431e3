// Authentication cryptograms: CBC with a zero IV (ISO 7816-4 §11.5.4-11.5.6, vpcsc's choice).
#include "vicc/crypto/authenticate.hpp"

#include "vicc/crypto/mac.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {

Bytes authenticationCryptogram(const SymmetricKey& key, ByteView challenge) {
    if (!challenge.empty() && challenge.size() % key.blockSize() == 0) return encryptCbcZeroIv(key, challenge);
    return encryptCbcZeroIv(key, padIso9797M2(challenge, key.blockSize()));
}

bool verifyAuthenticationCryptogram(const SymmetricKey& key, ByteView challenge, ByteView cryptogram) {
    return constantTimeEqual(authenticationCryptogram(key, challenge), cryptogram);
}

Bytes smMac(const SymmetricKey& kMac, ByteView paddedData) {
    if (kMac.algorithm() == BlockCipher::TripleDes) return retailMac(kMac, paddedData);
    Bytes mac = aesCmac(kMac, paddedData);
    mac.resize(8);
    return mac;
}

Bytes mutualAuthenticationCryptogram(const SymmetricKey& kEnc, const SymmetricKey& kMac, ByteView s) {
    Bytes out = encryptCbcZeroIv(kEnc, s);
    const Bytes mac = smMac(kMac, padIso9797M2(out, kMac.blockSize()));
    append(out, mac);
    return out;
}

std::optional<Bytes> openMutualAuthenticationCryptogram(const SymmetricKey& kEnc, const SymmetricKey& kMac,
                                                        ByteView cryptogram) {
    if (cryptogram.size() <= 8 || (cryptogram.size() - 8) % kEnc.blockSize() != 0) return std::nullopt;
    const ByteView e = cryptogram.first(cryptogram.size() - 8);
    if (!constantTimeEqual(smMac(kMac, padIso9797M2(e, kMac.blockSize())), cryptogram.last(8))) return std::nullopt;
    return decryptCbcZeroIv(kEnc, e);
}

}  // namespace vpcsc::vicc::crypto
