#include "common/apdu.hpp"

#include <stdexcept>
#include <string>

namespace vpcsc {
namespace {

[[noreturn]] void fail(const std::string& why, std::size_t size) {
    throw ApduError("C-APDU of " + std::to_string(size) + " bytes: " + why);
}

}  // namespace

// ISO 7816-3 §12.1.3: the body after the 4-byte header decides the case.
//   empty                         case 1
//   Le (1)                        case 2S   (Le 00 = 256)
//   Lc (01-FF) data               case 3S
//   Lc (01-FF) data Le            case 4S
//   00 Le (2)                     case 2E   (Le 0000 = 65536)
//   00 Lc (0001-FFFF) data        case 3E
//   00 Lc (0001-FFFF) data Le(2)  case 4E
CommandApdu CommandApdu::parse(ByteView apdu) {
    const std::size_t n = apdu.size();
    if (n < 4) fail("shorter than the 4-byte header", n);
    CommandApdu c;
    c.cla = apdu[0];
    c.ins = apdu[1];
    c.p1 = apdu[2];
    c.p2 = apdu[3];
    if (n == 4) return c;
    if (n == 5) {
        c.ne = apdu[4] ? apdu[4] : 256u;
        return c;
    }
    const std::size_t b1 = apdu[4];
    if (b1 != 0) {  // short Lc
        if (n == 5 + b1) {
            c.data.assign(apdu.begin() + 5, apdu.end());
            return c;
        }
        if (n == 6 + b1) {
            c.data.assign(apdu.begin() + 5, apdu.end() - 1);
            c.ne = apdu[n - 1] ? apdu[n - 1] : 256u;
            return c;
        }
        fail("short Lc " + std::to_string(b1) + " inconsistent with the body length", n);
    }
    c.extended = true;
    if (n == 6) fail("extended length field truncated after the 00 marker", n);
    const std::size_t x = readBe16(apdu, 5);
    if (n == 7) {
        c.ne = x ? x : 65536u;
        return c;
    }
    if (x == 0) fail("extended Lc 0000 followed by more bytes", n);
    if (n == 7 + x) {
        c.data.assign(apdu.begin() + 7, apdu.end());
        return c;
    }
    if (n == 9 + x) {
        c.data.assign(apdu.begin() + 7, apdu.end() - 2);
        const std::size_t le = readBe16(apdu, n - 2);
        c.ne = le ? le : 65536u;
        return c;
    }
    fail("extended Lc " + std::to_string(x) + " inconsistent with the body length", n);
}

bool CommandApdu::usesExtendedLength() const {
    return extended || data.size() > kMaxShortNc || (ne && *ne > kMaxShortNe);
}

int CommandApdu::caseNumber() const {
    if (data.empty()) return ne ? 2 : 1;
    return ne ? 4 : 3;
}

Bytes CommandApdu::encode() const {
    if (data.size() > kMaxExtendedNc)
        throw ApduError("C-APDU data field of " + std::to_string(data.size()) + " bytes exceeds 65535");
    if (ne && (*ne == 0 || *ne > kMaxExtendedNe))
        throw ApduError("C-APDU Ne " + std::to_string(*ne) + " outside 1..65536");
    const bool ext = usesExtendedLength();
    Bytes out{cla, ins, p1, p2};
    out.reserve(4 + 3 + data.size() + 3);
    if (!data.empty()) {
        if (ext) {
            out.push_back(0x00);
            appendBe16(out, static_cast<std::uint16_t>(data.size()));
        } else {
            out.push_back(static_cast<std::uint8_t>(data.size()));
        }
        append(out, data);
    }
    if (ne) {
        if (ext) {
            if (data.empty()) out.push_back(0x00);  // case 2E: the 00 marker precedes Le
            appendBe16(out, static_cast<std::uint16_t>(*ne == 65536 ? 0 : *ne));
        } else {
            out.push_back(static_cast<std::uint8_t>(*ne == 256 ? 0 : *ne));
        }
    }
    return out;
}

ResponseApdu ResponseApdu::parse(ByteView rapdu) {
    if (rapdu.size() < 2)
        throw ApduError("R-APDU of " + std::to_string(rapdu.size()) + " bytes lacks SW1 SW2");
    ResponseApdu r;
    r.data.assign(rapdu.begin(), rapdu.end() - 2);
    r.sw = readBe16(rapdu, rapdu.size() - 2);
    return r;
}

Bytes ResponseApdu::encode() const {
    Bytes out;
    out.reserve(data.size() + 2);
    append(out, data);
    appendBe16(out, sw);
    return out;
}

// ---- class byte, ISO 7816-4 §5.4.1 ---------------------------------------------------------------

ClassKind classKind(std::uint8_t cla) {
    if (cla == 0xFF) return ClassKind::Invalid;
    if (cla & 0x80) return ClassKind::Proprietary;
    if (cla & 0x40) return ClassKind::FurtherInterindustry;
    if (cla & 0x20) return ClassKind::Reserved;
    return ClassKind::FirstInterindustry;
}

bool isInterindustry(std::uint8_t cla) {
    const ClassKind k = classKind(cla);
    return k == ClassKind::FirstInterindustry || k == ClassKind::FurtherInterindustry;
}

std::optional<std::uint8_t> logicalChannel(std::uint8_t cla) {
    switch (classKind(cla)) {
        case ClassKind::FirstInterindustry: return static_cast<std::uint8_t>(cla & 0x03);
        case ClassKind::FurtherInterindustry: return static_cast<std::uint8_t>(4 + (cla & 0x0F));
        default: return std::nullopt;
    }
}

bool isChained(std::uint8_t cla) { return isInterindustry(cla) && (cla & 0x10); }

SecureMessaging secureMessaging(std::uint8_t cla) {
    switch (classKind(cla)) {
        case ClassKind::FirstInterindustry:
            switch ((cla >> 2) & 0x03) {  // b4-b3
                case 1: return SecureMessaging::Proprietary;
                case 2: return SecureMessaging::HeaderNotProcessed;
                case 3: return SecureMessaging::HeaderAuthenticated;
                default: return SecureMessaging::None;
            }
        case ClassKind::FurtherInterindustry:  // b6
            return (cla & 0x20) ? SecureMessaging::HeaderNotProcessed : SecureMessaging::None;
        default: return SecureMessaging::None;
    }
}

std::uint8_t makeClass(std::uint8_t channel, bool chained, SecureMessaging sm) {
    const std::uint8_t chain = chained ? 0x10 : 0x00;
    if (channel < 4) {
        std::uint8_t smBits = 0;
        switch (sm) {
            case SecureMessaging::None: smBits = 0x00; break;
            case SecureMessaging::Proprietary: smBits = 0x04; break;
            case SecureMessaging::HeaderNotProcessed: smBits = 0x08; break;
            case SecureMessaging::HeaderAuthenticated: smBits = 0x0C; break;
        }
        return static_cast<std::uint8_t>(chain | smBits | channel);
    }
    if (channel > 19) throw std::invalid_argument("logical channel " + std::to_string(channel) + " > 19");
    if (sm == SecureMessaging::Proprietary || sm == SecureMessaging::HeaderAuthenticated)
        throw std::invalid_argument("further interindustry CLA cannot indicate this secure messaging");
    const std::uint8_t smBit = sm == SecureMessaging::HeaderNotProcessed ? 0x20 : 0x00;
    return static_cast<std::uint8_t>(0x40 | smBit | chain | (channel - 4));
}

}  // namespace vpcsc
