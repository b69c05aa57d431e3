// Secure messaging (ISO 7816-4 §10) with the conventions of ICAO Doc 9303 Part 11 §9.8 and BSI
// TR-03110 Part 3 Appendix F, which are what real cards and terminals speak:
//
//  Data objects (ISO 7816-4 §10.2, Table 51):
//    87  padding-content indicator 01 + cryptogram of the data padded with ISO 9797-1 method 2
//        (used when INS is even; any other indicator is refused)
//    85  cryptogram of the padded data, no indicator byte (used when INS is odd, ICAO §9.8.6;
//        a response uses 85 when the command did)
//    81  plain data (accepted when unwrapping, included in the MAC; never produced)
//    97  Ne of the unprotected command: one byte (00 = 256) or two bytes (0000 = 65536); empty = no Le
//    99  SW1 SW2 of the unprotected response (mandatory in responses)
//    8E  the MAC, 8 bytes, last object (mandatory in commands and responses)
//  Encryption: CBC under K_enc. IV = 0 for 3DES; IV = E(K_enc, SSC) (AES-ECB of the current SSC)
//  for AES (TR-03110 Part 3 §F.2.2.1, ICAO §9.8.6.1).
//  MAC: over SSC || [padded header] || every DO before 8E (all have odd tags, ISO 7816-4
//  §10.2.3.1), padded with method 2, then retail MAC (3DES, ISO 9797-1 MAC algorithm 3) or
//  AES-CMAC truncated to 8 bytes. The header CLA INS P1 P2 (CLA with the SM bits set), padded to a
//  block, is included when the class says "header authenticated" (first interindustry class
//  b4-b3 = 11, ISO 7816-4 §5.4.1) and for proprietary classes; not for b4-b3 = 10 or for
//  further interindustry classes (b6 = 1, header not processed).
//  SSC: one block (8 bytes 3DES, 16 bytes AES), big-endian, incremented before each command
//  and before each response is protected or checked.
//
// Errors throw SwError: 6987 when 8E (or 99 in a response) is missing, 6988 for a bad MAC, a
// malformed or unexpected data object, a wrong padding-content indicator or bad padding; 6882
// for a class without ISO SM indication. After any error the session is spent (ICAO §9.8.4: the
// card ends secure messaging); its SSC has moved on and must not be reused.
#pragma once

#include <cstddef>

#include "common/apdu.hpp"
#include "common/bytes.hpp"
#include "vicc/crypto/symmetric.hpp"

namespace vpcsc::vicc::crypto {

class SmSession {
public:
    static constexpr std::size_t kMacSize = 8;

    // AES: keys of 16, 24 or 32 bytes, SSC 16 bytes, CMAC. TripleDes: K_enc 16 or 24 bytes, K_mac
    // 16 bytes (retail MAC), SSC 8 bytes. Throws std::invalid_argument otherwise.
    SmSession(BlockCipher algorithm, ByteView kEnc, ByteView kMac, ByteView ssc);

    // Card side.
    CommandApdu unwrapCommand(const CommandApdu& protectedCommand);
    ResponseApdu wrapResponse(const ResponseApdu& response);
    // Terminal side (tests, relay).
    CommandApdu wrapCommand(const CommandApdu& command);
    // A response without data (e.g. 6988 sent in plain after an SM error) is returned unchanged.
    ResponseApdu unwrapResponse(const ResponseApdu& protectedResponse);

    BlockCipher algorithm() const { return m_enc.algorithm(); }
    const Bytes& ssc() const { return m_ssc; }

private:
    void incrementSsc();
    Bytes iv() const;
    Bytes encipher(ByteView plain) const;
    Bytes decipher(ByteView cryptogram) const;  // throws SwError 6988
    Bytes mac(ByteView input) const;            // over SSC || input, padded
    Bytes protectData(ByteView data, bool oddIns) const;

    SymmetricKey m_enc;
    SymmetricKey m_mac;
    Bytes m_ssc;
    bool m_oddIns = false;  // the last command used DO 85: so does its response
};

// CLA helpers of ISO 7816-4 §5.4.1 used by the codec: the class with SM indicated (first
// interindustry: b4-b3 = 11; further interindustry: b6 = 1; proprietary: unchanged), and back.
std::uint8_t smClass(std::uint8_t plainCla);
std::uint8_t plainClass(std::uint8_t smCla);

}  // namespace vpcsc::vicc::crypto
