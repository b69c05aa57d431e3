// ISO 7816-4 §10 secure messaging codec; see the header for the exact conventions.
#include "vicc/crypto/secure_messaging.hpp"

#include <optional>
#include <stdexcept>

#include "common/sw.hpp"
#include "common/tlv.hpp"
#include "vicc/crypto/authenticate.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {
namespace {

// ISO 7816-4 §10.2 Table 51
constexpr tlv::Tag kDoPlain = 0x81;
constexpr tlv::Tag kDoCryptogram = 0x85;
constexpr tlv::Tag kDoPaddedCryptogram = 0x87;
constexpr tlv::Tag kDoLe = 0x97;
constexpr tlv::Tag kDoStatus = 0x99;
constexpr tlv::Tag kDoMac = 0x8E;
constexpr std::uint8_t kPaddingIndicatorMethod2 = 0x01;  // ISO 7816-4 §10.2.3.1 Table 52

[[noreturn]] void smIncorrect() { throw SwError(sw::kSmDataObjectsIncorrect); }
[[noreturn]] void smMissing() { throw SwError(sw::kSmDataObjectsMissing); }

// The data objects of a protected data field, checked for shape: each tag at most once, only
// the tags allowed in this direction, 8E last and present.
struct SmObjects {
    std::optional<tlv::Tlv> plain, cryptogram, le, status, mac;
    ByteView macInput;  // every object before 8E, as received
};

SmObjects parseObjects(ByteView field, bool response) {
    SmObjects out;
    tlv::Reader reader(field);
    try {
        while (auto t = reader.next()) {
            if (out.mac) smIncorrect();  // nothing may follow the MAC
            std::optional<tlv::Tlv>* slot = nullptr;
            switch (t->tag) {
            case kDoPlain: slot = &out.plain; break;
            case kDoCryptogram:
            case kDoPaddedCryptogram: slot = &out.cryptogram; break;
            case kDoLe: slot = response ? nullptr : &out.le; break;
            case kDoStatus: slot = response ? &out.status : nullptr; break;
            case kDoMac:
                slot = &out.mac;
                out.macInput = field.first(static_cast<std::size_t>(t->raw.data() - field.data()));
                break;
            default: break;
            }
            if (!slot || *slot) smIncorrect();  // unexpected or repeated object
            *slot = *t;
        }
    } catch (const tlv::TlvError&) {
        smIncorrect();  // truncated or malformed object
    }
    if (!out.mac || (response && !out.status)) smMissing();
    if (out.plain && out.cryptogram) smIncorrect();
    return out;
}

bool firstInterindustry(std::uint8_t cla) { return cla < 0x20; }
bool furtherInterindustry(std::uint8_t cla) { return (cla & 0xC0) == 0x40; }
bool proprietary(std::uint8_t cla) { return (cla & 0x80) != 0 && cla != 0xFF; }

bool headerAuthenticated(std::uint8_t smCla) {
    return (firstInterindustry(smCla) && (smCla & 0x0C) == 0x0C) || proprietary(smCla);
}

}  // namespace

std::uint8_t smClass(std::uint8_t cla) {
    if (firstInterindustry(cla)) return static_cast<std::uint8_t>((cla & 0xF3) | 0x0C);
    if (furtherInterindustry(cla)) return static_cast<std::uint8_t>(cla | 0x20);
    if (proprietary(cla)) return cla;
    throw std::invalid_argument("class byte has no secure messaging coding");
}

std::uint8_t plainClass(std::uint8_t cla) {
    if (firstInterindustry(cla)) return static_cast<std::uint8_t>(cla & 0xF3);
    if (furtherInterindustry(cla)) return static_cast<std::uint8_t>(cla & ~0x20);
    return cla;
}

SmSession::SmSession(BlockCipher algorithm, ByteView kEnc, ByteView kMac, ByteView ssc)
    : m_enc(algorithm, kEnc), m_mac(algorithm, kMac), m_ssc(ssc.begin(), ssc.end()) {
    if (m_ssc.size() != m_enc.blockSize()) throw std::invalid_argument("SSC must be one cipher block");
    if (algorithm == BlockCipher::TripleDes && m_mac.size() != 16)
        throw std::invalid_argument("3DES SM MAC key must be 16 bytes (retail MAC)");
}

void SmSession::incrementSsc() {
    for (auto it = m_ssc.rbegin(); it != m_ssc.rend(); ++it)
        if (++*it != 0) break;
}

Bytes SmSession::iv() const {
    if (m_enc.algorithm() == BlockCipher::Aes) return encryptEcb(m_enc, m_ssc);
    return Bytes(m_enc.blockSize(), 0x00);
}

Bytes SmSession::encipher(ByteView plain) const {
    return encryptCbc(m_enc, iv(), padIso9797M2(plain, m_enc.blockSize()));
}

Bytes SmSession::decipher(ByteView cryptogram) const {
    if (cryptogram.empty() || cryptogram.size() % m_enc.blockSize() != 0) smIncorrect();
    try {
        return unpadIso9797M2(decryptCbc(m_enc, iv(), cryptogram), m_enc.blockSize());
    } catch (const ParseError&) {
        smIncorrect();
    }
}

