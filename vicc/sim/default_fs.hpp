// The default file system of the sim and usim card types: a realistic GSM SIM tree (TS 51.011
// §10) and, for the usim type, EF.DIR and ADF.USIM (TS 31.102 §4.2) plus DF.PHONEBOOK, with a
// sample phonebook and SMS so that dumpers print something out of the box.
#pragma once

#include <string>

#include "vicc/fs/file_system.hpp"

namespace vpcsc::vicc::sim {

// FIDs (TS 51.011 §10.7, TS 31.102 §4.7, TS 102 221 §13)
constexpr std::uint16_t kDfTelecom = 0x7F10, kDfGsm = 0x7F20, kAdfUsimFid = 0x7FFF, kDfPhonebook = 0x5F3A;
constexpr std::uint16_t kEfDir = 0x2F00, kEfIccid = 0x2FE2, kEfPl = 0x2F05;
constexpr std::uint16_t kEfAdn = 0x6F3A, kEfFdn = 0x6F3B, kEfSms = 0x6F3C, kEfMsisdn = 0x6F40, kEfSmsp = 0x6F42,
                        kEfExt1 = 0x6F4A;
constexpr std::uint16_t kEfImsi = 0x6F07, kEfKc = 0x6F20, kEfKeys = 0x6F08, kEfAcc = 0x6F78, kEfAd = 0x6FAD,
                        kEfAcm = 0x6F39;
constexpr std::size_t kAdnAlphaSize = 14;  // ADN/MSISDN records of 28 bytes

// TS 31.102 §4.1 / TS 101 220: the USIM application's AID (RID A000000087, app code 1002).
extern const Bytes kUsimAid;

// The default tree; usim adds EF.DIR and ADF.USIM.
fs::FileSystem defaultSimFileSystem(bool usim);

// EFs that personalisation writes into wherever they exist (DF.GSM and ADF.USIM copies).
std::vector<fs::File*> filesWithFid(fs::File& root, std::uint16_t fid);

}  // namespace vpcsc::vicc::sim
