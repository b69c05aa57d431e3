// ECDSA (FIPS 186-4 §6, ANSI X9.62) over a hash the card receives or computes. Signatures come
// as the plain concatenation r || s, each padded to the field size (BSI TR-03111 §5.2.1, what
// ISO 7816-8 PSO COMPUTE DIGITAL SIGNATURE returns for EC on most cards) or as the DER
// Ecdsa-Sig-Value SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 / X.509).
#pragma once

#include "common/bytes.hpp"
#include "vicc/crypto/asymmetric.hpp"

namespace vpcsc::vicc::crypto {

enum class EcdsaFormat { Plain, Der };

// hash: any length (truncated to the group order by ECDSA itself).
Bytes ecdsaSign(const PrivateKey& key, ByteView hash, EcdsaFormat format = EcdsaFormat::Plain);
bool ecdsaVerify(const PublicKey& key, ByteView hash, ByteView signature, EcdsaFormat format = EcdsaFormat::Plain);

// Conversions; throw CryptoError on malformed input or values longer than fieldBytes.
Bytes ecdsaDerToPlain(ByteView der, std::size_t fieldBytes);
Bytes ecdsaPlainToDer(ByteView plain);

}  // namespace vpcsc::vicc::crypto
