// MILENAGE, the 3GPP example authentication and key generation functions f1, f1*, f2, f3, f4,
// f5, f5* (3GPP TS 35.206 §4.1), with OPc derivation and the GSM conversion functions c2/c3
// (TS 33.102 §6.8.1.2, as used by GSM-MILENAGE, TS 55.205). The kernel is AES-128 through
// OpenSSL (vicc/crypto/symmetric.hpp). Keys are never logged.
#pragma once

#include "common/bytes.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::vicc::sim {

// TS 35.206 §4.1: OPc = OP xor E_K(OP). k and op have 16 bytes (std::invalid_argument otherwise).
Bytes milenageOpc(ByteView k, ByteView op);

class Milenage {
public:
    static constexpr std::size_t kKeySize = 16, kRandSize = 16, kSqnSize = 6, kAmfSize = 2;

    // k and opc: 16 bytes each (std::invalid_argument otherwise).
    Milenage(ByteView k, ByteView opc);

    // f1 (MAC-A) and f1* (MAC-S), 8 bytes each, from OUT1 (§4.1).
    Bytes f1(ByteView rand, ByteView sqn, ByteView amf) const;
    Bytes f1star(ByteView rand, ByteView sqn, ByteView amf) const;

    struct Outputs {
        Bytes res;  // f2, 8 bytes
        Bytes ck;   // f3, 16 bytes
        Bytes ik;   // f4, 16 bytes
        Bytes ak;   // f5, 6 bytes
    };
    Outputs f2345(ByteView rand) const;
    Bytes f5star(ByteView rand) const;  // AK for re-synchronisation, 6 bytes

private:
    Bytes out1(ByteView rand, ByteView sqn, ByteView amf) const;
    Bytes out(ByteView temp, unsigned rotateBits, std::uint8_t constant) const;
    Bytes temp(ByteView rand) const;
    Bytes encrypt(ByteView block) const;

    crypto::SymmetricKey m_k;
    Bytes m_opc;
};

// TS 33.102 §6.8.1.2: c2 (SRES from a 4-16 byte RES: XOR of its 32-bit words, zero padded)
// and c3 (Kc = CK1 xor CK2 xor IK1 xor IK2).
Bytes gsmSresFromRes(ByteView res);
Bytes gsmKcFromCkIk(ByteView ck, ByteView ik);

}  // namespace vpcsc::vicc::sim
