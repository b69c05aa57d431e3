// ES10 codecs over common/tlv.
#include "vicc/euicc/es10.hpp"
#include "vicc/euicc/der_fields.hpp"

#include <algorithm>

namespace vpcsc::euicc::es10 {
namespace {

using namespace der;

KeyIdList keyIds(const Tlv& seq, const std::string& what) {
    KeyIdList out;
    Fields f(seq.value, what);
    while (auto k = f.opt(0x04)) out.push_back(sized(*k, 1, 32, what + " key id"));
    if (!f.atEnd()) bad(what + ": element is not an OCTET STRING");
    return out;
}

Builder keyIdsBuilder(const KeyIdList& ids) {
    Builder b;
    for (const Bytes& id : ids) b.add(0x04, id);
    return b;
}

void checkTransactionId(const Bytes& tid, const std::string& what) {
    if (tid.empty() || tid.size() > 16) bad(what + ": transactionId must be 1-16 bytes");
}

}  // namespace

Tag commandTag(ByteView command) {
    Tlv t;
    try {
        t = tlv::parseOne(command);
    } catch (const tlv::TlvError& e) {
        bad(std::string("ES10 command: ") + e.what());
    }
    return t.tag;
}

Bytes signatureTlv(ByteView rs) { return tlv::encode(kTagSignature, rs); }

// ---- EUICCInfo1/2 ---------------------------------------------------------------------------------

Bytes EuiccInfo1::encode() const {
    return Builder().add(0x82, svn).add(0xA9, keyIdsBuilder(ciPkIdsForVerification)).add(0xAA, keyIdsBuilder(ciPkIdsForSigning)).wrap(kTagGetEuiccInfo1);
}

EuiccInfo1 EuiccInfo1::decode(ByteView in) {
    const Tlv t = one(in, kTagGetEuiccInfo1, "EUICCInfo1");
    Fields f(t.value, "EUICCInfo1");
    EuiccInfo1 r;
    r.svn = fixed(f.need(0x82, "svn"), 3, "EUICCInfo1 svn");
    r.ciPkIdsForVerification = keyIds(f.need(0xA9, "euiccCiPKIdListForVerification"), "EUICCInfo1 A9");
    r.ciPkIdsForSigning = keyIds(f.need(0xAA, "euiccCiPKIdListForSigning"), "EUICCInfo1 AA");
    return r;
}

Bytes EuiccInfo2::encode() const {
    Builder b;
    b.add(0x81, profileVersion).add(0x82, svn).add(0x83, euiccFirmwareVer).add(0x84, extCardResource).add(0x85, uiccCapability);
    if (ts102241Version) b.add(0x86, *ts102241Version);
    if (globalplatformVersion) b.add(0x87, *globalplatformVersion);
    b.add(0x88, rspCapability).add(0xA9, keyIdsBuilder(ciPkIdsForVerification)).add(0xAA, keyIdsBuilder(ciPkIdsForSigning));
    if (euiccCategory) b.add(0x8B, encodeSmallUint(*euiccCategory));
    if (forbiddenProfilePolicyRules) b.add(0x99, *forbiddenProfilePolicyRules);
    b.add(0x04, ppVersion).add(0x0C, view(sasAccreditationNumber));
    return b.wrap(kTagGetEuiccInfo2);
}

EuiccInfo2 EuiccInfo2::decode(ByteView in) {
    const Tlv t = one(in, kTagGetEuiccInfo2, "EUICCInfo2");
    Fields f(t.value, "EUICCInfo2");
    EuiccInfo2 r;
    r.profileVersion = fixed(f.need(0x81, "profileVersion"), 3, "EUICCInfo2 profileVersion");
    r.svn = fixed(f.need(0x82, "svn"), 3, "EUICCInfo2 svn");
    r.euiccFirmwareVer = fixed(f.need(0x83, "euiccFirmwareVer"), 3, "EUICCInfo2 euiccFirmwareVer");
    r.extCardResource = f.need(0x84, "extCardResource").valueBytes();
    r.uiccCapability = bitString(f.need(0x85, "uiccCapability"), "EUICCInfo2 uiccCapability");
    if (auto x = f.opt(0x86)) r.ts102241Version = fixed(*x, 3, "EUICCInfo2 ts102241Version");
    if (auto x = f.opt(0x87)) r.globalplatformVersion = fixed(*x, 3, "EUICCInfo2 globalplatformVersion");
    r.rspCapability = bitString(f.need(0x88, "rspCapability"), "EUICCInfo2 rspCapability");
    r.ciPkIdsForVerification = keyIds(f.need(0xA9, "euiccCiPKIdListForVerification"), "EUICCInfo2 A9");
    r.ciPkIdsForSigning = keyIds(f.need(0xAA, "euiccCiPKIdListForSigning"), "EUICCInfo2 AA");
    if (auto x = f.opt(0x8B)) r.euiccCategory = smallUint(*x, "EUICCInfo2 euiccCategory");
    if (auto x = f.opt(0x99)) r.forbiddenProfilePolicyRules = bitString(*x, "EUICCInfo2 forbiddenProfilePolicyRules");
    r.ppVersion = fixed(f.need(0x04, "ppVersion"), 3, "EUICCInfo2 ppVersion");
    r.sasAccreditationNumber = text(f.need(0x0C, "sasAcreditationNumber"), 64, "EUICCInfo2 sasAcreditationNumber");
    return r;
}

// ---- GetEuiccChallenge, GetEID --------------------------------------------------------------------

Bytes encodeEuiccChallengeResponse(ByteView challenge) {
    if (challenge.size() != 16) throw std::invalid_argument("euiccChallenge must be 16 bytes");
    return Builder().add(0x80, challenge).wrap(kTagGetEuiccChallenge);
}

Bytes decodeEuiccChallengeResponse(ByteView in) {
    const Tlv t = one(in, kTagGetEuiccChallenge, "GetEuiccChallenge response");
    Fields f(t.value, "GetEuiccChallenge response");
    return fixed(f.need(0x80, "euiccChallenge"), 16, "euiccChallenge");
}

GetEidRequest GetEidRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagGetEid, "GetEID request");
    Fields f(t.value, "GetEID request");
    GetEidRequest r;
    if (auto x = f.opt(0x5C)) r.tagList = x->valueBytes();
    return r;
}

