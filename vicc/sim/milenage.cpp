#include "vicc/sim/milenage.hpp"

#include <stdexcept>

namespace vpcsc::vicc::sim {

namespace {

void requireSize(ByteView v, std::size_t n, const char* what) {
    if (v.size() != n) throw std::invalid_argument(std::string("milenage: ") + what + " has the wrong length");
}

ByteView checked(ByteView v, std::size_t n, const char* what) {
    requireSize(v, n, what);
    return v;
}

Bytes xorOf(ByteView a, ByteView b) {
    Bytes out(a.begin(), a.end());
    for (std::size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] ^= b[i];
    return out;
}

// TS 35.206 §4.1: rot(x, r) rotates the 128-bit x left by r bits (r is a multiple of 8 here).
Bytes rotateLeft(ByteView x, unsigned bits) {
    const std::size_t shift = (bits / 8) % x.size();
    Bytes out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[(i + shift) % x.size()];
    return out;
}

}  // namespace

Bytes milenageOpc(ByteView k, ByteView op) {
    requireSize(k, Milenage::kKeySize, "K");
    requireSize(op, 16, "OP");
    const crypto::SymmetricKey key(crypto::BlockCipher::Aes, k);
    return xorOf(crypto::encryptEcb(key, op), op);
}

Milenage::Milenage(ByteView k, ByteView opc) : m_k(crypto::BlockCipher::Aes, checked(k, kKeySize, "K")) {
    m_opc.assign(opc.begin(), opc.end());
    requireSize(opc, 16, "OPc");
}

Bytes Milenage::encrypt(ByteView block) const { return crypto::encryptEcb(m_k, block); }

// TEMP = E_K(RAND xor OPc)
Bytes Milenage::temp(ByteView rand) const {
    requireSize(rand, kRandSize, "RAND");
    return encrypt(xorOf(rand, m_opc));
}

// OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc; IN1 = SQN||AMF||SQN||AMF, r1 = 64, c1 = 0
Bytes Milenage::out1(ByteView rand, ByteView sqn, ByteView amf) const {
    requireSize(sqn, kSqnSize, "SQN");
    requireSize(amf, kAmfSize, "AMF");
    Bytes in1;
    for (int i = 0; i < 2; ++i) {
        append(in1, sqn);
        append(in1, amf);
    }
    const Bytes t = temp(rand);
    return xorOf(encrypt(xorOf(t, rotateLeft(xorOf(in1, m_opc), 64))), m_opc);
}

// OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc, n = 2..5; cn has its one bit in the last byte.
Bytes Milenage::out(ByteView t, unsigned rotateBits, std::uint8_t constant) const {
    Bytes x = rotateLeft(xorOf(t, m_opc), rotateBits);
    x[15] ^= constant;
    return xorOf(encrypt(x), m_opc);
}

Bytes Milenage::f1(ByteView rand, ByteView sqn, ByteView amf) const {
    const Bytes o = out1(rand, sqn, amf);
    return Bytes(o.begin(), o.begin() + 8);
}

Bytes Milenage::f1star(ByteView rand, ByteView sqn, ByteView amf) const {
    const Bytes o = out1(rand, sqn, amf);
    return Bytes(o.begin() + 8, o.end());
}

// f2 = OUT2[64..127], f5 = OUT2[0..47], f3 = OUT3 (r3 = 32, c3 = 2), f4 = OUT4 (r4 = 64, c4 = 4)
Milenage::Outputs Milenage::f2345(ByteView rand) const {
    const Bytes t = temp(rand);
    const Bytes o2 = out(t, 0, 0x01);
    Outputs r;
    r.res.assign(o2.begin() + 8, o2.end());
    r.ak.assign(o2.begin(), o2.begin() + 6);
    r.ck = out(t, 32, 0x02);
    r.ik = out(t, 64, 0x04);
    return r;
}

// f5* = OUT5[0..47], r5 = 96, c5 = 8
Bytes Milenage::f5star(ByteView rand) const {
    const Bytes o5 = out(temp(rand), 96, 0x08);
    return Bytes(o5.begin(), o5.begin() + 6);
}

Bytes gsmSresFromRes(ByteView res) {
    if (res.size() < 4 || res.size() > 16) throw std::invalid_argument("c2: RES has 4-16 bytes");
    Bytes sres(4, 0);
    for (std::size_t i = 0; i < res.size(); ++i) sres[i % 4] ^= res[i];
    return sres;
}

Bytes gsmKcFromCkIk(ByteView ck, ByteView ik) {
    requireSize(ck, 16, "CK");
    requireSize(ik, 16, "IK");
    Bytes kc(8);
    for (std::size_t i = 0; i < 8; ++i) kc[i] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
    return kc;
}

}  // namespace vpcsc::vicc::sim
