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

}  // namespace

Authentication::Gsm Authentication::runGsm(ByteView rand) const {
    if (algorithm == AuthAlgorithm::Comp128v1) {
        const GsmTriplet t = comp128v1(ki, rand);
        return {t.sres, t.kc};
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
    if (algorithm != AuthAlgorithm::Milenage || rand.size() != 16 || autn.size() != 16) return u;
    const Milenage m(ki, opc);
    const auto o = m.f2345(rand);
    // AUTN = SQN xor AK (6) || AMF (2) || MAC-A (8)
    Bytes sqn(autn.begin(), autn.begin() + 6);
    for (std::size_t i = 0; i < 6; ++i) sqn[i] ^= o.ak[i];
    const ByteView amf = autn.subspan(6, 2), mac = autn.subspan(8, 8);
    const Bytes xmac = m.f1(rand, sqn, amf);
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
        const Bytes akStar = m.f5star(rand);
        for (std::size_t i = 0; i < 6; ++i) u.auts.push_back(ms[i] ^ akStar[i]);
        append(u.auts, m.f1star(rand, ms, Bytes{0x00, 0x00}));
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
    j["algorithm"] = algorithm == AuthAlgorithm::Milenage ? "milenage" : "comp128v1";
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
        else bad("\"algorithm\" is \"milenage\" or \"comp128v1\"");
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