Bytes encodeEidResponse(ByteView eid) {
    if (eid.size() != 16) throw std::invalid_argument("EID must be 16 bytes");
    return Builder().add(0x5A, eid).wrap(kTagGetEid);
}

Bytes decodeEidResponse(ByteView in) {
    const Tlv t = one(in, kTagGetEid, "GetEID response");
    Fields f(t.value, "GetEID response");
    return fixed(f.need(0x5A, "eidValue"), 16, "EID");
}

// ---- AuthenticateServer ---------------------------------------------------------------------------

Bytes ServerSigned1::encode() const {
    return Builder().add(0x80, transactionId).add(0x81, euiccChallenge).add(0x83, view(serverAddress)).add(0x84, serverChallenge).wrap(0x30);
}

ServerSigned1 ServerSigned1::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "serverSigned1");
    Fields f(t.value, "serverSigned1");
    ServerSigned1 r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "serverSigned1 transactionId");
    r.euiccChallenge = fixed(f.need(0x81, "euiccChallenge"), 16, "serverSigned1 euiccChallenge");
    r.serverAddress = text(f.need(0x83, "serverAddress"), 255, "serverSigned1 serverAddress");
    r.serverChallenge = fixed(f.need(0x84, "serverChallenge"), 16, "serverSigned1 serverChallenge");
    return r;
}

Bytes DeviceInfo::encode() const {
    Builder b;
    b.add(0x80, tac).add(0xA1, deviceCapabilities);
    if (imei) b.add(0x82, *imei);
    return b.take();
}

