// IFDHControl answers (PC/SC Part 10 v2.02: §2.2 GET_FEATURE_REQUEST, §2.6.14 GET_TLV_PROPERTIES).
// Pure byte builders; the codes are restated from /usr/include/PCSC/reader.h.
#pragma once

#include <cstdint>

#include "common/bytes.hpp"

namespace vpcsc::ifd {

constexpr unsigned long scardCtlCode(unsigned long code) { return 0x42000000UL + code; }  // reader.h SCARD_CTL_CODE
constexpr unsigned long kCmIoctlGetFeatureRequest = scardCtlCode(3400);
constexpr std::uint8_t kFeatureGetTlvProperties = 0x12;
// The IOCTL we assign to FEATURE_GET_TLV_PROPERTIES (the usual 0x330000 + feature numbering).
constexpr unsigned long kIoctlGetTlvProperties = scardCtlCode(0x330000UL + kFeatureGetTlvProperties);

constexpr std::uint8_t kPropertySFirmwareId = 8;         // PCSCv2_PART10_PROPERTY_sFirmwareID
constexpr std::uint8_t kPropertyDwMaxApduDataSize = 10;  // PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize

// The vpcd length field caps a frame at 65535 bytes. An extended case-4 command is
// 4 (header) + 3 (Lc) + Nc + 2 (Le) bytes, so Nc <= 65526; a response is Ne + 2 (SW) <= 65535.
// We advertise the smaller of the two so that both directions fit: 65526 data bytes.
constexpr std::uint32_t kMaxApduDataSize = 65535 - 4 - 3 - 2;

// Feature list: one PCSC_TLV_STRUCTURE {tag, 4, IOCTL big-endian} per feature (Part 10 §2.2).
Bytes featureList();
// TLV properties: tag, length, value little-endian (Part 10 §2.6.14).
Bytes tlvProperties();

// IFDHControl: the answer for controlCode; throws IfdError(NotSupported) for unknown codes.
Bytes controlResponse(unsigned long controlCode, ByteView input);

}  // namespace vpcsc::ifd
