// RSA private-key operations as a card performs them (RFC 8017, PKCS #1 v2.2):
//  - PSO COMPUTE DIGITAL SIGNATURE (ISO 7816-8 §5.4): the data field is usually a DigestInfo
//    (card pads with EMSA-PKCS1-v1_5, RFC 8017 §9.2 steps 3-5) or an already padded block of the
//    modulus size (raw RSASP1); RSA-PSS (RFC 8017 §8.1) when the card hashes or receives a hash;
//  - PSO DECIPHER (ISO 7816-8 §5.7): padding indicator byte 00 then the cryptogram, decrypted
//    with PKCS#1 v1.5 (RFC 8017 §7.2), OAEP (§7.1, SHA-1/MGF1-SHA-1 by default) or raw RSADP.
// Verification helpers return false for a wrong signature and never throw for it.
#pragma once

#include "common/bytes.hpp"
#include "vicc/crypto/asymmetric.hpp"
#include "vicc/crypto/digest.hpp"

namespace vpcsc::vicc::crypto {

// EMSA-PKCS1-v1_5 block type 01 around t (normally a DigestInfo), then RSASP1. t must be at
// most k - 11 bytes (std::invalid_argument otherwise).
Bytes rsaSignPkcs1(const PrivateKey& key, ByteView t);
// Convenience: DigestInfo of hash, then rsaSignPkcs1.
Bytes rsaSignPkcs1(const PrivateKey& key, DigestAlgorithm alg, ByteView hash);
// RSASP1 on a block of exactly k bytes, numerically below the modulus (no padding added).
Bytes rsaSignRaw(const PrivateKey& key, ByteView block);
// RSASSA-PSS over a hash computed by alg; MGF1 with the same hash, salt length = hash length.
Bytes rsaSignPss(const PrivateKey& key, DigestAlgorithm alg, ByteView hash);

bool rsaVerifyPkcs1(const PublicKey& key, ByteView t, ByteView signature);
bool rsaVerifyPss(const PublicKey& key, DigestAlgorithm alg, ByteView hash, ByteView signature);

enum class RsaPadding {
    Pkcs1,  // RSAES-PKCS1-v1_5 (block type 02)
    Oaep,   // RSAES-OAEP, SHA-1 and MGF1-SHA-1, empty label (RFC 8017 §7.1 defaults)
    None,   // raw RSAEP/RSADP on k bytes
};

// Throws CryptoError on a padding failure (the card answers 6A80; the message does not say
// which check failed).
Bytes rsaDecrypt(const PrivateKey& key, ByteView cryptogram, RsaPadding padding);
Bytes rsaEncrypt(const PublicKey& key, ByteView plain, RsaPadding padding);
// The PSO DECIPHER data field: padding indicator 00 (ISO 7816-4 §10.2.3.1 Table: "no further
// indication") followed by the cryptogram. Throws SwError 6A80 for any other indicator, an empty
// field or a cryptogram that does not decrypt.
Bytes psoDecipher(const PrivateKey& key, ByteView dataField, RsaPadding padding = RsaPadding::Pkcs1);

}  // namespace vpcsc::vicc::crypto