Bytes CtxParams1::encode() const {
    Builder b;
    if (matchingId) b.add(0x80, view(*matchingId));
    b.add(0xA1, deviceInfo.encode());
    return b.wrap(0xA0);
}

CtxParams1 CtxParams1::decode(ByteView in) {
    const Tlv t = one(in, 0xA0, "ctxParams1");  // ctxParamsForCommonAuthentication, the only choice
    Fields f(t.value, "ctxParams1");
    CtxParams1 r;
    if (auto x = f.opt(0x80)) r.matchingId = text(*x, 255, "ctxParams1 matchingId");
    const Tlv di = f.need(0xA1, "deviceInfo");
    Fields g(di.value, "deviceInfo");
    r.deviceInfo.tac = fixed(g.need(0x80, "tac"), 4, "deviceInfo tac");
    r.deviceInfo.deviceCapabilities = g.need(0xA1, "deviceCapabilities").valueBytes();
    if (auto x = g.opt(0x82)) r.deviceInfo.imei = fixed(*x, 8, "deviceInfo imei");
    return r;
}

Bytes AuthenticateServerRequest::encode() const {
    return Builder()
        .addRaw(serverSigned1Raw.empty() ? serverSigned1.encode() : serverSigned1Raw)
        .add(kTagSignature, serverSignature1)
        .add(0x04, euiccCiPkIdToBeUsed)
        .addRaw(serverCertificate)
        .addRaw(ctxParams1Raw.empty() ? ctxParams1.encode() : ctxParams1Raw)
        .wrap(kTagAuthenticateServer);
}

AuthenticateServerRequest AuthenticateServerRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagAuthenticateServer, "AuthenticateServerRequest");
    Fields f(t.value, "AuthenticateServerRequest");
    AuthenticateServerRequest r;
    const Tlv s1 = f.need(0x30, "serverSigned1");
    r.serverSigned1Raw = Bytes(s1.raw.begin(), s1.raw.end());
    r.serverSigned1 = ServerSigned1::decode(s1.raw);
    r.serverSignature1 = fixed(f.need(kTagSignature, "serverSignature1"), 64, "serverSignature1");
    r.euiccCiPkIdToBeUsed = sized(f.need(0x04, "euiccCiPKIdToBeUsed"), 1, 32, "euiccCiPKIdToBeUsed");
    const Tlv cert = f.need(0x30, "serverCertificate");
    r.serverCertificate = Bytes(cert.raw.begin(), cert.raw.end());
    const Tlv ctx = f.need(0xA0, "ctxParams1");
    r.ctxParams1Raw = Bytes(ctx.raw.begin(), ctx.raw.end());
    r.ctxParams1 = CtxParams1::decode(ctx.raw);
    return r;
}

Bytes EuiccSigned1::encode() const {
    return Builder().add(0x80, transactionId).add(0x83, view(serverAddress)).add(0x84, serverChallenge).addRaw(euiccInfo2).addRaw(ctxParams1).wrap(0x30);
}

EuiccSigned1 EuiccSigned1::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "euiccSigned1");
    Fields f(t.value, "euiccSigned1");
    EuiccSigned1 r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "euiccSigned1 transactionId");
    r.serverAddress = text(f.need(0x83, "serverAddress"), 255, "euiccSigned1 serverAddress");
    r.serverChallenge = fixed(f.need(0x84, "serverChallenge"), 16, "euiccSigned1 serverChallenge");
    const Tlv info2 = f.need(kTagGetEuiccInfo2, "euiccInfo2");
    EuiccInfo2::decode(info2.raw);
    r.euiccInfo2 = Bytes(info2.raw.begin(), info2.raw.end());
    const Tlv ctx = f.need(0xA0, "ctxParams1");
    CtxParams1::decode(ctx.raw);
    r.ctxParams1 = Bytes(ctx.raw.begin(), ctx.raw.end());
    return r;
}

