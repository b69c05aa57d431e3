// The ES10 transport an LPA drives (SGP.22 §5.7; exactly lpac's framing, research notes §2.3):
// TERMINAL CAPABILITIES, MANAGE CHANNEL open, SELECT ISD-R on that channel; every ES10 command as
// STORE DATA (CLA 80|ch, INS E2, P1 11 more / 91 last, P2 block number from 0, at most `mss` data
// bytes, no Le); a response announced by 61xx fetched with GET RESPONSE (CLA 80|ch, INS C0);
// MANAGE CHANNEL close when done.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "common/bytes.hpp"
#include "lpa/transport.hpp"

namespace vpcsc::lpa {

// The card answered a status word the ES10 transport does not accept.
struct Es10TransportError : std::runtime_error {
    std::uint16_t sw;
    Es10TransportError(const std::string& what, std::uint16_t status);
};

// ISD-R AID (SGP.22 §2.2.3).
extern const Bytes kIsdRAid;

class Es10Channel {
public:
    static constexpr std::size_t kDefaultMss = 120;  // lpac's LPAC_CUSTOM_ES10X_MSS default
    // Opens the channel and selects the ISD-R; throws TransportError / Es10TransportError.
    // mss: 6..255 data bytes per STORE DATA block.
    Es10Channel(ApduTransport& transport, std::size_t mss = kDefaultMss, const Bytes& isdRAid = kIsdRAid);
    // Closes the logical channel (errors ignored: the card may be gone).
    ~Es10Channel();
    Es10Channel(const Es10Channel&) = delete;
    Es10Channel& operator=(const Es10Channel&) = delete;

    // One ES10 command (a TLV, or a bare BF36/A1/A3 header segment) in, its response out (may be
    // empty: a LoadBoundProfilePackage segment before the last answers 90 00 only).
    Bytes transmit(ByteView command);
    std::uint8_t channel() const { return m_channel; }

private:
    std::uint8_t cla() const;
    Bytes exchange(ByteView apdu, const char* what, bool allow61);
    ApduTransport& m_transport;
    std::size_t m_mss;
    std::uint8_t m_channel = 0;
};

}  // namespace vpcsc::lpa
