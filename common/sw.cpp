#include "common/sw.hpp"

#include <cstdio>

namespace vpcsc {

SwError::SwError(std::uint16_t status) noexcept : sw(status) {
    std::snprintf(m_what, sizeof m_what, "status word %04X", static_cast<unsigned>(status));
}

namespace {

struct SwEntry {
    std::uint16_t sw;
    const char* name;
};

// Exact values. ISO 7816-4 §5.6 Tables 5-6; GSM 11.11 §9.4 and ETSI TS 102 221 §10.2.1.
constexpr SwEntry kExact[] = {
    {0x9000, "normal processing"},
    {0x6200, "warning, no information given (non-volatile memory unchanged)"},
    {0x6281, "part of returned data may be corrupted"},
    {0x6282, "end of file or record reached before reading Ne bytes"},
    {0x6283, "selected file deactivated"},
    {0x6284, "file control information not formatted according to ISO 7816-4 §5.3.3"},
    {0x6285, "selected file in termination state"},
    {0x6286, "no input data available from a sensor on the card"},
    {0x6287, "at least one of the referenced records is deactivated"},
    {0x6300, "warning, no information given (non-volatile memory changed)"},
    {0x6381, "file filled up by the last write"},
    {0x6400, "execution error, non-volatile memory unchanged"},
    {0x6401, "immediate response required by the card"},
    {0x6500, "execution error, non-volatile memory changed"},
    {0x6581, "memory failure"},
    {0x6600, "security-related issue"},
    {0x6700, "wrong length"},
    {0x6800, "functions in CLA not supported"},
    {0x6881, "logical channel not supported"},
    {0x6882, "secure messaging not supported"},
    {0x6883, "last command of the chain expected"},
    {0x6884, "command chaining not supported"},
    {0x6900, "command not allowed"},
    {0x6981, "command incompatible with file structure"},
    {0x6982, "security status not satisfied"},
    {0x6983, "authentication method blocked"},
    {0x6984, "reference data not usable"},
    {0x6985, "conditions of use not satisfied"},
    {0x6986, "command not allowed (no current EF)"},
    {0x6987, "expected secure messaging data objects missing"},
    {0x6988, "incorrect secure messaging data objects"},
    {0x6A00, "wrong parameters P1-P2, no information given"},
    {0x6A80, "incorrect parameters in the command data field"},
    {0x6A81, "function not supported"},
    {0x6A82, "file or application not found"},
    {0x6A83, "record not found"},
    {0x6A84, "not enough memory space in the file"},
    {0x6A85, "Nc inconsistent with TLV structure"},
    {0x6A86, "incorrect parameters P1-P2"},
    {0x6A87, "Nc inconsistent with parameters P1-P2"},
    {0x6A88, "referenced data or reference data not found"},
    {0x6A89, "file already exists"},
    {0x6A8A, "DF name already exists"},
    {0x6B00, "wrong parameters P1-P2"},
    {0x6D00, "instruction code not supported or invalid"},
    {0x6E00, "class not supported"},
    {0x6F00, "no precise diagnosis"},
    // SIM / UICC
    {0x9240, "memory problem"},
    {0x9300, "SIM application toolkit busy"},
    {0x9400, "no EF selected"},
    {0x9402, "out of range (invalid address)"},
    {0x9404, "file ID or pattern not found"},
    {0x9408, "file is inconsistent with the command"},
    {0x9802, "no CHV initialised"},
    {0x9804, "access condition not fulfilled"},
    {0x9808, "in contradiction with CHV status"},
    {0x9810, "in contradiction with invalidation status"},
    {0x9840, "CHV blocked (no attempt left)"},
    {0x9850, "increase cannot be performed, maximum value reached"},
    {0x9862, "authentication error, application specific"},
    {0x9863, "security session or association expired"},
};

struct SwGroup {
    std::uint16_t mask;
    std::uint16_t value;
    const char* name;
};

// Parameterised values and whole groups, most specific first.
constexpr SwGroup kGroups[] = {
    {0xFF00, 0x6100, "response bytes still available"},
    {0xFFF0, 0x63C0, "verification failed, counter in SW2 low nibble"},
    {0xFF00, 0x6200, "warning, state of non-volatile memory unchanged"},
    {0xFF00, 0x6300, "warning, state of non-volatile memory changed"},
    {0xFF00, 0x6400, "execution error, state of non-volatile memory unchanged"},
    {0xFF00, 0x6500, "execution error, state of non-volatile memory changed"},
    {0xFF00, 0x6600, "security-related issue"},
    {0xFF00, 0x6700, "wrong length"},
    {0xFF00, 0x6800, "functions in CLA not supported"},
    {0xFF00, 0x6900, "command not allowed"},
    {0xFF00, 0x6A00, "wrong parameters P1-P2"},
    {0xFF00, 0x6C00, "wrong Le field, SW2 gives the exact length"},
    {0xFF00, 0x6F00, "no precise diagnosis"},
    {0xFF00, 0x9100, "normal ending, proactive command pending"},
    {0xFFF0, 0x9200, "normal ending after internal retries"},
    {0xFF00, 0x9E00, "SIM data download error, response data available"},
    {0xFF00, 0x9F00, "normal ending, response data available"},
};

}  // namespace

const char* swName(std::uint16_t sw) {
    for (const SwEntry& e : kExact)
        if (e.sw == sw) return e.name;
    for (const SwGroup& g : kGroups)
        if ((sw & g.mask) == g.value) return g.name;
    return "unknown status word";
}

SwCategory swCategory(std::uint16_t sw) {
    const unsigned sw1 = sw >> 8;
    if (sw == 0x9000 || sw1 == 0x61 || sw1 == 0x91 || sw1 == 0x92 || sw1 == 0x9F) return SwCategory::Normal;
    if (sw1 == 0x62 || sw1 == 0x63) return SwCategory::Warning;
    if (sw1 >= 0x64 && sw1 <= 0x66) return SwCategory::ExecutionError;
    if ((sw1 >= 0x67 && sw1 <= 0x6F) || sw1 == 0x93 || sw1 == 0x94 || sw1 == 0x98 || sw1 == 0x9E)
        return SwCategory::CheckingError;
    return SwCategory::Unknown;
}

std::string describeSw(std::uint16_t sw) {
    char buf[96];
    const unsigned sw1 = sw >> 8, sw2 = sw & 0xFF;
    switch (sw1) {
        case 0x61:
            std::snprintf(buf, sizeof buf, "%04X %u response bytes still available", sw, sw2 ? sw2 : 256);
            return buf;
        case 0x6C:
            std::snprintf(buf, sizeof buf, "%04X wrong Le, %u bytes available", sw, sw2 ? sw2 : 256);
            return buf;
        case 0x91:
            std::snprintf(buf, sizeof buf, "%04X normal ending, proactive command of %u bytes pending", sw, sw2);
            return buf;
        case 0x9F:
            std::snprintf(buf, sizeof buf, "%04X normal ending, %u response bytes available", sw, sw2);
            return buf;
        default: break;
    }
    if ((sw & 0xFFF0) == 0x63C0) {
        std::snprintf(buf, sizeof buf, "%04X verification failed, %u retries left", sw, sw2 & 0x0F);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%04X ", static_cast<unsigned>(sw));
    return buf + std::string(swName(sw));
}

}  // namespace vpcsc