Bytes AuthenticateServerResponse::encode() const {
    if (ok && !error) {
        return Builder()
            .add(0xA0, Builder()
                           .addRaw(ok->euiccSigned1Raw.empty() ? ok->euiccSigned1.encode() : ok->euiccSigned1Raw)
                           .add(kTagSignature, ok->euiccSignature1)
                           .addRaw(ok->euiccCertificate)
                           .addRaw(ok->eumCertificate))
            .wrap(kTagAuthenticateServer);
    }
    if (error && !ok) {
        checkTransactionId(error->transactionId, "AuthenticateServerResponse");
        return Builder().add(0xA1, Builder().add(0x80, error->transactionId).add(0x02, encodeInteger(error->code))).wrap(kTagAuthenticateServer);
    }
    throw std::invalid_argument("AuthenticateServerResponse: exactly one of ok/error");
}

AuthenticateServerResponse AuthenticateServerResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagAuthenticateServer, "AuthenticateServerResponse");
    Fields choice(t.value, "AuthenticateServerResponse");
    AuthenticateServerResponse r;
    if (auto a0 = choice.opt(0xA0)) {
        Fields f(a0->value, "authenticateResponseOk");
        Ok ok;
        const Tlv s1 = f.need(0x30, "euiccSigned1");
        ok.euiccSigned1Raw = Bytes(s1.raw.begin(), s1.raw.end());
        ok.euiccSigned1 = EuiccSigned1::decode(s1.raw);
        ok.euiccSignature1 = fixed(f.need(kTagSignature, "euiccSignature1"), 64, "euiccSignature1");
        const Tlv c1 = f.need(0x30, "euiccCertificate");
        const Tlv c2 = f.need(0x30, "eumCertificate");
        ok.euiccCertificate = Bytes(c1.raw.begin(), c1.raw.end());
        ok.eumCertificate = Bytes(c2.raw.begin(), c2.raw.end());
        r.ok = std::move(ok);
    } else if (auto a1 = choice.opt(0xA1)) {
        Fields f(a1->value, "authenticateResponseError");
        Error e;
        e.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "authenticateResponseError transactionId");
        e.code = integer(f.need(0x02, "authenticateErrorCode"), "authenticateErrorCode");
        r.error = std::move(e);
    } else {
        bad("AuthenticateServerResponse: neither A0 nor A1");
    }
    if (!choice.atEnd()) bad("AuthenticateServerResponse: more than one choice");
    return r;
}

// ---- PrepareDownload ------------------------------------------------------------------------------

Bytes SmdpSigned2::encode() const {
    Builder b;
    b.add(0x80, transactionId).addByte(0x01, ccRequiredFlag ? 0xFF : 0x00);
    if (bppEuiccOtpk) b.add(kTagOtpk, *bppEuiccOtpk);
    return b.wrap(0x30);
}

SmdpSigned2 SmdpSigned2::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "smdpSigned2");
    Fields f(t.value, "smdpSigned2");
    SmdpSigned2 r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "smdpSigned2 transactionId");
    const Bytes cc = fixed(f.need(0x01, "ccRequiredFlag"), 1, "smdpSigned2 ccRequiredFlag");
    if (cc[0] != 0x00 && cc[0] != 0xFF) bad("smdpSigned2 ccRequiredFlag: not a DER BOOLEAN");
    r.ccRequiredFlag = cc[0] == 0xFF;
    if (auto x = f.opt(kTagOtpk)) r.bppEuiccOtpk = fixed(*x, 65, "smdpSigned2 bppEuiccOtpk");
    return r;
}

Bytes PrepareDownloadRequest::encode() const {
    Builder b;
    b.addRaw(smdpSigned2Raw.empty() ? smdpSigned2.encode() : smdpSigned2Raw).add(kTagSignature, smdpSignature2);
    if (hashCc) b.add(0x04, *hashCc);
    b.addRaw(smdpCertificate);
    return b.wrap(kTagPrepareDownload);
}

