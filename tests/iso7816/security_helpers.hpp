// A card with keys for the security command tests (the "keys" member of doc/card-image.md).
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "tests/iso7816/card_helpers.hpp"

namespace vpcsc::vicc::test {

// Keys (reference: algorithm, usage, access):
//   01 AES-128 000102..0F, K_mac 101112..1F: authenticate, secureMessaging; always
//   02 3DES, K_enc / K_mac of ICAO 9303-11 Appendix D.3: authenticate; always
//   03 AES-128 000102..0F: authenticate; PIN 81 (SC 11)
//   04 AES-128: sign only
//   05 3DES 3-key without K_mac: authenticate
// PIN 81 = 1234.
inline const char* kKeyImage = R"({
  "version": 1,
  "pins": [{"reference": "81", "value": "31323334"}],
  "keys": [
    {"reference": "01", "algorithm": "AES", "value": "000102030405060708090A0B0C0D0E0F",
     "macValue": "101112131415161718191A1B1C1D1E1F", "usage": ["authenticate", "secureMessaging"]},
    {"reference": "02", "algorithm": "3DES", "value": "AB94FDECF2674FDFB9B391F85D7F76F2",
     "macValue": "7962D9ECE03D1ACD4C76089DCE131543"},
    {"reference": "03", "algorithm": "AES", "value": "000102030405060708090A0B0C0D0E0F", "access": "11"},
    {"reference": "04", "algorithm": "AES", "value": "000102030405060708090A0B0C0D0E0F", "usage": ["sign"]},
    {"reference": "05", "algorithm": "3DES", "value": "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123"}
  ],
  "fileSystem": {"fid": "3F00", "structure": "DF", "children": [
    {"fid": "2F01", "structure": "transparent", "data": "CAFE", "security": "030021"}]}
})";

inline std::unique_ptr<Iso7816Card> keyCard() {
    auto card = blankCard();
    card->loadState(nlohmann::json::parse(kKeyImage));
    return card;
}

// vicc/cards/examples/<name> loaded into the blank card.
inline std::unique_ptr<Iso7816Card> exampleCard(const std::string& name) {
    std::ifstream in(std::string(VPCSC_TOP_SRCDIR) + "/vicc/cards/examples/" + name);
    if (!in) throw std::runtime_error("cannot open example " + name);
    auto card = blankCard();
    card->loadState(nlohmann::json::parse(in));
    return card;
}

// A command APDU from its parts (extended lengths when needed), processed; hex response.
inline std::string txApdu(Card& card, std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, ByteView data,
                          std::optional<std::uint32_t> ne = std::nullopt, bool extended = false) {
    CommandApdu c{cla, ins, p1, p2, Bytes(data.begin(), data.end()), ne, extended};
    return toHex(card.process(c.encode()));
}

// The response data of a "... 90 00" hex response.
inline Bytes responseData(const std::string& response) {
    Bytes r = fromHex(response);
    if (r.size() < 2) throw std::runtime_error("short response");
    r.resize(r.size() - 2);
    return r;
}

}  // namespace vpcsc::vicc::test
