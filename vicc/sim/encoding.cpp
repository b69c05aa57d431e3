#include "vicc/sim/encoding.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace vpcsc::vicc::sim {

namespace {

[[noreturn]] void fail(const std::string& what) { throw EncodingError(what); }

bool allDigits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// TS 23.038 §6.2.1: the GSM 7-bit default alphabet (0x1B, the escape to the extension table, is
// not used for encoding and decodes to a space).
constexpr std::array<char32_t, 128> kGsmAlphabet = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U' ', U'Æ', U'æ', U'ß', U'É',
    U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',', U'-', U'.', U'/',
    U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7', U'8', U'9', U':', U';', U'<', U'=', U'>', U'?',
    U'¡', U'A', U'B', U'C', U'D', U'E', U'F', U'G', U'H', U'I', U'J', U'K', U'L', U'M', U'N', U'O',
    U'P', U'Q', U'R', U'S', U'T', U'U', U'V', U'W', U'X', U'Y', U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§',
    U'¿', U'a', U'b', U'c', U'd', U'e', U'f', U'g', U'h', U'i', U'j', U'k', U'l', U'm', U'n', U'o',
    U'p', U'q', U'r', U's', U't', U'u', U'v', U'w', U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à',
};

std::optional<std::uint8_t> gsmCode(char32_t c) {
    for (std::size_t i = 0; i < kGsmAlphabet.size(); ++i)
        if (kGsmAlphabet[i] == c && i != 0x1B) return static_cast<std::uint8_t>(i);
    return std::nullopt;
}

std::vector<char32_t> utf8Decode(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > s.size()) fail("the name is not valid UTF-8");
        char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; k < n; ++k) {
            const auto cb = static_cast<unsigned char>(s[i + k]);
            if ((cb & 0xC0) != 0x80) fail("the name is not valid UTF-8");
            c = c << 6 | (cb & 0x3F);
        }
        out.push_back(c);
        i += n;
    }
    return out;
}

void utf8Append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | c >> 6);
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | c >> 12);
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | c >> 18);
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

Bytes padTo(Bytes b, std::size_t size) {
    b.resize(size, 0xFF);
    return b;
}

// TS 102 221 Annex A forms 81 and 82: each character is either a GSM default alphabet code
// (b8 = 0) or 80 + its offset from a base, so every other character must lie in base..base+127.
// Form 81 gives the base as one byte (bits 15-8 of a base with b16 = 0 and b7-b1 = 0).
std::optional<Bytes> ucs2Paged(const std::vector<char32_t>& chars, bool form81) {
    char32_t lo = 0x10FFFF, hi = 0;
    for (char32_t c : chars)
        if (!gsmCode(c)) lo = std::min(lo, c), hi = std::max(hi, c);
    if (hi == 0 || chars.size() > 255 || hi > 0xFFFF) return std::nullopt;
    const char32_t base = form81 ? lo & 0x7F80 : lo;
    if (hi - base > 0x7F || (form81 && hi >= 0x8000)) return std::nullopt;
    Bytes out = form81 ? Bytes{0x81, static_cast<std::uint8_t>(chars.size()), static_cast<std::uint8_t>(base >> 7)}
                       : Bytes{0x82, static_cast<std::uint8_t>(chars.size()), static_cast<std::uint8_t>(base >> 8),
                               static_cast<std::uint8_t>(base)};
    for (char32_t c : chars) {
        const auto g = gsmCode(c);
        out.push_back(g ? *g : static_cast<std::uint8_t>(0x80 | (c - base)));
    }
    return out;
}

}  // namespace

Bytes encodeSwappedBcd(std::string_view digits, std::size_t size) {
    if (!allDigits(digits)) fail("'" + std::string(digits) + "' must contain only digits");
    if ((digits.size() + 1) / 2 > size) fail("too many digits");
    Bytes out(size, 0xFF);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const auto d = static_cast<std::uint8_t>(digits[i] - '0');
        std::uint8_t& b = out[i / 2];
        b = i % 2 == 0 ? static_cast<std::uint8_t>((b & 0xF0) | d) : static_cast<std::uint8_t>((b & 0x0F) | d << 4);
    }
    return out;
}

