#include "ifd-vpcd/features.hpp"

#include <string>

#include "config.h"
#include "common/ifd_error.hpp"

namespace vpcsc::ifd {

Bytes featureList() {
    Bytes out{kFeatureGetTlvProperties, 4};
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(kIoctlGetTlvProperties >> shift));
    return out;
}

Bytes tlvProperties() {
    Bytes out{kPropertyDwMaxApduDataSize, 4};
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(kMaxApduDataSize >> shift));
    const std::string firmware = "vpcsc ifd-vpcd " PACKAGE_VERSION;
    out.push_back(kPropertySFirmwareId);
    out.push_back(static_cast<std::uint8_t>(firmware.size()));
    out.insert(out.end(), firmware.begin(), firmware.end());
    return out;
}

Bytes controlResponse(unsigned long controlCode, ByteView /*input*/) {
    if (controlCode == kCmIoctlGetFeatureRequest) return featureList();
    if (controlCode == kIoctlGetTlvProperties) return tlvProperties();
    throw IfdError(IfdCode::NotSupported, "unsupported control code " + std::to_string(controlCode));
}

}  // namespace vpcsc::ifd
