// Hash functions of FIPS 180-4 and the DigestInfo of RFC 8017 §9.2 (PKCS #1 v2.2), which PSO
// COMPUTE DIGITAL SIGNATURE and HASH receive (ISO 7816-8 §5.4, §5.5).
#pragma once

#include <optional>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::vicc::crypto {

enum class DigestAlgorithm { Sha1, Sha224, Sha256, Sha384, Sha512 };

// "SHA-256" (also "sha256", "SHA256"); nullopt for anything else.
std::optional<DigestAlgorithm> digestFromName(std::string_view name);
// The OID's content octets (06 tag and length stripped), e.g. 60 86 48 01 65 03 04 02 01 for
// SHA-256 (NIST CSOR; 2B 0E 03 02 1A for SHA-1); nullopt when unknown.
std::optional<DigestAlgorithm> digestFromOid(ByteView oid);
const char* digestName(DigestAlgorithm alg);  // OpenSSL fetch name, "SHA2-256" style
Bytes digestOid(DigestAlgorithm alg);          // content octets
std::size_t digestSize(DigestAlgorithm alg);   // 20, 28, 32, 48, 64

Bytes digest(DigestAlgorithm alg, ByteView data);

// DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier (parameters NULL), digest
// OCTET STRING } (RFC 8017 §9.2 step 2), built with common/tlv.
Bytes encodeDigestInfo(DigestAlgorithm alg, ByteView hash);
struct DigestInfo {
    DigestAlgorithm algorithm;
    Bytes hash;
};
// Accepts absent or NULL parameters; throws ParseError on anything malformed, an unknown OID or
// a hash of the wrong length.
DigestInfo parseDigestInfo(ByteView der);

}  // namespace vpcsc::vicc::crypto