std::string decodeSwappedBcd(ByteView bcd) {
    static const char kDigits[] = "0123456789*#pwe";
    std::string out;
    for (std::uint8_t b : bcd) {
        for (std::uint8_t nibble : {static_cast<std::uint8_t>(b & 0x0F), static_cast<std::uint8_t>(b >> 4)}) {
            if (nibble == 0x0F) return out;
            out += kDigits[nibble];
        }
    }
    return out;
}

char luhnCheckDigit(std::string_view digits) {
    if (!allDigits(digits)) fail("the Luhn check digit needs digits only");
    unsigned sum = 0;
    bool twice = true;  // the digit left of the check digit is doubled
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
        unsigned d = static_cast<unsigned>(*it - '0');
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Bytes encodeIccid(std::string_view iccid) {
    if (!allDigits(iccid) || iccid.size() < 19 || iccid.size() > 20)
        fail("an ICCID has 19 or 20 digits (ITU-T E.118), the last one its Luhn check digit");
    const char check = luhnCheckDigit(iccid.substr(0, iccid.size() - 1));
    if (iccid.back() != check)
        fail("ICCID " + std::string(iccid) + ": wrong Luhn check digit, the last digit should be " + check);
    return encodeSwappedBcd(iccid, 10);
}

std::string decodeIccid(ByteView ef) { return decodeSwappedBcd(ef.subspan(0, std::min<std::size_t>(ef.size(), 10))); }

Bytes encodeImsi(std::string_view imsi) {
    if (!allDigits(imsi) || imsi.size() < 6 || imsi.size() > 15)
        fail("an IMSI has 6 to 15 digits (MCC, MNC, MSIN; TS 23.003 §2.2)");
    // TS 31.102 §4.2.2: byte 2 low nibble = 1001 (odd number of digits) or 0001 (even), high
    // nibble = digit 1; then the other digits two per byte, swapped.
    const std::string nibbles = std::string(1, imsi.size() % 2 ? '9' : '1') + std::string(imsi);
    Bytes bcd(8, 0xFF);
    for (std::size_t i = 0; i < nibbles.size(); ++i) {
        const auto d = static_cast<std::uint8_t>(nibbles[i] - '0');
        bcd[i / 2] = i % 2 == 0 ? static_cast<std::uint8_t>((bcd[i / 2] & 0xF0) | d)
                                : static_cast<std::uint8_t>((bcd[i / 2] & 0x0F) | d << 4);
    }
    Bytes out{static_cast<std::uint8_t>((nibbles.size() + 1) / 2)};
    append(out, bcd);
    return out;
}

std::string decodeImsi(ByteView ef) {
    if (ef.size() < 2 || ef[0] < 1 || ef[0] > 8 || ef.size() < 1u + ef[0]) fail("EF.IMSI is malformed");
    const std::string all = decodeSwappedBcd(ef.subspan(1, ef[0]));
    if (all.empty() || (all[0] != '9' && all[0] != '1')) fail("EF.IMSI has a wrong parity nibble");
    std::string digits = all.substr(1);
    if (!allDigits(digits)) fail("EF.IMSI has non-digits");
    return digits;
}

Bytes encodePlmn(std::string_view mcc, std::string_view mnc) {
    if (mcc.size() != 3 || !allDigits(mcc)) fail("an MCC has 3 digits");
    if (mnc.size() < 2 || mnc.size() > 3 || !allDigits(mnc)) fail("an MNC has 2 or 3 digits");
    auto d = [](char c) { return static_cast<std::uint8_t>(c - '0'); };
    const std::uint8_t mnc3 = mnc.size() == 3 ? d(mnc[2]) : 0x0F;
    return {static_cast<std::uint8_t>(d(mcc[1]) << 4 | d(mcc[0])), static_cast<std::uint8_t>(mnc3 << 4 | d(mcc[2])),
            static_cast<std::uint8_t>(d(mnc[1]) << 4 | d(mnc[0]))};
}

Bytes encodeDiallingNumber(std::string_view number) {
    const bool international = !number.empty() && number[0] == '+';
    std::string_view digits = international ? number.substr(1) : number;
    if (digits.empty() || digits.size() > 20)
        fail("a dialling number has 1 to 20 digits (longer ones need EF.EXT1, not supported)");
    Bytes bcd(10, 0xFF);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        std::uint8_t v;
        const char c = digits[i];
        if (c >= '0' && c <= '9') v = static_cast<std::uint8_t>(c - '0');
        else if (c == '*') v = 0x0A;
        else if (c == '#') v = 0x0B;
        else fail("'" + std::string(number) + "': a dialling number has an optional leading + and 0-9 * #");
        bcd[i / 2] = i % 2 == 0 ? static_cast<std::uint8_t>((bcd[i / 2] & 0xF0) | v)
                                : static_cast<std::uint8_t>((bcd[i / 2] & 0x0F) | v << 4);
    }
    // TS 24.008 §10.5.4.7: ext bit 1, type of number 001 international / 000 unknown, NPI 0001 ISDN
    Bytes out{static_cast<std::uint8_t>(1 + (digits.size() + 1) / 2), static_cast<std::uint8_t>(international ? 0x91 : 0x81)};
    append(out, bcd);
    return out;
}