PrepareDownloadRequest PrepareDownloadRequest::decode(ByteView in) {
    const Tlv t = one(in, kTagPrepareDownload, "PrepareDownloadRequest");
    Fields f(t.value, "PrepareDownloadRequest");
    PrepareDownloadRequest r;
    const Tlv s2 = f.need(0x30, "smdpSigned2");
    r.smdpSigned2Raw = Bytes(s2.raw.begin(), s2.raw.end());
    r.smdpSigned2 = SmdpSigned2::decode(s2.raw);
    r.smdpSignature2 = fixed(f.need(kTagSignature, "smdpSignature2"), 64, "smdpSignature2");
    if (auto x = f.opt(0x04)) r.hashCc = fixed(*x, 32, "hashCc");
    const Tlv cert = f.need(0x30, "smdpCertificate");
    r.smdpCertificate = Bytes(cert.raw.begin(), cert.raw.end());
    return r;
}

Bytes EuiccSigned2::encode() const {
    Builder b;
    b.add(0x80, transactionId).add(kTagOtpk, euiccOtpk);
    if (hashCc) b.add(0x04, *hashCc);
    return b.wrap(0x30);
}

EuiccSigned2 EuiccSigned2::decode(ByteView in) {
    const Tlv t = one(in, 0x30, "euiccSigned2");
    Fields f(t.value, "euiccSigned2");
    EuiccSigned2 r;
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "euiccSigned2 transactionId");
    r.euiccOtpk = fixed(f.need(kTagOtpk, "euiccOtpk"), 65, "euiccSigned2 euiccOtpk");
    if (auto x = f.opt(0x04)) r.hashCc = fixed(*x, 32, "euiccSigned2 hashCc");
    return r;
}

Bytes PrepareDownloadResponse::encode() const {
    if (ok && !error) {
        return Builder()
            .add(0xA0, Builder()
                           .addRaw(ok->euiccSigned2Raw.empty() ? ok->euiccSigned2.encode() : ok->euiccSigned2Raw)
                           .add(kTagSignature, ok->euiccSignature2))
            .wrap(kTagPrepareDownload);
    }
    if (error && !ok) {
        checkTransactionId(error->transactionId, "PrepareDownloadResponse");
        return Builder().add(0xA1, Builder().add(0x80, error->transactionId).add(0x02, encodeInteger(error->code))).wrap(kTagPrepareDownload);
    }
    throw std::invalid_argument("PrepareDownloadResponse: exactly one of ok/error");
}

PrepareDownloadResponse PrepareDownloadResponse::decode(ByteView in) {
    const Tlv t = one(in, kTagPrepareDownload, "PrepareDownloadResponse");
    Fields choice(t.value, "PrepareDownloadResponse");
    PrepareDownloadResponse r;
    if (auto a0 = choice.opt(0xA0)) {
        Fields f(a0->value, "downloadResponseOk");
        Ok ok;
        const Tlv s2 = f.need(0x30, "euiccSigned2");
        ok.euiccSigned2Raw = Bytes(s2.raw.begin(), s2.raw.end());
        ok.euiccSigned2 = EuiccSigned2::decode(s2.raw);
        ok.euiccSignature2 = fixed(f.need(kTagSignature, "euiccSignature2"), 64, "euiccSignature2");
        r.ok = std::move(ok);
    } else if (auto a1 = choice.opt(0xA1)) {
        Fields f(a1->value, "downloadResponseError");
        Error e;
        e.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "downloadResponseError transactionId");
        e.code = integer(f.need(0x02, "downloadErrorCode"), "downloadErrorCode");
        r.error = std::move(e);
    } else {
        bad("PrepareDownloadResponse: neither A0 nor A1");
    }
    if (!choice.atEnd()) bad("PrepareDownloadResponse: more than one choice");
    return r;
}

// ---- Bound Profile Package ------------------------------------------------------------------------

