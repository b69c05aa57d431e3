// The state ISO 7816-4 keeps per logical channel (§5.4.1, §7.1.2): current DF, current EF and
// record pointer, security status, and the transmission state of this implementation (response
// bytes awaiting GET RESPONSE, a command chain being collected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>

#include "common/bytes.hpp"
#include "vicc/crypto/secure_messaging.hpp"
#include "vicc/fs/file.hpp"
#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc {

struct LogicalChannel {
    std::uint8_t number = 0;  // 0 (basic) - 19
    fs::File* currentDf = nullptr;
    fs::File* currentEf = nullptr;
    std::optional<std::size_t> currentRecord;  // index into currentEf->records
    std::unique_ptr<SecurityState> security;
    // PIN references whose resetting code was presented on this channel (RESET RETRY COUNTER
    // P1 00/01), allowing P1 02/03.
    std::set<std::uint8_t> pukPresented;

    // ISO 7816-4 §11.5 GET CHALLENGE: the last challenge, used up by the next EXTERNAL or
    // MUTUAL AUTHENTICATE.
    Bytes challenge;

    // ISO 7816-4 §11.5 MANAGE SECURITY ENVIRONMENT: the current SE's control reference
    // templates (ISO 7816-8 §5.3, 80 algorithm reference, 83/84 key reference).
    struct Crt {
        std::optional<std::uint8_t> algorithm;
        std::optional<std::uint8_t> key;
    };
    struct SecurityEnvironment {
        Crt at;   // A4 authentication
        Crt dst;  // B6 digital signature
        Crt ct;   // B8 confidentiality
        Crt ht;   // AA hash
    } se;

    // ISO 7816-4 §10: the secure messaging session of this channel, if any, and whether it was
    // established by MUTUAL AUTHENTICATE (a plain command then ends it).
    std::optional<crypto::SmSession> sm;
    bool smFromAuthentication = false;

    // ISO 7816-4 §5.3.4: the rest of a response announced with 61xx, and the status word that
    // goes with its last part.
    Bytes pendingResponse;
    std::uint16_t pendingSw = 0x9000;

    // ISO 7816-4 §5.3.3: command chaining in progress.
    struct Chain {
        bool active = false;
        std::uint8_t ins = 0, p1 = 0, p2 = 0;
        Bytes data;
    } chain;

    bool closing = false;  // MANAGE CHANNEL close on this channel: gone after the response

    void selectDf(fs::File& df) {
        currentDf = &df;
        currentEf = nullptr;
        currentRecord.reset();
    }
    void selectEf(fs::File& ef) {
        currentDf = ef.parent();
        currentEf = &ef;
        currentRecord.reset();
    }
};

}  // namespace vpcsc::vicc
