// PLACEHOLDER until the SAIP installer lands (issue 7): every entry point refuses.
#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::euicc::saip {

InstalledProfile install(ByteView) { throw SaipError("SAIP installer not built yet", 0); }
Bytes iccidOf(ByteView) { throw SaipError("SAIP installer not built yet", 0); }
std::unique_ptr<vicc::Card> restore(const nlohmann::json&) { throw SaipError("SAIP installer not built yet", 0); }

}  // namespace vpcsc::euicc::saip
