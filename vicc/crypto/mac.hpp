// Message authentication codes for secure messaging and authentication cryptograms.
#pragma once

#include "common/bytes.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::vicc::crypto {

// CMAC of NIST SP 800-38B with AES (EVP_MAC "CMAC"), the full 16-byte tag. CMAC pads
// internally; callers that follow ICAO 9303 / BSI TR-03110 pad the input with method 2 first.
// Throws std::invalid_argument for a key that is not AES.
Bytes aesCmac(const SymmetricKey& key, ByteView data);

// ISO/IEC 9797-1 MAC algorithm 3 with DES ("retail MAC", ANSI X9.19): CBC with single DES under
// K over every block, then the last output deciphered with K' and enciphered again with K.
// key: 16-byte 2-key 3DES key K || K'. data: already padded (padIso9797M2), a non-zero multiple
// of 8 bytes; the padding is the caller's (ISO 7816-4 §10.2.3.1). Returns the 8-byte MAC.
// Computed with OpenSSL's DES-EDE-CBC: under K || K it is single DES (EDE with equal keys), and
// the final step E_K(D_K'(E_K(x))) is one DES-EDE block under K || K'.
Bytes retailMac(const SymmetricKey& key, ByteView data);

}  // namespace vpcsc::vicc::crypto
