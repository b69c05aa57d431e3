// Cryptograms of the symmetric authentication commands: INTERNAL AUTHENTICATE (ISO 7816-4
// §11.5.4), EXTERNAL AUTHENTICATE (§11.5.5) and MUTUAL AUTHENTICATE (§11.5.6, ICAO 9303 Part 11
// §4.3 BAC style). ISO 7816-4 leaves the algorithm to the key's reference; vpcsc's choice:
//   challenge of exactly one block (8 bytes 3DES, 16 bytes AES): ECB, i.e. E(K, challenge);
//   a longer multiple of the block size: CBC with an all-zero IV;
//   any other length: ISO 9797-1 padding method 2, then CBC with an all-zero IV.
// (One block of CBC with a zero IV equals ECB, so all three are "CBC, zero IV, pad if needed".)
#pragma once

#include <optional>

#include "common/bytes.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::vicc::crypto {

// INTERNAL AUTHENTICATE response / EXTERNAL AUTHENTICATE data: the enciphered challenge.
Bytes authenticationCryptogram(const SymmetricKey& key, ByteView challenge);
// Whether cryptogram is authenticationCryptogram(key, challenge), compared in constant time.
bool verifyAuthenticationCryptogram(const SymmetricKey& key, ByteView challenge, ByteView cryptogram);

// MUTUAL AUTHENTICATE as ICAO 9303 Part 11 §4.3.3 (BAC): E(K_enc, S) with 3DES/AES-CBC and a zero
// IV over S (a multiple of the block size), followed by the 8-byte MAC over E padded with method
// 2: retail MAC for 3DES (ISO 9797-1 MAC algorithm 3), AES-CMAC truncated to 8 bytes for AES.
Bytes mutualAuthenticationCryptogram(const SymmetricKey& kEnc, const SymmetricKey& kMac, ByteView s);
// The inverse: S when the MAC is right (constant-time compare), nullopt otherwise (also for a
// wrong length).
std::optional<Bytes> openMutualAuthenticationCryptogram(const SymmetricKey& kEnc, const SymmetricKey& kMac,
                                                        ByteView cryptogram);

// The 8-byte MAC of secure messaging and MUTUAL AUTHENTICATE over data already padded with
// method 2: retail MAC (3DES) or the first 8 bytes of AES-CMAC (BSI TR-03110 Part 3 §F.2.2.1).
Bytes smMac(const SymmetricKey& kMac, ByteView paddedData);

}  // namespace vpcsc::vicc::crypto
