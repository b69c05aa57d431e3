// Answer-to-Reset, ISO 7816-3 §8.2: TS, T0, interface bytes TAi/TBi/TCi/TDi, historical bytes, TCK.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc {

struct AtrError : ParseError {
    using ParseError::ParseError;
};

constexpr std::size_t kMaxAtrSize = 33;  // TS + 32 bytes, ISO 7816-3 §8.2.1
constexpr std::uint8_t kTsDirect = 0x3B;
constexpr std::uint8_t kTsInverse = 0x3F;

struct Atr {
    // Group i (1-based in the standard, interfaces[i-1] here): TAi, TBi, TCi, and the protocol T of
    // TDi when TDi is present. A present TDi implies group i+1 (possibly empty) follows; the Y
    // nibbles of T0 and TDi are derived from which bytes are present.
    struct InterfaceBytes {
        std::optional<std::uint8_t> ta, tb, tc;
        std::optional<std::uint8_t> protocol;  // low nibble of TDi; nullopt = no TDi

        bool operator==(const InterfaceBytes&) const = default;
    };

    std::uint8_t ts = kTsDirect;
    std::vector<InterfaceBytes> interfaces{1};
    Bytes historical;  // at most 15 bytes (K of T0)

    // Throws AtrError: TS not 3B/3F, truncation, more than 33 bytes, TCK missing, wrong or
    // present when only T=0 is indicated, trailing bytes.
    static Atr parse(ByteView atr);
    // T0, the TDi Y nibbles and TCK (iff a protocol other than T=0 is indicated) are computed.
    // Throws AtrError when the result would be invalid (over 33 bytes, over 15 historical bytes,
    // a protocol above 15).
    Bytes encode() const;

    // ISO 7816-3 §8.2.3 applied to a list of protocols (e.g. {1} or {0, 1}; {0} gives no TD1),
    // with optional TA1 (Fi/Di), historical bytes.
    static Atr make(const std::vector<std::uint8_t>& protocols, ByteView historical,
                    std::optional<std::uint8_t> ta1 = std::nullopt);

    // Interface bytes by their 1-based index as in the standard (TA1 = ta(1)).
    std::optional<std::uint8_t> ta(std::size_t i) const;
    std::optional<std::uint8_t> tb(std::size_t i) const;
    std::optional<std::uint8_t> tc(std::size_t i) const;
    std::optional<std::uint8_t> td(std::size_t i) const;  // the full TDi byte, Y nibble included

    bool inverseConvention() const { return ts == kTsInverse; }
    // Offered transmission protocols in order of TDi, T=15 excluded; {0} without TD1 (§8.2.3).
    std::vector<std::uint8_t> protocols() const;
    // TCK is present iff some TDi indicates a T other than 0 (§8.2.5).
    bool tckRequired() const;
    // TA1: FI (high nibble) and DI (low nibble); defaults FI=1, DI=1 without TA1 (§8.3).
    std::uint8_t fiIndex() const;
    std::uint8_t diIndex() const;
    // Fi and Di from Tables 7 and 8; 0 for RFU codes.
    unsigned fi() const;
    unsigned di() const;
    // TA2 present: specific mode (§8.3).
    bool specificMode() const { return ta(2).has_value(); }
    // The first TA after a TDi indicating T=15: clock stop and class indicator (§8.3).
    std::optional<std::uint8_t> globalTa15() const;

    bool operator==(const Atr&) const = default;
};

unsigned fiFromIndex(std::uint8_t fi);  // ISO 7816-3 Table 7, 0 for RFU
unsigned diFromIndex(std::uint8_t di);  // ISO 7816-3 Table 8, 0 for RFU
// XOR of all bytes from T0 to the byte before TCK: what TCK must be (§8.2.5).
std::uint8_t atrChecksum(ByteView t0ToBeforeTck);

}  // namespace vpcsc
