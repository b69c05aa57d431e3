// Installing an Unprotected Profile Package (SIMalliance/TCA eUICC Profile Package: Interoperable
// Format Technical Specification, "SAIP", v2.3; ASN.1 module PEDefinitions): a DER SEQUENCE OF
// ProfileElement (header, mf, usim, isim, genericFileManagement, akaParameter, pinCodes, pukCodes,
// ... end). install() turns one into the USIM card (vicc/sim UsimCard) that an enabled eUICC profile
// presents on the basic channel: EF.ICCID, EF.DIR, ADF.USIM with its files, Milenage keys, PINs.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"
#include "vicc/card.hpp"

namespace vpcsc::euicc::saip {

// A UPP the installer cannot process. peIndex: which ProfileElement (0-based) failed, when known.
// reason: the SGP.22 ErrorReason the eUICC reports in ProfileInstallationResult (§5.7.6):
// 12 installFailedDueToPEProcessingError, 13 installFailedDueToDataMismatch, 1 incorrectInputValues.
struct SaipError : ParseError {
    SaipError(const std::string& what, std::size_t index, int errorReason = 12)
        : ParseError(what), peIndex(index), reason(errorReason) {}
    std::size_t peIndex;
    int reason;
};

struct InstalledProfile {
    Bytes iccid;              // 10 bytes as in EF.ICCID (BCD, nibble-swapped; SGP.22 Iccid), see iccidOf
    std::string profileType;  // header profileType, may be empty
    std::unique_ptr<vicc::Card> usim;  // the card the profile presents when enabled
};

// The whole install. Throws SaipError; never anything else for bad input.
InstalledProfile install(ByteView upp);

// Just the header PE's ICCID, as coded in EF.ICCID (what an SM-DP+ puts in StoreMetadata and what
// install() returns): the TS.48 headers carry the readable digit order, which is swapped
// (pe.hpp iccidAsInEf). Throws SaipError.
Bytes iccidOf(ByteView upp);

// An installed profile's card after a restart: the card's saveState() image back into a card.
std::unique_ptr<vicc::Card> restore(const nlohmann::json& usimState);

// Our own small UPP (demo.cpp), served by vicc-smdpp as matchingId DEMO because the GSMA TS.48
// files are not ours to ship: header, mf (EF.PL, EF.ICCID, EF.DIR, EF.ARR), PUKs and PINs, usim
// (EF.IMSI, EF.ARR, EF.Keys, EF.UST, EF.SPN, EF.EST, EF.ACC, EF.AD, EF.ECC), Milenage with the
// TS 35.208 test set 1 K/OPc, end. Test values only (test PLMN 001-01, PIN1 1234, PIN2 5678,
// PUK1 12345678, PUK2 87654321, ADM1 88888888), like the usim card type's defaults.
struct DemoProfileOptions {
    std::string iccid = "8900101234567890120";  // 19 or 20 digits, E.118 (Luhn digit included)
    std::string imsi = "001010123456789";       // 6-15 digits
    std::string name = "vpcsc demo profile";    // header profileType and EF.SPN (first 16 bytes)
};
Bytes demoProfile(const DemoProfileOptions& options = {});

}  // namespace vpcsc::euicc::saip
