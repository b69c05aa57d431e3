// MANAGE CHANNEL, ISO 7816-4 §11.1.2: P1 = 00 open (P2 = 00: the card assigns the lowest free
// channel and returns its number; P2 = 01-13: that channel), P1 = 80 close (P2 = 00: the
// channel of CLA; else that channel). The basic channel 0 can never be closed.
#include "common/sw.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

Response Iso7816Card::manageChannel(const CommandApdu& c, LogicalChannel& ch) {
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    if (c.p1 == 0x00) {
        if (c.p2 >= kChannels) throw SwError(sw::kIncorrectP1P2);
        if (c.p2 != 0) {
            if (channel(c.p2)) throw SwError(sw::kConditionsOfUseNotSatisfied);  // already open
            openChannel(c.p2, &ch);
            return {};
        }
        for (std::uint8_t n = 1; n < kChannels; ++n)
            if (!channel(n)) {
                openChannel(n, &ch);
                return Response({n});
            }
        throw SwError(sw::kFunctionNotSupported);  // no channel left
    }
    if (c.p1 == 0x80) {
        const std::uint8_t n = c.p2 == 0 ? ch.number : c.p2;
        if (n >= kChannels) throw SwError(sw::kIncorrectP1P2);
        if (n == 0) throw SwError(sw::kFunctionNotSupported);
        if (!channel(n)) throw SwError(sw::kLogicalChannelNotSupported);
        closeChannel(n, ch);
        return {};
    }
    throw SwError(sw::kIncorrectP1P2);
}

void Iso7816Card::closeChannel(std::uint8_t number, LogicalChannel& current) {
    if (channel(number) == &current)
        current.closing = true;
    else
        m_channels[number].reset();
}

}  // namespace vpcsc::vicc
