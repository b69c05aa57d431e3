// libFuzzer harness: the ES10c / ES10a / notification decoders (vicc/euicc/es10c.hpp).
// Invariants: decoders fail only with ParseError (Es10Error/TlvError); whatever decodes re-encodes
// to bytes that decode to the same encoding; a request's tag list filters any ProfileInfo
// without throwing; decoded event bits stay within the four defined ones.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/euicc/es10c.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc::es10;

namespace {

template <class T>
void roundTrip(ByteView in) {
    try {
        const Bytes once = T::decode(in).encode();
        const Bytes twice = T::decode(once).encode();
        FUZZ_ASSERT(once == twice);
    } catch (const ParseError&) {
    }
}

void profilesInfo(ByteView in) {
    try {
        const auto req = ProfileInfoListRequest::decode(in);
        ProfileInfo p;
        p.iccid = Bytes(10, 0x98);
        p.profileState = 1;
        p.icon = Bytes{0x01, 0x02};
        const Bytes e3 = p.encode(req.tagList);  // a validated tag list never throws
        FUZZ_ASSERT(ProfileInfo::decode(e3).encode() == e3);
        const Bytes once = req.encode();
        FUZZ_ASSERT(ProfileInfoListRequest::decode(once).encode() == once);
    } catch (const ParseError&) {
    }
}

void results(ByteView in) {
    for (Tag t : {kTagEnableProfile, kTagDisableProfile, kTagDeleteProfile, kTagSetNickname, kTagNotificationSent,
                  kTagSetDefaultDpAddress, kTagEuiccMemoryReset}) {
        try {
            const auto r = decodeResult(in, t);
            FUZZ_ASSERT(decodeResult(encodeResult(t, r), t) == r);
        } catch (const ParseError&) {
        }
    }
    try {
        decodeEmptyRequest(in, kTagGetEuiccConfiguredAddresses);
    } catch (const ParseError&) {
    }
    try {
        FUZZ_ASSERT((decodeEventBits(in) & 0x0F) == 0);
    } catch (const ParseError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    roundTrip<ProfileIdentifier>(in);
    roundTrip<ProfileInfo>(in);
    roundTrip<ProfileInfoListResponse>(in);
    roundTrip<EnableProfileRequest>(in);
    roundTrip<DisableProfileRequest>(in);
    roundTrip<DeleteProfileRequest>(in);
    roundTrip<SetNicknameRequest>(in);
    roundTrip<NotificationInfo>(in);
    roundTrip<ListNotificationRequest>(in);
    roundTrip<ListNotificationResponse>(in);
    roundTrip<RetrieveNotificationsListRequest>(in);
    roundTrip<RetrieveNotificationsListResponse>(in);
    roundTrip<OtherSignedNotification>(in);
    roundTrip<NotificationSentRequest>(in);
    roundTrip<EuiccConfiguredAddresses>(in);
    roundTrip<SetDefaultDpAddressRequest>(in);
    roundTrip<EuiccMemoryResetRequest>(in);
    roundTrip<GetRatResponse>(in);
    profilesInfo(in);
    results(in);
    return 0;
}
