#include "vicc/euicc/saip/saip.hpp"

#include "vicc/euicc/saip/pe.hpp"

// install() and restore() are in install.cpp, demoProfile() in demo.cpp.
namespace vpcsc::euicc::saip {

Bytes iccidOf(ByteView upp) {
    const auto pes = splitPes(upp);
    return iccidAsInEf(decodeHeader(pes.front()).iccid);
}

}  // namespace vpcsc::euicc::saip