std::string decodeDiallingNumber(ByteView b) {
    if (b.size() < 12 || b[0] == 0xFF || b[0] < 1 || b[0] > 11) return {};
    std::string number = decodeSwappedBcd(b.subspan(2, b[0] - 1u));
    if ((b[1] & 0x70) == 0x10) number.insert(0, "+");
    return number;
}

Bytes encodeAlpha(std::string_view utf8, std::size_t size) {
    const std::vector<char32_t> chars = utf8Decode(utf8);
    Bytes gsm;
    bool allGsm = true;
    for (char32_t c : chars) {
        if (auto g = gsmCode(c)) gsm.push_back(*g);
        else allGsm = false;
    }
    std::optional<Bytes> best;
    if (allGsm) best = gsm;
    for (bool form81 : {true, false}) {
        if (best) break;
        auto paged = ucs2Paged(chars, form81);
        if (paged && paged->size() <= size) best = paged;
    }
    if (!best) {
        Bytes ucs2{0x80};
        for (char32_t c : chars) {
            if (c > 0xFFFF) fail("the name has a character outside the UCS2 range");
            ucs2.push_back(static_cast<std::uint8_t>(c >> 8));
            ucs2.push_back(static_cast<std::uint8_t>(c));
        }
        best = ucs2;
    }
    if (best->size() > size)
        fail("the name '" + std::string(utf8) + "' needs " + std::to_string(best->size()) + " bytes, the record has " +
             std::to_string(size));
    return padTo(*best, size);
}

std::string decodeAlpha(ByteView a) {
    std::string out;
    if (a.empty()) return out;
    if (a[0] == 0x80) {
        for (std::size_t i = 1; i + 1 < a.size(); i += 2) {
            const char32_t c = static_cast<char32_t>(a[i] << 8 | a[i + 1]);
            if (c == 0xFFFF) break;
            utf8Append(out, c);
        }
        return out;
    }
    if (a[0] == 0x81 || a[0] == 0x82) {
        const std::size_t header = a[0] == 0x81 ? 3 : 4;
        if (a.size() < header) return out;
        const char32_t base = a[0] == 0x81 ? static_cast<char32_t>(a[2]) << 7 : static_cast<char32_t>(a[2] << 8 | a[3]);
        const std::size_t n = std::min<std::size_t>(a[1], a.size() - header);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t b = a[header + i];
            utf8Append(out, b & 0x80 ? base + (b & 0x7F) : kGsmAlphabet[b]);
        }
        return out;
    }
    for (std::uint8_t b : a) {
        if (b == 0xFF) break;
        utf8Append(out, kGsmAlphabet[b & 0x7F]);
    }
    return out;
}

Bytes encodeAdnRecord(std::string_view name, std::string_view number, std::size_t alphaSize) {
    Bytes out = encodeAlpha(name, alphaSize);
    append(out, encodeDiallingNumber(number));
    out.push_back(0xFF);  // capability/configuration identifier
    out.push_back(0xFF);  // extension record identifier
    return out;
}

AdnEntry decodeAdnRecord(ByteView r) {
    if (r.size() < 14) return {};
    const std::size_t x = r.size() - 14;
    return {decodeAlpha(r.subspan(0, x)), decodeDiallingNumber(r.subspan(x, 12))};
}

}  // namespace vpcsc::vicc::sim
