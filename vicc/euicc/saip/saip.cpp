#include "vicc/euicc/saip/saip.hpp"

#include "vicc/euicc/saip/pe.hpp"

namespace vpcsc::euicc::saip {

InstalledProfile install(ByteView) { throw SaipError("SAIP installer not built yet", 0); }

Bytes iccidOf(ByteView upp) {
    const auto pes = splitPes(upp);
    return decodeHeader(pes.front()).iccid;
}

std::unique_ptr<vicc::Card> restore(const nlohmann::json&) { throw SaipError("SAIP installer not built yet", 0); }

}  // namespace vpcsc::euicc::saip
