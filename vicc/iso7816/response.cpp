// Response shaping in one place (ISO 7816-4 §5.1.3, §5.3.4, §5.6) and GET RESPONSE.
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

namespace {

constexpr std::uint8_t kInsGetResponse = 0xC0;

std::uint8_t lengthByte(std::size_t n) { return n >= 256 ? 0x00 : static_cast<std::uint8_t>(n); }

Bytes withSw(Bytes data, std::uint16_t status) {
    data.push_back(static_cast<std::uint8_t>(status >> 8));
    data.push_back(static_cast<std::uint8_t>(status));
    return data;
}

// Hand out at most ne bytes; what is left waits for GET RESPONSE behind 61xx.
Bytes deliver(LogicalChannel& ch, Bytes data, std::uint16_t status, std::size_t ne) {
    if (data.size() <= ne) return withSw(std::move(data), status);
    ch.pendingResponse.assign(data.begin() + static_cast<std::ptrdiff_t>(ne), data.end());
    ch.pendingSw = status;
    data.resize(ne);
    return withSw(std::move(data), sw::bytesRemaining(lengthByte(ch.pendingResponse.size())));
}

}  // namespace

Bytes Iso7816Card::shape(const CommandApdu& apdu, LogicalChannel& ch, Response r) {
    if (r.data.empty()) return withSw({}, r.sw);
    // No Le field but response data (a T=0 style case 3 command, e.g. SELECT with FCI without
    // Le): everything waits for GET RESPONSE (ISO 7816-4 §5.3.4).
    // GET RESPONSE itself without Le gets up to 256 bytes.
    if (!apdu.ne && apdu.ins != kInsGetResponse) return deliver(ch, std::move(r.data), r.sw, 0);
    const std::size_t ne = apdu.ne.value_or(kMaxShortNe);
    // ISO 7816-4 §5.6: 6Cxx, wrong Le field, xx = exact number of available bytes.
    if (r.exactLength && r.data.size() > ne && r.data.size() <= kMaxShortNe)
        return withSw({}, sw::wrongLe(lengthByte(r.data.size())));
    return deliver(ch, std::move(r.data), r.sw, ne);
}

// ISO 7816-4 §11.6.1 GET RESPONSE: P1-P2 = 0000, Le = bytes wanted.
Response Iso7816Card::getResponse(const CommandApdu& c, LogicalChannel& ch) {
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    if (ch.pendingResponse.empty()) throw SwError(sw::kConditionsOfUseNotSatisfied);
    Bytes data = std::move(ch.pendingResponse);
    ch.pendingResponse.clear();
    const std::size_t ne = c.ne.value_or(kMaxShortNe);
    if (data.size() <= ne) return Response(std::move(data), ch.pendingSw);
    // More than asked: keep the rest (shape() sees Ne >= the part returned here).
    ch.pendingResponse.assign(data.begin() + static_cast<std::ptrdiff_t>(ne), data.end());
    data.resize(ne);
    return Response(std::move(data), sw::bytesRemaining(lengthByte(ch.pendingResponse.size())));
}

}  // namespace vpcsc::vicc
