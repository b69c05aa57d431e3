// Command and response APDUs: ISO 7816-3 §12.1, ISO 7816-4 §5.1 (cases 1, 2S/2E, 3S/3E, 4S/4E)
// and the class byte of ISO 7816-4 §5.4.1.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.hpp"

namespace vpcsc {

// Malformed APDU; what() names the rule that was broken.
struct ApduError : ParseError {
    using ParseError::ParseError;
};

constexpr std::size_t kMaxShortNc = 255;
constexpr std::uint32_t kMaxShortNe = 256;
constexpr std::size_t kMaxExtendedNc = 65535;
constexpr std::uint32_t kMaxExtendedNe = 65536;

struct CommandApdu {
    std::uint8_t cla = 0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    Bytes data;                       // Nc = data.size()
    std::optional<std::uint32_t> ne;  // absent: no Le field; Le 00 (short) = 256, 0000 (extended) = 65536
    bool extended = false;            // force extended length fields even when short ones would do
                                      // (no effect on case 1, which has no length field)

    // Exactly one of the seven forms of ISO 7816-3 §12.1.3; anything else throws ApduError.
    static CommandApdu parse(ByteView apdu);
    // Short fields unless data > 255 bytes, ne > 256 or extended is set. Throws ApduError when
    // Nc > 65535, Ne = 0 or Ne > 65536.
    Bytes encode() const;
    // 1: no data, no Le; 2: Le only; 3: data only; 4: data and Le (ISO 7816-3 §12.1.2).
    int caseNumber() const;
    // Whether encode() produces extended length fields.
    bool usesExtendedLength() const;

    bool operator==(const CommandApdu&) const = default;
};

struct ResponseApdu {
    Bytes data;
    std::uint16_t sw = 0x9000;

    // Trailer SW1 SW2 after the data field (ISO 7816-4 §5.1); throws ApduError below 2 bytes.
    static ResponseApdu parse(ByteView rapdu);
    Bytes encode() const;
    std::uint8_t sw1() const { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const { return static_cast<std::uint8_t>(sw); }

    bool operator==(const ResponseApdu&) const = default;
};

// ---- class byte, ISO 7816-4 §5.4.1 ---------------------------------------------------------------

enum class ClassKind {
    FirstInterindustry,    // 000x xxxx: channels 0-3
    FurtherInterindustry,  // 01xx xxxx: channels 4-19
    Reserved,              // 001x xxxx: RFU
    Proprietary,           // 1xxx xxxx except FF
    Invalid,               // FF (reserved for PPS, ISO 7816-3 §9)
};

enum class SecureMessaging {
    None,                 // no SM or no indication
    Proprietary,          // first interindustry b4-b3 = 01
    HeaderNotProcessed,   // ISO 7816-4 §10, command header not processed
    HeaderAuthenticated,  // ISO 7816-4 §10, command header authenticated (first interindustry only)
};

ClassKind classKind(std::uint8_t cla);
bool isInterindustry(std::uint8_t cla);
// Logical channel number 0-19; nullopt for reserved, proprietary and invalid classes.
std::optional<std::uint8_t> logicalChannel(std::uint8_t cla);
// b5: "the command is not the last command of a chain" (interindustry classes only).
bool isChained(std::uint8_t cla);
SecureMessaging secureMessaging(std::uint8_t cla);
// The interindustry CLA for a channel (0-19), chaining and SM indication. Throws
// std::invalid_argument when the combination has no coding (channel > 19, Proprietary or
// HeaderAuthenticated SM on channels 4-19).
std::uint8_t makeClass(std::uint8_t channel, bool chained = false,
                       SecureMessaging sm = SecureMessaging::None);

}  // namespace vpcsc
