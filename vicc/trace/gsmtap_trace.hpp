// vicc --pcap FILE / --gsmtap [HOST[:PORT]]: every ATR and every command/response pair the
// session handles, as GSMTAP SIM packets (common/gsmtap.hpp), for any card type. The data field
// of PIN and key commands (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, PUT KEY) is
// replaced by FF bytes of the same length, as log lines mask it (DESIGN.md, style 10).
#pragma once

#include <memory>
#include <string>

#include "common/bytes.hpp"
#include "common/gsmtap.hpp"

namespace vpcsc::vicc {

// The command with the data field of PIN/key commands overwritten with FF (same length, so the
// APDU still parses); other commands unchanged.
Bytes maskSecretData(ByteView command);

class GsmtapTrace {
public:
    // Either may be empty. Throws std::runtime_error (file cannot be created, unknown host) or
    // ParseError (bad HOST:PORT).
    GsmtapTrace(const std::string& pcapPath, const std::string& gsmtapEndpoint);
    bool active() const { return m_pcap || m_udp; }
    void exchange(ByteView command, ByteView response);
    void atr(ByteView atr);
    std::string describe() const;

private:
    void emit(std::uint8_t subType, ByteView payload);
    std::unique_ptr<gsmtap::PcapWriter> m_pcap;
    std::unique_ptr<gsmtap::UdpSender> m_udp;
    std::string m_pcapPath;
};

}  // namespace vpcsc::vicc