Bytes SmSession::mac(ByteView input) const {
    Bytes n = m_ssc;
    append(n, input);
    return smMac(m_mac, padIso9797M2(n, m_mac.blockSize()));
}

Bytes SmSession::protectData(ByteView data, bool oddIns) const {
    if (oddIns) return tlv::encode(kDoCryptogram, encipher(data));
    Bytes value{kPaddingIndicatorMethod2};
    append(value, encipher(data));
    return tlv::encode(kDoPaddedCryptogram, value);
}

CommandApdu SmSession::wrapCommand(const CommandApdu& command) {
    const std::uint8_t cla = smClass(command.cla);
    const bool oddIns = command.ins & 0x01;
    incrementSsc();
    Bytes objects;
    if (!command.data.empty()) append(objects, protectData(command.data, oddIns));
    if (command.ne) {
        Bytes le;
        if (*command.ne <= kMaxShortNe)
            le.push_back(static_cast<std::uint8_t>(*command.ne));  // 256 → 00
        else
            appendBe16(le, static_cast<std::uint16_t>(*command.ne));  // 65536 → 0000
        append(objects, tlv::encode(kDoLe, le));
    }
    Bytes macInput;
    if (headerAuthenticated(cla))
        macInput = padIso9797M2(Bytes{cla, command.ins, command.p1, command.p2}, m_mac.blockSize());
    append(macInput, objects);
    append(objects, tlv::encode(kDoMac, mac(macInput)));
    m_oddIns = oddIns;

    CommandApdu out{cla, command.ins, command.p1, command.p2, std::move(objects), std::nullopt, false};
    const bool extended = out.data.size() > kMaxShortNc || (command.ne && *command.ne > kMaxShortNe) || command.extended;
    out.ne = extended ? kMaxExtendedNe : kMaxShortNe;  // Le 00 or 0000 (ICAO §9.8.5)
    return out;
}

CommandApdu SmSession::unwrapCommand(const CommandApdu& command) {
    const SecureMessaging indication = secureMessaging(command.cla);
    if (indication == SecureMessaging::Proprietary) throw SwError(sw::kSecureMessagingNotSupported);
    if (indication == SecureMessaging::None && !proprietary(command.cla)) smMissing();
    incrementSsc();
    if (command.data.empty()) smMissing();
    const SmObjects dos = parseObjects(command.data, false);

    Bytes macInput;
    if (headerAuthenticated(command.cla))
        macInput = padIso9797M2(Bytes{command.cla, command.ins, command.p1, command.p2}, m_mac.blockSize());
    append(macInput, dos.macInput);
    if (!constantTimeEqual(mac(macInput), dos.mac->value)) smIncorrect();

    CommandApdu out{plainClass(command.cla), command.ins, command.p1, command.p2, {}, std::nullopt, false};
    m_oddIns = false;
    if (dos.cryptogram) {
        ByteView c = dos.cryptogram->value;
        if (dos.cryptogram->tag == kDoPaddedCryptogram) {
            if (c.empty() || c[0] != kPaddingIndicatorMethod2) smIncorrect();
            c = c.subspan(1);
        } else {
            m_oddIns = true;
        }
        out.data = decipher(c);
    } else if (dos.plain) {
        out.data = dos.plain->valueBytes();
    }
    if (dos.le) {
        const ByteView le = dos.le->value;
        if (le.size() == 1) out.ne = le[0] == 0 ? kMaxShortNe : le[0];
        else if (le.size() == 2) out.ne = readBe16(le, 0) == 0 ? kMaxExtendedNe : readBe16(le, 0);
        else if (!le.empty()) smIncorrect();
    }
    if (out.data.size() > kMaxExtendedNc) smIncorrect();
    return out;
}

ResponseApdu SmSession::wrapResponse(const ResponseApdu& response) {
    incrementSsc();
    Bytes objects;
    if (!response.data.empty()) append(objects, protectData(response.data, m_oddIns));
    Bytes status;
    appendBe16(status, response.sw);
    append(objects, tlv::encode(kDoStatus, status));
    append(objects, tlv::encode(kDoMac, mac(objects)));
    return ResponseApdu{std::move(objects), response.sw};
}

ResponseApdu SmSession::unwrapResponse(const ResponseApdu& response) {
    incrementSsc();
    if (response.data.empty()) return response;  // plain status: the card ended SM
    const SmObjects dos = parseObjects(response.data, true);
    if (!constantTimeEqual(mac(dos.macInput), dos.mac->value)) smIncorrect();
    if (dos.status->value.size() != 2) smIncorrect();
    ResponseApdu out{{}, readBe16(dos.status->value, 0)};
    if (dos.cryptogram) {
        ByteView c = dos.cryptogram->value;
        if (dos.cryptogram->tag == kDoPaddedCryptogram) {
            if (c.empty() || c[0] != kPaddingIndicatorMethod2) smIncorrect();
            c = c.subspan(1);
        }
        out.data = decipher(c);
    } else if (dos.plain) {
        out.data = dos.plain->valueBytes();
    }
    return out;
}

}  // namespace vpcsc::vicc::crypto
