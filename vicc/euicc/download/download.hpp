// The eUICC side of a profile download (SGP.22 §3.1.3, ES10b): GetEuiccChallenge,
// AuthenticateServer (§5.7.13), PrepareDownload (§5.7.5), LoadBoundProfilePackage (§5.7.6) in the
// segments an LPA sends (BF36 header + BF23, A0, A1 header, each 88, [A2], A3 header, each 86),
// with the BSP (SCP03t) unwrapping, and CancelSession (§5.7.14). A completed download is installed
// into the ProfileStore (disabled) and its ProfileInstallationResult queued as a notification.
// Session state is volatile: a reset or power cycle ends it. The one-time ECKA key pair outlives
// the session (until a profile installs) so that an SM-DP+ may retry with the same BPP (§5.7.5
// bppEuiccOtpk).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "common/bytes.hpp"
#include "common/tlv.hpp"
#include "vicc/euicc/bsp.hpp"
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/identity.hpp"
#include "vicc/euicc/profile_store.hpp"

namespace vpcsc::euicc {

class Download {
public:
    Download(const EuiccIdentity& identity, ProfileStore& store);
    ~Download();

    // True when an ES10 command is a LoadBoundProfilePackage segment (its first tag is BF36,
    // A0..A3, 86 or 88); such a segment may be a bare header, not a whole TLV.
    static bool isBppSegment(ByteView command);

    Bytes getEuiccChallenge();                                             // BF2E
    Bytes authenticateServer(ByteView command, const es10::EuiccInfo2& info2);  // BF38
    Bytes prepareDownload(ByteView command);                               // BF21
    // One segment: empty (the card answers 90 00 without data) or the BF37 result that ends it
    // (after the last 86, or at the first error). Throws SwError 6985 when no prepared session.
    Bytes loadBoundProfilePackage(ByteView segment);
    Bytes cancelSession(ByteView command);                                 // BF41
    // Reset / power off: the session and any half-loaded package are dropped (nothing installed).
    void reset();

private:
    struct Session;
    struct Failure;
    Bytes loadSegment(ByteView segment);
    Bytes installationResult(const Bytes* isdpAid, const Failure* error);
    Bytes finishInstall();
    const EuiccIdentity& m_id;
    ProfileStore& m_store;
    std::optional<Bytes> m_euiccChallenge;  // the last GetEuiccChallenge, single use
    std::unique_ptr<Session> m_session;     // opened by a successful AuthenticateServer
    std::optional<EckaKeyPair> m_otk;       // otSK/otPK.EUICC.ECKA of the last PrepareDownload
};

}  // namespace vpcsc::euicc
