#include "vicc/euicc/saip/pe.hpp"

namespace vpcsc::euicc::saip {

const char* peName(unsigned kind) {
    static const char* const names[] = {
        "header", "genericFileManagement", "pinCodes", "pukCodes", "akaParameter", "cdmaParameter",
        "securityDomain", "rfm", "application", "nonStandard", "end", "rfu1", "rfu2", "rfu3", "rfu4",
        "rfu5", "mf", "cd", "telecom", "usim", "opt-usim", "isim", "opt-isim", "phonebook",
        "gsm-access", "csim", "opt-csim", "eap", "df-5gs", "df-saip", "df-snpn", "df-5gprose", "iot",
        "opt-iot"};
    return kind < std::size(names) ? names[kind] : "pe[?]";
}

unsigned contextNumber(tlv::Tag tag) {
    if (tlv::tagClass(tag) != tlv::TagClass::ContextSpecific) return ~0u;
    if (tag <= 0xFF) return tag & 0x1F;
    // Multi-byte tag number (X.690 §8.1.2.4): base-128 digits after the first byte.
    unsigned n = 0;
    for (std::size_t i = tlv::tagSize(tag) - 1; i-- > 0;) n = n << 7 | ((tag >> (8 * i)) & 0x7F);
    return n;
}

std::uint32_t decodeUint(ByteView v, std::size_t peIndex, const char* what) {
    if (v.empty() || v.size() > 5 || (v.size() == 5 && v[0] != 0) || (v[0] & 0x80))
        throw SaipError(std::string("bad INTEGER for ") + what, peIndex);
    std::uint64_t n = 0;
    for (auto b : v) n = n << 8 | b;
    if (n > 0xFFFFFFFFu) throw SaipError(std::string("INTEGER too large for ") + what, peIndex);
    return static_cast<std::uint32_t>(n);
}

Bytes iccidAsInEf(ByteView iccid) {
    Bytes out(iccid.begin(), iccid.end());
    if (!out.empty() && (out[0] >> 4) == 0x8)
        for (auto& b : out) b = static_cast<std::uint8_t>(b << 4 | b >> 4);
    return out;
}

std::vector<Pe> splitPes(ByteView upp) {
    std::vector<Pe> pes;
    tlv::Reader r(upp);
    try {
        while (auto t = r.next()) {
            const unsigned kind = contextNumber(t->tag);
            if (kind == ~0u || !t->constructed())
                throw SaipError("ProfileElement " + std::to_string(pes.size()) + ": tag is not a constructed [n]",
                                pes.size(), 1);
            tlv::validate(t->value);
            pes.push_back(Pe{kind, pes.size(), *t});
        }
    } catch (const tlv::TlvError& e) {
        throw SaipError("ProfileElement " + std::to_string(pes.size()) + ": " + e.what(), pes.size(), 1);
    }
    if (pes.empty() || pes.front().kind != static_cast<unsigned>(PeKind::Header))
        throw SaipError("the package does not start with the ProfileHeader", 0, 1);
    return pes;
}

// ProfileHeader (PEDefinitions): [0] major, [1] minor, [2] profileType, [3] iccid, [4] pol, ...
ProfileHeader decodeHeader(const Pe& pe) {
    ProfileHeader h;
    bool major = false, iccid = false;
    for (const auto& f : tlv::parseAll(pe.tlv.value)) {
        switch (f.tag) {
        case 0x80: h.majorVersion = decodeUint(f.value, pe.index, "major-version"); major = true; break;
        case 0x81: h.minorVersion = decodeUint(f.value, pe.index, "minor-version"); break;
        case 0x82: h.profileType.assign(f.value.begin(), f.value.end()); break;
        case 0x83:
            if (f.value.size() != 10) throw SaipError("header iccid is not 10 bytes", pe.index);
            h.iccid = f.valueBytes();
            iccid = true;
            break;
        default: break;  // pol, mandated services, GFSTE list, AIDs: nothing to install
        }
    }
    if (!major || !iccid) throw SaipError("ProfileHeader lacks major-version or iccid", pe.index);
    if (h.majorVersion != 2 && h.majorVersion != 3)
        throw SaipError("ProfileHeader major-version " + std::to_string(h.majorVersion) + " not supported",
                        pe.index);
    return h;
}

}  // namespace vpcsc::euicc::saip