Bytes InitialiseSecureChannel::signedData(ByteView euiccOtpk) const {
    Bytes out = Builder()
                    .addByte(0x82, remoteOpId)
                    .add(0x80, transactionId)
                    .add(0xA6, Builder().addByte(0x80, keyType).addByte(0x81, keyLength).add(0x84, hostId))
                    .add(kTagOtpk, smdpOtpk)
                    .add(kTagOtpk, euiccOtpk)
                    .take();
    return out;
}

Bytes InitialiseSecureChannel::encode() const {
    return Builder()
        .addByte(0x82, remoteOpId)
        .add(0x80, transactionId)
        .add(0xA6, Builder().addByte(0x80, keyType).addByte(0x81, keyLength).add(0x84, hostId))
        .add(kTagOtpk, smdpOtpk)
        .add(kTagSignature, smdpSign)
        .wrap(kTagInitialiseSecureChannel);
}

InitialiseSecureChannel InitialiseSecureChannel::decode(ByteView in) {
    const Tlv t = one(in, kTagInitialiseSecureChannel, "InitialiseSecureChannelRequest");
    Fields f(t.value, "InitialiseSecureChannelRequest");
    InitialiseSecureChannel r;
    r.remoteOpId = smallUint(f.need(0x82, "remoteOpId"), "remoteOpId");
    if (r.remoteOpId != 1) bad("InitialiseSecureChannelRequest: remoteOpId is not installBoundProfilePackage(1)");
    r.transactionId = sized(f.need(0x80, "transactionId"), 1, 16, "InitialiseSecureChannelRequest transactionId");
    const Tlv crt = f.need(0xA6, "controlRefTemplate");
    Fields c(crt.value, "controlRefTemplate");
    r.keyType = fixed(c.need(0x80, "keyType"), 1, "keyType")[0];
    r.keyLength = fixed(c.need(0x81, "keyLen"), 1, "keyLen")[0];
    r.hostId = sized(c.need(0x84, "hostId"), 1, 16, "hostId");
    r.smdpOtpk = fixed(f.need(kTagOtpk, "smdpOtpk"), 65, "smdpOtpk");
    r.smdpSign = fixed(f.need(kTagSignature, "smdpSign"), 64, "smdpSign");
    return r;
}

Bytes ReplaceSessionKeys::encode() const {
    return Builder().add(0x80, initialMcv).add(0x81, ppkEnc).add(0x82, ppkCmac).wrap(kTagReplaceSessionKeys);
}

ReplaceSessionKeys ReplaceSessionKeys::decode(ByteView in) {
    const Tlv t = one(in, kTagReplaceSessionKeys, "ReplaceSessionKeysRequest");
    Fields f(t.value, "ReplaceSessionKeysRequest");
    ReplaceSessionKeys r;
    r.initialMcv = fixed(f.need(0x80, "initialMacChainingValue"), 16, "initialMacChainingValue");
    r.ppkEnc = fixed(f.need(0x81, "ppkEnc"), 16, "ppkEnc");
    r.ppkCmac = fixed(f.need(0x82, "ppkCmac"), 16, "ppkCmac");
    return r;
}

Bytes StoreMetadata::encode() const {
    Builder b;
    b.add(0x5A, iccid).add(0x91, view(serviceProviderName)).add(0x92, view(profileName));
    if (iconType) b.add(0x93, encodeSmallUint(*iconType));
    if (icon) b.add(0x94, *icon);
    if (profileClass) b.add(0x95, encodeSmallUint(*profileClass));
    if (notificationConfigurationInfo) b.add(0xB6, *notificationConfigurationInfo);
    if (profileOwner) b.add(0xB7, *profileOwner);
    if (profilePolicyRules) b.add(0x99, *profilePolicyRules);
    return b.wrap(kTagStoreMetadata);
}

