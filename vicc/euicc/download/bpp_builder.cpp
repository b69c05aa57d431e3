// Building a Bound Profile Package (bpp_builder.hpp).
#include "vicc/euicc/download/bpp_builder.hpp"

#include <algorithm>
#include <stdexcept>

#include "vicc/crypto/random.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc {

Bytes buildBoundProfilePackage(const BppInput& in, const EckaKeyPair& smdpOtpk, EVP_PKEY* dppbKey) {
    if (in.transactionId.empty() || in.transactionId.size() > 16)
        throw std::invalid_argument("BPP: transactionId must be 1..16 bytes");
    if (in.euiccOtpk.size() != 65 || in.euiccOtpk[0] != 0x04)
        throw std::invalid_argument("BPP: euiccOtpk must be an uncompressed point (65 bytes)");
    if (dppbKey == nullptr) throw std::invalid_argument("BPP: no DPpb key");
    if (in.metadata.iccid.size() != 10) throw std::invalid_argument("BPP: StoreMetadata ICCID must be 10 bytes");
    if (in.upp.empty()) throw std::invalid_argument("BPP: empty profile package");

    // InitialiseSecureChannel (§5.5.2): smdpSign covers its fields and the eUICC's otPK.
    es10::InitialiseSecureChannel isc;
    isc.transactionId = in.transactionId;
    isc.hostId = in.hostId;
    isc.smdpOtpk = smdpOtpk.publicPoint();
    isc.smdpSign = rspSign(dppbKey, isc.signedData(in.euiccOtpk));

    // ECKA + KDF (§2.6.4.1): both sides derive the same session keys; deriveSessionKeys checks
    // the hostId and EID lengths.
    const SessionKeys keys = deriveSessionKeys(smdpOtpk.sharedSecret(in.euiccOtpk), in.hostId, in.eid);
    Bsp session(keys);

    // ConfigureISDP without DP proprietary data: BF24 00 (§5.5.1).
    tlv::Builder a0, a1, a2, a3;
    a0.addRaw(session.wrapEncrypted(0x87, tlv::encode(es10::kTagConfigureIsdp, ByteView())));

    // StoreMetadata, MAC only, cut into as many 88 as it needs (§5.5.3).
    const Bytes metadata = in.metadata.encode();
    for (std::size_t off = 0; off < metadata.size(); off += Bsp::kMaxMacOnlyData) {
        const std::size_t n = std::min(Bsp::kMaxMacOnlyData, metadata.size() - off);
        a1.addRaw(session.wrapMacOnly(0x88, ByteView(metadata).subspan(off, n)));
    }

    // ReplaceSessionKeys (§5.5.4): the 86 segments then use a new BSP instance with the PPKs.
    std::optional<Bsp> ppk;
    if (in.replaceSessionKeys) {
        a2.addRaw(session.wrapEncrypted(0x87, in.replaceSessionKeys->encode()));
        ppk.emplace(in.replaceSessionKeys->ppkEnc, in.replaceSessionKeys->ppkCmac, in.replaceSessionKeys->initialMcv);
    }
    Bsp& profile = ppk ? *ppk : session;
    for (std::size_t off = 0; off < in.upp.size(); off += Bsp::kMaxPlaintext) {
        const std::size_t n = std::min(Bsp::kMaxPlaintext, in.upp.size() - off);
        a3.addRaw(profile.wrapEncrypted(0x86, ByteView(in.upp).subspan(off, n)));
    }

    tlv::Builder bpp;
    bpp.addRaw(isc.encode()).add(0xA0, a0).add(0xA1, a1);
    if (in.replaceSessionKeys) bpp.add(0xA2, a2);
    bpp.add(0xA3, a3);
    return bpp.wrap(es10::kTagBoundProfilePackage);
}

es10::ReplaceSessionKeys randomProfileProtectionKeys() {
    return es10::ReplaceSessionKeys{vicc::crypto::randomBytes(16), vicc::crypto::randomBytes(16),
                                    vicc::crypto::randomBytes(16)};
}

}  // namespace vpcsc::euicc
