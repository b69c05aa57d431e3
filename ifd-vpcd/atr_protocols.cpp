#include "ifd-vpcd/atr_protocols.hpp"

namespace vpcsc::ifd {

unsigned atrProtocols(ByteView atr) {
    if (atr.size() < 2) return 0;
    unsigned mask = 0;
    bool sawTd = false;
    std::size_t i = 1;              // T0
    std::uint8_t y = atr[i] >> 4;   // Y1
    ++i;
    while (true) {
        for (int bit = 0; bit < 3; ++bit)  // TAi, TBi, TCi
            if (y & (1u << bit)) ++i;
        if (!(y & 0x8) || i >= atr.size()) break;
        const std::uint8_t td = atr[i++];
        sawTd = true;
        const unsigned t = td & 0x0F;
        if (t == 0) mask |= kProtocolT0;
        if (t == 1) mask |= kProtocolT1;
        y = td >> 4;
    }
    return sawTd ? mask : kProtocolT0;
}

}  // namespace vpcsc::ifd