StoreMetadata StoreMetadata::decode(ByteView in) {
    const Tlv t = one(in, kTagStoreMetadata, "StoreMetadataRequest");
    Fields f(t.value, "StoreMetadataRequest");
    StoreMetadata r;
    r.iccid = fixed(f.need(0x5A, "iccid"), 10, "StoreMetadata iccid");
    r.serviceProviderName = text(f.need(0x91, "serviceProviderName"), 32, "StoreMetadata serviceProviderName");
    r.profileName = text(f.need(0x92, "profileName"), 64, "StoreMetadata profileName");
    if (auto x = f.opt(0x93)) r.iconType = smallUint(*x, "StoreMetadata iconType");
    if (auto x = f.opt(0x94)) r.icon = sized(*x, 0, 1024, "StoreMetadata icon");
    if (auto x = f.opt(0x95)) r.profileClass = smallUint(*x, "StoreMetadata profileClass");
    if (auto x = f.opt(0xB6)) {
        tlv::parseAll(x->value);  // SEQUENCE OF NotificationConfigurationInformation: well-formed
        r.notificationConfigurationInfo = x->valueBytes();
    }
    if (auto x = f.opt(0xB7)) r.profileOwner = x->valueBytes();
    if (auto x = f.opt(0x99)) r.profilePolicyRules = bitString(*x, "StoreMetadata profilePolicyRules");
    return r;
}

std::vector<Bytes> segmentBoundProfilePackage(ByteView bpp) {
    const Tlv t = one(bpp, kTagBoundProfilePackage, "BoundProfilePackage");
    Fields f(t.value, "BoundProfilePackage");
    auto header = [](const Tlv& x) { return Bytes(x.raw.begin(), x.raw.end() - static_cast<std::ptrdiff_t>(x.value.size())); };
    auto children = [](const Tlv& x, Tag tag, const char* what) {
        std::vector<Tlv> out;
        try {
            out = tlv::parseAll(x.value);
        } catch (const tlv::TlvError& e) {
            bad(std::string(what) + ": " + e.what());
        }
        for (const Tlv& c : out)
            if (c.tag != tag) bad(std::string(what) + ": unexpected element tag");
        return out;
    };
    std::vector<Bytes> segs;
    const Tlv isc = f.need(kTagInitialiseSecureChannel, "initialiseSecureChannelRequest");
    Bytes first = header(t);
    append(first, isc.raw);
    segs.push_back(std::move(first));
    const Tlv a0 = f.need(0xA0, "firstSequenceOf87");
    children(a0, 0x87, "firstSequenceOf87");
    segs.emplace_back(a0.raw.begin(), a0.raw.end());
    const Tlv a1 = f.need(0xA1, "sequenceOf88");
    segs.push_back(header(a1));
    for (const Tlv& c : children(a1, 0x88, "sequenceOf88")) segs.emplace_back(c.raw.begin(), c.raw.end());
    if (auto a2 = f.opt(0xA2)) {
        children(*a2, 0x87, "secondSequenceOf87");
        segs.emplace_back(a2->raw.begin(), a2->raw.end());
    }
    const Tlv a3 = f.need(0xA3, "sequenceOf86");
    segs.push_back(header(a3));
    for (const Tlv& c : children(a3, 0x86, "sequenceOf86")) segs.emplace_back(c.raw.begin(), c.raw.end());
    if (!f.atEnd()) bad("BoundProfilePackage: data after sequenceOf86");
    return segs;
}

BppSegmenter::Kind BppSegmenter::fail(const std::string& why) {
    m_state = State::Failed;
    bad("LoadBoundProfilePackage: " + why);
}

