// The value encodings of SIM/USIM files: swapped-nibble BCD, ICCID with its Luhn check digit
// (ITU-T E.118), IMSI (TS 31.102 §4.2.2), dialling numbers with TON/NPI (TS 31.102 §4.4.2.3,
// TS 24.008 §10.5.4.7), alpha identifiers in the GSM 7-bit default alphabet (TS 23.038 §6.2.1)
// or one of the three UCS2 forms (TS 102 221 Annex A), and PLMN codes (TS 24.008 §10.5.1.3).
// Every encoder validates its whole input first and throws EncodingError with a message meant
// for the user; nothing is produced half.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::vicc::sim {

struct EncodingError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Digits 0-9 two per byte, the first digit in the low nibble, padded with F to `size` bytes.
Bytes encodeSwappedBcd(std::string_view digits, std::size_t size);
// Up to the first F nibble; other nibbles A-E map to * # p w e (TS 31.102 §4.4.2.3 Table 4.4).
std::string decodeSwappedBcd(ByteView bcd);

// The Luhn (mod 10) check digit of a string of digits.
char luhnCheckDigit(std::string_view digits);

// ICCID: 19 or 20 digits whose last one is the Luhn check digit of the others; 10 bytes.
Bytes encodeIccid(std::string_view iccid);
std::string decodeIccid(ByteView ef);

// IMSI: 6-15 digits; 9 bytes: length, then parity nibble (9 odd, 1 even) and the digits.
Bytes encodeImsi(std::string_view imsi);
std::string decodeImsi(ByteView ef);  // throws EncodingError if malformed
// MCC (3 digits) and MNC (2 or 3 digits) as 3 bytes (TS 24.008 §10.5.1.3).
Bytes encodePlmn(std::string_view mcc, std::string_view mnc);

// A dialling number: optional leading '+' (international, TON/NPI 91; otherwise 81), then up to
// 20 of 0-9 * #. 12 bytes: BCD length, TON/NPI, 10 bytes of BCD.
Bytes encodeDiallingNumber(std::string_view number);
std::string decodeDiallingNumber(ByteView twelveBytes);

// Alpha identifier from UTF-8 into `size` bytes, FF padded: the GSM default alphabet if every
// character has a code there, else the shortest UCS2 form (81, 82 or 80) that fits.
Bytes encodeAlpha(std::string_view utf8, std::size_t size);
std::string decodeAlpha(ByteView alpha);  // to UTF-8

// An EF.ADN / EF.MSISDN / EF.FDN record (TS 31.102 §4.4.2.3): alpha, number, CCP FF, EXT FF.
Bytes encodeAdnRecord(std::string_view name, std::string_view number, std::size_t alphaSize);
struct AdnEntry {
    std::string name;
    std::string number;
};
AdnEntry decodeAdnRecord(ByteView record);  // empty entry for an FF record

}  // namespace vpcsc::vicc::sim
