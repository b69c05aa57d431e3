#include "vicc/sim/authentication.hpp"

#include <algorithm>

#include "vicc/sim/comp128.hpp"
#include "vicc/sim/milenage.hpp"

namespace vpcsc::vicc::sim {

namespace {

Bytes sqnBytes(std::uint64_t sqn) {
    Bytes b(6);
    for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sqn >> (8 * (5 - i)));
    return b;
}

std::uint64_t sqnValue(ByteView b) {
    std::uint64_t v = 0;
    for (std::uint8_t x : b) v = v << 8 | x;
    return v;
}

[[noreturn]] void bad(const std::string& what) { throw ParseError("card image: authentication: " + what); }

// TS 34.108 §8.1.2.1: XDOUT = K xor RAND; RES = XDOUT; CK = XDOUT rotated left by 8 bits, IK by
// 16 bits; AK = XDOUT bits 24-71; MAC-A (and MAC-S) = XDOUT bits 0-63 xor (SQN || AMF).
struct TestXor {
    Bytes xdout;
    TestXor(ByteView k, ByteView rand) : xdout(16) {
        for (std::size_t i = 0; i < 16; ++i) xdout[i] = static_cast<std::uint8_t>(k[i] ^ rand[i]);
    }
    Bytes rotated(std::size_t bytes) const {
        Bytes r(16);
        for (std::size_t i = 0; i < 16; ++i) r[i] = xdout[(i + bytes) % 16];
        return r;
    }
    Bytes ak() const { return Bytes(xdout.begin() + 3, xdout.begin() + 9); }
    Bytes mac(ByteView sqn, ByteView amf) const {
        Bytes m(8);
        for (std::size_t i = 0; i < 8; ++i) m[i] = static_cast<std::uint8_t>(xdout[i] ^ (i < 6 ? sqn[i] : amf[i - 6]));
        return m;
    }
};

}  // namespace

Authentication::Gsm Authentication::runGsm(ByteView rand) const {
    if (algorithm == AuthAlgorithm::Comp128v1) {
        const GsmTriplet t = comp128v1(ki, rand);
        return {t.sres, t.kc};
    }
    if (algorithm == AuthAlgorithm::TestXor) {
        const TestXor x(ki, rand);
        return {gsmSresFromRes(x.xdout), gsmKcFromCkIk(x.rotated(1), x.rotated(2))};
    }
    const Milenage m(ki, opc);
    const auto o = m.f2345(rand);
    return {gsmSresFromRes(o.res), gsmKcFromCkIk(o.ck, o.ik)};
}

std::uint64_t Authentication::sqnMs() const {
    const auto it = std::max_element(seq.begin(), seq.end());
    return *it << kIndBits | static_cast<std::uint64_t>(it - seq.begin());
}

Authentication::Umts Authentication::runUmts(ByteView rand, ByteView autn) {
    Umts u;
    if (algorithm == AuthAlgorithm::Comp128v1 || rand.size() != 16 || autn.size() != 16) return u;
    const bool xorAlg = algorithm == AuthAlgorithm::TestXor;
    const Milenage m(ki, opc);
    const TestXor x(ki, rand);
    const auto o = xorAlg ? Milenage::Outputs{x.xdout, x.rotated(1), x.rotated(2), x.ak()} : m.f2345(rand);
    // AUTN = SQN xor AK (6) || AMF (2) || MAC-A (8)
    Bytes sqn(autn.begin(), autn.begin() + 6);
    for (std::size_t i = 0; i < 6; ++i) sqn[i] ^= o.ak[i];
    const ByteView amf = autn.subspan(6, 2), mac = autn.subspan(8, 8);
    const Bytes xmac = xorAlg ? x.mac(sqn, amf) : m.f1(rand, sqn, amf);
    if (!std::equal(xmac.begin(), xmac.end(), mac.begin())) {
        u.result = Umts::Result::MacFailure;
        return u;
    }
    // Annex C.3.2 / C.2.1: SEQ must exceed SEQ_MS(IND) and may lead the highest SEQ by at most delta.
    const std::uint64_t value = sqnValue(sqn);
    const std::uint64_t s = value >> kIndBits;
    const std::size_t ind = value & ((1u << kIndBits) - 1);
    const std::uint64_t highest = *std::max_element(seq.begin(), seq.end());
    if (s <= seq[ind] || (s > highest && s - highest > kDelta)) {
        // §6.3.5: AUTS = (SQN_MS xor AK*) || MAC-S, MAC-S = f1*(SQN_MS, RAND, AMF = 0000)
        u.result = Umts::Result::SyncFailure;
        const Bytes ms = sqnBytes(sqnMs());
        const Bytes akStar = xorAlg ? x.ak() : m.f5star(rand);
        for (std::size_t i = 0; i < 6; ++i) u.auts.push_back(ms[i] ^ akStar[i]);
        append(u.auts, xorAlg ? x.mac(ms, Bytes{0x00, 0x00}) : m.f1star(rand, ms, Bytes{0x00, 0x00}));
        return u;
    }
    seq[ind] = s;
    u.result = Umts::Result::Ok;
    u.res = o.res;
    u.ck = o.ck;
    u.ik = o.ik;
    u.kc = gsmKcFromCkIk(o.ck, o.ik);
    return u;
}

nlohmann::json Authentication::toJson() const {
    nlohmann::json j;
    j["algorithm"] = algorithm == AuthAlgorithm::Milenage    ? "milenage"
                     : algorithm == AuthAlgorithm::TestXor ? "test-xor"
                                                           : "comp128v1";
    j["ki"] = toHex(ki, 0);
    j["opc"] = toHex(opc, 0);
    j["seq"] = seq;
    return j;
}

Authentication Authentication::fromJson(const nlohmann::json& j) {
    if (!j.is_object()) bad("must be an object");
    Authentication a;
    try {
        const std::string alg = j.value("algorithm", "milenage");
        if (alg == "milenage") a.algorithm = AuthAlgorithm::Milenage;
        else if (alg == "comp128v1") a.algorithm = AuthAlgorithm::Comp128v1;
        else if (alg == "test-xor") a.algorithm = AuthAlgorithm::TestXor;
        else bad("\"algorithm\" is \"milenage\", \"comp128v1\" or \"test-xor\"");
        if (j.contains("ki")) a.ki = fromHex(j.at("ki").get<std::string>());
        if (j.contains("opc")) a.opc = fromHex(j.at("opc").get<std::string>());
        if (j.contains("seq")) {
            const auto& s = j.at("seq");
            if (!s.is_array() || s.size() != a.seq.size()) bad("\"seq\" is an array of 32 numbers");
            for (std::size_t i = 0; i < a.seq.size(); ++i) {
                const std::uint64_t v = s[i].get<std::uint64_t>();
                if (v >> (48 - kIndBits)) bad("a SEQ value exceeds 43 bits");
                a.seq[i] = v;
            }
        }
    } catch (const nlohmann::json::exception& e) {
        bad(e.what());
    }
    if (a.ki.size() != 16) bad("\"ki\" has 16 bytes");
    if (a.opc.size() != 16) bad("\"opc\" has 16 bytes");
    return a;
}

}  // namespace vpcsc::vicc::sim