BppSegmenter::Kind BppSegmenter::accept(ByteView seg) {
    if (m_state == State::Failed) bad("LoadBoundProfilePackage: segment after an error");
    if (m_state == State::Done) return fail("segment after the last 86");
    // header(): a tag and length that must fill the segment exactly (A1/A3 headers).
    auto header = [&](Tag want, const char* what) -> std::size_t {
        std::size_t off = 0, len = 0;
        Tag tag = 0;
        try {
            tag = tlv::readTag(seg, off);
            len = tlv::readLength(seg, off);
        } catch (const tlv::TlvError& e) {
            fail(std::string(what) + ": " + e.what());
        }
        if (tag != want || off != seg.size()) fail(std::string(what) + " expected");
        if (off > m_bppLeft) fail(std::string(what) + " beyond BF36");
        m_bppLeft -= off;
        if (len > m_bppLeft) fail(std::string(what) + " longer than the rest of BF36");
        return len;
    };
    // whole(): one complete TLV of this tag within the current bounds.
    auto whole = [&](Tag want, const char* what) -> Tlv {
        Tlv t;
        try {
            t = tlv::parseOne(seg);
        } catch (const tlv::TlvError& e) {
            fail(std::string(what) + ": " + e.what());
        }
        if (t.tag != want) fail(std::string(what) + " expected");
        if (t.raw.size() > m_bppLeft) fail(std::string(what) + " beyond BF36");
        m_bppLeft -= t.raw.size();
        return t;
    };
    auto only87 = [&](const Tlv& t, const char* what) {
        try {
            for (const Tlv& c : tlv::parseAll(t.value))
                if (c.tag != 0x87) fail(std::string(what) + ": element is not 87");
        } catch (const tlv::TlvError& e) {
            fail(std::string(what) + ": " + e.what());
        }
    };

    switch (m_state) {
    case State::Start: {
        std::size_t off = 0, len = 0;
        try {
            if (tlv::readTag(seg, off) != kTagBoundProfilePackage) fail("first segment is not BF36");
            len = tlv::readLength(seg, off);
        } catch (const tlv::TlvError& e) {
            fail(std::string("BF36 header: ") + e.what());
        }
        m_bppLeft = len;
        const ByteView rest = seg.subspan(off);
        Tlv t;
        try {
            t = tlv::parseOne(rest);
        } catch (const tlv::TlvError& e) {
            fail(std::string("BF23: ") + e.what());
        }
        if (t.tag != kTagInitialiseSecureChannel) fail("BF36 does not start with BF23");
        if (t.raw.size() > m_bppLeft) fail("BF23 longer than BF36");
        m_bppLeft -= t.raw.size();
        m_state = State::AfterBf23;
        return Kind::InitialiseSecureChannel;
    }
    case State::AfterBf23:
        only87(whole(0xA0, "firstSequenceOf87 (A0)"), "A0");
        m_state = State::AfterA0;
        return Kind::ConfigureIsdp;
    case State::AfterA0:
        m_seqLeft = header(0xA1, "sequenceOf88 header (A1)");
        m_state = m_seqLeft == 0 ? State::AfterA1 : State::In88;
        return Kind::StoreMetadataHeader;
    case State::In88: {
        const Tlv t = whole(0x88, "88 segment");
        if (t.raw.size() > m_seqLeft) fail("88 segment overruns A1");
        m_seqLeft -= t.raw.size();
        if (m_seqLeft == 0) m_state = State::AfterA1;
        return Kind::StoreMetadataSegment;
    }
    case State::AfterA1: {
        if (!seg.empty() && seg[0] == 0xA2) {
            if (m_seenA2) fail("second A2");
            only87(whole(0xA2, "secondSequenceOf87 (A2)"), "A2");
            m_seenA2 = true;
            return Kind::ReplaceSessionKeys;
        }
        m_seqLeft = header(0xA3, "sequenceOf86 header (A3)");
        if (m_seqLeft != m_bppLeft) fail("A3 is not the last element of BF36");
        m_state = m_seqLeft == 0 ? State::Done : State::In86;
        return Kind::ProfileElementsHeader;
    }
    case State::In86: {
        const Tlv t = whole(0x86, "86 segment");
        if (t.raw.size() > m_seqLeft) fail("86 segment overruns A3");
        m_seqLeft -= t.raw.size();
        if (m_seqLeft == 0) m_state = State::Done;
        return Kind::ProfileElementSegment;
    }
    case State::Done:
    case State::Failed:
        break;
    }
    return fail("internal state");
}

}  // namespace vpcsc::euicc::es10
