// Helpers for the Cryptoflex tests: a blank card with a fixed serial number, APDUs and answers as
// hex strings, and the CREATE FILE data of reference notes §1.5.
#pragma once

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/bytes.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"

namespace vpcsc::vicc::test {

inline const char* kSerial = "01 02 03 04 05 06 07 08";
inline const char* kVerifyAak = "F0 2A 00 01 08 2C 15 E5 26 E9 3E 8A 19";

inline std::unique_ptr<CryptoflexCard> cryptoflexCard(const cryptoflex::Model& model = cryptoflex::defaultModel()) {
    auto card = CryptoflexCard::blank(model, fromHex(kSerial));
    card->powerOn();
    return card;
}

inline std::string tx(Card& card, const std::string& apdu) { return toHex(card.process(fromHex(apdu))); }

// Sends the APDUs; throws naming the first one that does not answer 90 00 (or 61xx, a SELECT).
inline void run(Card& card, std::initializer_list<std::string> apdus) {
    for (const auto& a : apdus) {
        const std::string r = tx(card, a);
        if (r != "90 00" && r.rfind("61 ", 0) != 0) throw std::runtime_error("setup: " + a + " -> " + r);
    }
}

inline std::string hex2(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02X %02X", (v >> 8) & 0xFF, v & 0xFF);
    return b;
}
inline std::string hex1(unsigned v) {
    char b[4];
    std::snprintf(b, sizeof b, "%02X", v & 0xFF);
    return b;
}

// F0 E0 00 00 10 FF FF size FID type FF AC0 AC1 AC2 01 03 00 00 00
inline std::string createFile(unsigned fid, unsigned size, unsigned type, unsigned ac0, unsigned ac1, unsigned ac2) {
    return "F0 E0 00 00 10 FF FF " + hex2(size) + " " + hex2(fid) + " " + hex1(type) + " FF " + hex1(ac0) + " " +
           hex1(ac1) + " " + hex1(ac2) + " 01 03 00 00 00";
}
inline std::string createEf(unsigned fid, unsigned size, unsigned ac0 = 0x00, unsigned ac1 = 0x00, unsigned ac2 = 0x00) {
    return createFile(fid, size, 0x01, ac0, ac1, ac2);
}
inline std::string createDf(unsigned fid, unsigned size, unsigned ac0 = 0x00, unsigned ac1 = 0x00) {
    return createFile(fid, size, 0x38, ac0, ac1, 0x00);
}
inline std::string select(unsigned fid) { return "C0 A4 00 00 02 " + hex2(fid); }

inline std::string repeat(const std::string& byteHex, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? " " : "") + byteHex;
    return out;
}

// A CHV file (§1.6): FF FF FF | PIN (8, 00-padded ASCII) | tries | max | PUK (8) | tries | max.
inline std::string chvContent(const std::string& pinAscii, unsigned tries, const std::string& pukAscii, unsigned pukTries) {
    auto padded = [](const std::string& s) {
        std::string out;
        for (std::size_t i = 0; i < 8; ++i) out += (i ? " " : "") + hex1(i < s.size() ? static_cast<unsigned char>(s[i]) : 0);
        return out;
    };
    return "FF FF FF " + padded(pinAscii) + " " + hex1(tries) + " " + hex1(tries) + " " + padded(pukAscii) + " " +
           hex1(pukTries) + " " + hex1(pukTries);
}
inline std::string verifyChv(unsigned n, const std::string& pinAscii) {
    std::string out = "C0 20 00 " + hex1(n) + " 08";
    for (std::size_t i = 0; i < 8; ++i) out += " " + hex1(i < pinAscii.size() ? static_cast<unsigned char>(pinAscii[i]) : 0);
    return out;
}

// MF / 3000 (DF, CREATE always) / 0000 = CHV1 "1234" (3 tries, PUK "123456", 10 tries); CHV1
// verified; 3000 is the current DF.
inline std::unique_ptr<CryptoflexCard> cardWithChv1() {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createDf(0x3000, 4000, 0x00, 0x00), createEf(0x0000, 23, 0xF0, 0xF0, 0xFF)});
    run(*card, {"C0 D6 00 00 17 " + chvContent("1234", 3, "123456", 10), verifyChv(1, "1234"), select(0x3000)});
    return card;
}

}  // namespace vpcsc::vicc::test
