#include "lpa/es10_channel.hpp"

#include <algorithm>
#include <cstdio>

#include "common/log.hpp"

namespace vpcsc::lpa {

namespace {

std::string swText(std::uint16_t sw) {
    char b[8];
    std::snprintf(b, sizeof b, "%04X", sw);
    return b;
}

std::uint16_t swOf(const Bytes& r) { return static_cast<std::uint16_t>(r[r.size() - 2] << 8 | r[r.size() - 1]); }

// ETSI TS 102 221 §11.1.19 TERMINAL CAPABILITY, as lpac sends it: A9 { 81 00, 82 01 01, 83 01 07 }.
const Bytes kTerminalCapability = fromHex("80AA00000AA9088100820101830107");

}  // namespace

const Bytes kIsdRAid = fromHex("A0000005591010FFFFFFFF8900000100");

Es10TransportError::Es10TransportError(const std::string& what, std::uint16_t status)
    : std::runtime_error(what + ": status word " + swText(status)), sw(status) {}

Es10Channel::Es10Channel(ApduTransport& transport, std::size_t mss, const Bytes& isdRAid)
    : m_transport(transport), m_mss(mss) {
    if (mss < 6 || mss > 255) throw std::invalid_argument("ES10 segment size must be 6..255");
    if (isdRAid.size() < 5 || isdRAid.size() > 16) throw std::invalid_argument("ISD-R AID must be 5..16 bytes");
    m_transport.transmit(kTerminalCapability);  // answer ignored, as lpac does
    // ISO 7816-4 §11.1.2 MANAGE CHANNEL open, the card assigns the number: exactly <ch> 90 00.
    const Bytes open = m_transport.transmit(fromHex("0070000001"));
    if (swOf(open) != 0x9000) throw Es10TransportError("MANAGE CHANNEL open", swOf(open));
    if (open.size() != 3 || open[0] == 0 || open[0] > 19)
        throw Es10TransportError("MANAGE CHANNEL open answered " + toHex(open, 0) + ", not <channel> 90 00", swOf(open));
    m_channel = open[0];
    // SELECT by DF name on the new channel, no Le; 90xx or 61xx accepted (the FCI is not needed).
    Bytes select{static_cast<std::uint8_t>(m_channel <= 3 ? m_channel : 0x40 | (m_channel - 4)), 0xA4, 0x04, 0x00,
                 static_cast<std::uint8_t>(isdRAid.size())};
    append(select, isdRAid);
    const std::uint16_t sw = swOf(m_transport.transmit(select));
    if ((sw >> 8) != 0x90 && (sw >> 8) != 0x61) {
        try {
            m_transport.transmit(Bytes{0x00, 0x70, 0x80, m_channel, 0x00});
        } catch (const std::exception&) {
        }
        throw Es10TransportError("SELECT ISD-R", sw);
    }
}

Es10Channel::~Es10Channel() {
    try {
        m_transport.transmit(Bytes{0x00, 0x70, 0x80, m_channel, 0x00});  // MANAGE CHANNEL close
    } catch (const std::exception&) {
    }
}

// GlobalPlatform proprietary class with the channel: 80|ch for 1-3, C0|(ch-4) for 4-19.
std::uint8_t Es10Channel::cla() const {
    return static_cast<std::uint8_t>(m_channel <= 3 ? 0x80 | m_channel : 0xC0 | (m_channel - 4));
}

Bytes Es10Channel::exchange(ByteView apdu, const char* what, bool allow61) {
    LOG_COMM("lpa > %s", toHex(apdu, 0).c_str());
    Bytes r = m_transport.transmit(apdu);
    LOG_COMM("lpa < %s", toHex(r, 0).c_str());
    const std::uint16_t sw = swOf(r);
    if (sw != 0x9000 && !(allow61 && (sw >> 8) == 0x61)) throw Es10TransportError(what, sw);
    return r;
}

Bytes Es10Channel::transmit(ByteView command) {
    if (command.empty()) throw std::invalid_argument("empty ES10 command");
    const std::size_t blocks = (command.size() + m_mss - 1) / m_mss;
    if (blocks > 256) throw std::invalid_argument("ES10 command longer than 256 STORE DATA blocks");
    Bytes last;
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t off = b * m_mss;
        const std::size_t n = std::min(m_mss, command.size() - off);
        const bool isLast = b + 1 == blocks;
        // GlobalPlatform §11.11 STORE DATA: P1 b8 last block, b5-b4 01 = BER-TLV data (SGP.22 §5.7.1).
        Bytes apdu{cla(), 0xE2, static_cast<std::uint8_t>(isLast ? 0x91 : 0x11), static_cast<std::uint8_t>(b),
                   static_cast<std::uint8_t>(n)};
        append(apdu, command.subspan(off, n));
        last = exchange(apdu, "STORE DATA", isLast);
        if (!isLast && last.size() != 2) throw Es10TransportError("STORE DATA block answered data before the last block", swOf(last));
    }
    Bytes out(last.begin(), last.end() - 2);
    std::uint16_t sw = swOf(last);
    // 61xx: xx more bytes (00 = 256) waiting; GET RESPONSE with the same proprietary class.
    for (int guard = 0; (sw >> 8) == 0x61; ++guard) {
        if (guard > 1024) throw Es10TransportError("GET RESPONSE never ends", sw);
        const Bytes get{cla(), 0xC0, 0x00, 0x00, static_cast<std::uint8_t>(sw & 0xFF)};
        const Bytes r = exchange(get, "GET RESPONSE", true);
        out.insert(out.end(), r.begin(), r.end() - 2);
        sw = swOf(r);
    }
    return out;
}

}  // namespace vpcsc::lpa
