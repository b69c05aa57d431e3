// The subscriber's authentication data and algorithms: Ki, OPc, the algorithm (MILENAGE, or
// COMP128-1 for 2G only), and the USIM's sequence number state (TS 33.102 Annex C.3.2: an
// array of a = 32 highest SEQ values indexed by IND, the 5 low bits of SQN). Part of the card
// image; Ki and OPc are never logged.
#pragma once

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"

namespace vpcsc::vicc::sim {

// TestXor: the test USIM algorithm of TS 34.108 §8.1.2 (XDOUT = K xor RAND), which the GSMA TS.48
// test profiles select; 3G and GSM (via the TS 33.102 §6.8.1.2 conversions) contexts.
enum class AuthAlgorithm { Milenage, Comp128v1, TestXor };

class Authentication {
public:
    static constexpr unsigned kIndBits = 5;                  // a = 32 (TS 33.102 Annex C.3.2)
    static constexpr std::uint64_t kDelta = 1ull << 28;      // wrap-around protection (Annex C.2.1)

    AuthAlgorithm algorithm = AuthAlgorithm::Milenage;
    Bytes ki = Bytes(16, 0);
    Bytes opc = Bytes(16, 0);
    std::array<std::uint64_t, 1u << kIndBits> seq{};  // SEQ_MS(i)

    struct Gsm {
        Bytes sres, kc;
    };
    // RUN GSM ALGORITHM / AUTHENTICATE GSM context: COMP128-1, or GSM-MILENAGE (TS 55.205 §4:
    // SRES = c2(RES), Kc = c3(CK, IK)). rand: 16 bytes.
    Gsm runGsm(ByteView rand) const;

    struct Umts {
        enum class Result { Ok, MacFailure, SyncFailure, NotSupported } result = Result::NotSupported;
        Bytes res, ck, ik, kc, auts;
    };
    // TS 33.102 §6.3.3: verify MAC-A over SQN (= first 6 bytes of AUTN xor AK), AMF; check SQN
    // freshness; on success store it. rand and autn: 16 bytes.
    Umts runUmts(ByteView rand, ByteView autn);

    // The highest accepted SQN (SEQ_MS || IND), sent in AUTS on a synchronisation failure.
    std::uint64_t sqnMs() const;

    nlohmann::json toJson() const;
    static Authentication fromJson(const nlohmann::json& j);  // throws ParseError
};

}  // namespace vpcsc::vicc::sim
