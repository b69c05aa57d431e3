// The ProfileElements of an Unprotected Profile Package (SAIP v2.3 §8.1, ASN.1 PEDefinitions):
// the package is the DER encodings of its ProfileElement CHOICE values one after another, each
// tagged [n] by its alternative (AUTOMATIC TAGS). This splits them and decodes the header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/tlv.hpp"
#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::euicc::saip {

// ProfileElement CHOICE alternatives (PEDefinitions, tag number = position).
enum class PeKind : unsigned {
    Header = 0, GenericFileManagement = 1, PinCodes = 2, PukCodes = 3, AkaParameter = 4,
    CdmaParameter = 5, SecurityDomain = 6, Rfm = 7, Application = 8, NonStandard = 9, End = 10,
    Mf = 16, Cd = 17, Telecom = 18, Usim = 19, OptUsim = 20, Isim = 21, OptIsim = 22,
    Phonebook = 23, GsmAccess = 24, Csim = 25, OptCsim = 26, Eap = 27, Df5gs = 28, DfSaip = 29,
    DfSnpn = 30, Df5gprose = 31, Iot = 32, OptIot = 33,
};
const char* peName(unsigned kind);  // "usim", "akaParameter", ... or "pe[n]"

struct Pe {
    unsigned kind = 0;     // the CHOICE tag number
    std::size_t index = 0; // position in the package
    tlv::Tlv tlv;          // views into the package buffer
};

// Every PE of the package; the first must be the header, the last may be end. Throws SaipError
// (reason 1, incorrectInputValues, for an undecodable package) — never anything else.
std::vector<Pe> splitPes(ByteView upp);

struct ProfileHeader {
    unsigned majorVersion = 0, minorVersion = 0;
    std::string profileType;
    Bytes iccid;  // 10 bytes
};
ProfileHeader decodeHeader(const Pe& header);

// The header's iccid as coded in EF.ICCID (TS 102 221 §13.2: BCD, nibbles swapped), which is
// SGP.22's Iccid. Packages differ: the TS.48 files carry the readable order (89 49 44 ...), others
// EF.ICCID's (98 94 44 ...). ICCIDs start with the telecom MII 89 (ITU-T E.118), so a first byte
// with high nibble 8 is the readable order and is swapped; anything else is taken as EF coding.
Bytes iccidAsInEf(ByteView headerIccid);

// Tag number of a context-specific tag (first byte 8x/Ax or BF xx), or ~0u for other classes.
unsigned contextNumber(tlv::Tag tag);
// Non-negative INTEGER content (at most 4 bytes); throws SaipError with peIndex.
std::uint32_t decodeUint(ByteView v, std::size_t peIndex, const char* what);

}  // namespace vpcsc::euicc::saip
