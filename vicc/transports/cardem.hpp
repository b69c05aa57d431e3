// cardem transport (vicc --transport cardem:READER): vicc is the SIM of a phone through a
// SIMtrace2 in card-emulation firmware, driven by ifd-simtrace's cardem reader over PC/SC
// SCardControl escapes (include/vpcsc/simtrace.h). The link turns the reader's events into the
// vpcd frames the session already understands: GET ATR once (the answer becomes SET_ATR, then
// ARM), the phone's C-APDUs as APDU frames (the answer goes back with PUT_RESPONSE), a phone
// reset as RESET and its power-on as POWER ON. Closing the link disarms (the phone gets its SIM back).
#pragma once

#include <string>

#include "vicc/transports/transport.hpp"

namespace vpcsc::vicc {

class CardemTransport : public Transport {
public:
    // reader: a substring of the PC/SC reader name ("CardEmulator Modem 1", "SIMtrace 2").
    CardemTransport(std::string reader, int stopFd);
    std::unique_ptr<Link> open() override;
    std::string describe() const override;
    std::string unreachableHint() const override;

private:
    std::string m_reader;
    int m_stopFd;
};

}  // namespace vpcsc::vicc
