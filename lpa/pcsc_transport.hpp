// ES10's APDU transport over libpcsclite, connected as lpac's PC/SC driver connects
// (research notes §2.3): SCARD_SHARE_EXCLUSIVE, T=0 only.
#pragma once

#include <PCSC/winscard.h>

#include <string>
#include <vector>

#include "lpa/transport.hpp"

namespace vpcsc::lpa {

class PcscTransport : public ApduTransport {
public:
    // reader: "" = the first reader; all digits = that index in SCardListReaders' order; otherwise
    // an exact name, else a unique part of one. Throws TransportError naming the readers seen.
    explicit PcscTransport(const std::string& reader);
    ~PcscTransport() override;
    PcscTransport(const PcscTransport&) = delete;
    PcscTransport& operator=(const PcscTransport&) = delete;

    Bytes transmit(ByteView commandApdu) override;
    const std::string& readerName() const { return m_reader; }

    // The reader names (empty when there is none). Throws TransportError when pcscd is absent.
    static std::vector<std::string> listReaders();

private:
    SCARDCONTEXT m_ctx = 0;
    SCARDHANDLE m_card = 0;
    DWORD m_protocol = 0;
    std::string m_reader;
};

}  // namespace vpcsc::lpa
