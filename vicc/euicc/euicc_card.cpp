// The euicc card: ISD-R on logical channels, the ES10 STORE DATA transport and the first ES10
// functions (see euicc_card.hpp).
#include "vicc/euicc/euicc_card.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "common/sw.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/es10c.hpp"
#include "vicc/euicc/signature.hpp"

namespace vpcsc::euicc {
namespace {

// T0 = 9F: TA1, TD1, 15 historical bytes; TA1 = 96; TD1 = 80: T=0, TD2 follows; TD2 = 1F: T=15,
// TA3 follows; TA3 = C7 (clock stop, classes A/B/C); historical bytes; TCK.
const Bytes kAtr = fromHex("3B9F96801FC78031E073FE211B633A204E8300900093");

constexpr std::uint8_t kInsManageChannel = 0x70;
constexpr std::uint8_t kInsSelect = 0xA4;
constexpr std::uint8_t kInsStoreData = 0xE2;
constexpr std::uint8_t kInsGetResponse = 0xC0;
constexpr std::uint8_t kInsTerminalCapability = 0xAA;
constexpr std::uint8_t kInsFetch = 0x12;
constexpr std::uint8_t kInsTerminalResponse = 0x14;
constexpr tlv::Tag kTagCancelSession = 0xBF41;

Bytes readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("euicc: cannot read " + path);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The logical channel of a CLA byte: 0x-3x and 8x-Bx carry it in b2-b1 (ISO 7816-4 §5.4.1, the
// proprietary classes of GlobalPlatform mirroring the first interindustry coding), 4x-7x and
// Cx-Fx (except FF) in b4-b1 + 4. nullopt: no channel coding.
std::optional<std::uint8_t> channelOf(std::uint8_t cla) {
    if (cla == 0xFF) return std::nullopt;
    if ((cla & 0x60) == 0x20) return std::nullopt;  // 001x xxxx RFU (and 101x xxxx)
    if (cla & 0x40) return static_cast<std::uint8_t>(4 + (cla & 0x0F));
    return static_cast<std::uint8_t>(cla & 0x03);
}

ResponseApdu status(std::uint16_t sw) { return ResponseApdu{{}, sw}; }

}  // namespace

EuiccIdentity EuiccIdentity::fromPkiDirectory(const std::string& dir) {
    const Certificate ci = Certificate::fromDer(readFile(dir + "/ci.der"));
    const Certificate euicc = Certificate::fromDer(readFile(dir + "/euicc.der"));
    const auto eid = eidOf(euicc);
    if (!eid) throw std::runtime_error("euicc: " + dir + "/euicc.der has no 32-digit EID in its subject serialNumber");
    EuiccIdentity id;
    id.eid = fromHex(*eid);
    const Bytes ski = subjectKeyId(ci);
    if (ski.empty()) throw std::runtime_error("euicc: " + dir + "/ci.der has no subjectKeyIdentifier");
    id.ciPkIds.push_back(ski);
    id.trustedCis.push_back(ci);
    id.euiccCertificate = euicc.toDer();
    id.eumCertificate = Certificate::fromDer(readFile(dir + "/eum.der")).toDer();
    const Bytes pem = readFile(dir + "/euicc.key");
    id.key = std::shared_ptr<EVP_PKEY>(loadPrivateKeyPem(std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size())).release(),
                                       EVP_PKEY_free);
    if (EVP_PKEY_eq(id.key.get(), euicc.publicKey().get()) != 1)
        throw std::runtime_error("euicc: " + dir + "/euicc.key does not belong to euicc.der");
    return id;
}

EuiccCard::EuiccCard(EuiccIdentity identity) : m_id(std::move(identity)) {
    if (m_id.eid.size() != 16) throw std::invalid_argument("EID must be 16 bytes");
    clearVolatile();
}

Bytes EuiccCard::atr() const { return m_atrOverride ? *m_atrOverride : kAtr; }

// Reset and power cycles end every session and close the logical channels; the profile enabled
// now becomes the one presented (SGP.22 §3.2.1), and its USIM sees the same reset.
void EuiccCard::clearVolatile(void (vicc::Card::*usimPower)()) {
    m_channels = {};
    m_channels[0].open = true;  // the basic channel is always open
    m_download.reset();
    m_proactive.clear();
    m_announce = false;
    m_awaitingTerminalResponse = false;
    const InstalledProfile* p = m_store.enabled();
    m_presented = p ? p->usim : nullptr;
    if (m_presented && usimPower) (m_presented.get()->*usimPower)();
}

nlohmann::json EuiccCard::saveState() const {
    return nlohmann::json{{"type", "euicc"}, {"eid", toHex(m_id.eid, 0)}, {"euicc", m_store.save()}};
}

void EuiccCard::loadState(const nlohmann::json& image) {
    if (!image.is_object()) throw std::runtime_error("euicc image: not a JSON object");
    if (auto eid = image.find("eid"); eid != image.end()) {
        Bytes imageEid;
        try {
            if (eid->is_string()) imageEid = fromHex(eid->get<std::string>());
        } catch (const ParseError&) {
        }
        if (imageEid != m_id.eid)
            throw std::runtime_error("euicc image: it belongs to EID " + eid->dump() + ", this eUICC's PKI gives " + toHex(m_id.eid, 0));
    }
    if (auto st = image.find("euicc"); st != image.end()) m_store.load(*st);
    clearVolatile(&vicc::Card::powerOn);
}

es10::EuiccInfo1 EuiccCard::euiccInfo1() const {
    return {fromHex("020200"), m_id.ciPkIds, m_id.ciPkIds};
}

es10::EuiccInfo2 EuiccCard::euiccInfo2() const {
    es10::EuiccInfo2 i;
    i.profileVersion = fromHex("020301");   // SAIP 2.3.1
    i.svn = fromHex("020200");              // SGP.22 v2.2.0
    i.euiccFirmwareVer = fromHex("000100");
    i.extCardResource = fromHex("810100820302000083024000");  // 0 apps, 128 KiB NVM, 16 KiB RAM
    i.uiccCapability = fromHex("0348");     // usimSupport(1), akaMilenage(4)
    i.globalplatformVersion = fromHex("020300");
    i.rspCapability = fromHex("0490");      // additionalProfile(0), testProfileSupport(3)
    i.ciPkIdsForVerification = m_id.ciPkIds;
    i.ciPkIdsForSigning = m_id.ciPkIds;
    i.ppVersion = fromHex("010000");
    i.sasAccreditationNumber = "VPCSC-TEST-ONLY";
    return i;
}

Bytes EuiccCard::process(ByteView apdu) {
    try {
        const CommandApdu c = CommandApdu::parse(apdu);
        const auto channel = channelOf(c.cla);
        if (!channel) {  // e.g. CLA A0 (GSM): only a profile knows it
            if (m_presented) return toProfile(apdu, c);
            return status(sw::kClaNotSupported).encode();
        }
        if (*channel >= kChannels) return status(sw::kLogicalChannelNotSupported).encode();
        Channel& ch = m_channels[*channel];
        if (!ch.open) return status(sw::kLogicalChannelNotSupported).encode();
        if (!forIsdR(c, ch)) {
            ch.isdRSelected = ch.isdRSelected && c.ins != kInsSelect;  // another SELECT leaves the ISD-R
            ch.pending.clear();
            return toProfile(apdu, c);
        }
        ResponseApdu r = dispatch(c, ch, *channel);
        // A pending proactive command turns 90 00 into 91 xx (ETSI TS 102 221 §7.4.2.2).
        if (r.sw == sw::kNoError && m_announce && !m_proactive.empty()) {
            r.sw = static_cast<std::uint16_t>(0x9100 | m_proactive.size());
            m_announce = false;
        }
        return r.encode();
    } catch (const SwError& e) {
        return status(e.sw).encode();
    } catch (const ApduError&) {
        return status(sw::kWrongLength).encode();
    } catch (const std::exception&) {
        return status(sw::kExecutionError).encode();
    }
}

// The ISD-R answers MANAGE CHANNEL (it keeps the USIM's channels in step), SELECT of its AID, and
// everything on a channel where it is selected; the rest belongs to the presented profile.
bool EuiccCard::forIsdR(const CommandApdu& c, const Channel& ch) const {
    const bool proprietary = c.cla & 0x80;
    if (proprietary && ((c.ins == kInsFetch && !m_proactive.empty()) || (c.ins == kInsTerminalResponse && m_awaitingTerminalResponse)))
        return true;
    if (c.ins == kInsManageChannel && !proprietary) return true;
    if (c.ins == kInsSelect && !proprietary) return c.p1 == 0x04 && c.data == kIsdRAid;
    if (ch.isdRSelected) return true;
    if (c.ins == kInsGetResponse && !ch.pending.empty()) return true;
    if (c.ins == kInsTerminalCapability && proprietary && !m_presented) return true;  // accepted, 90 00
    return false;
}

// An APDU for the enabled profile. Without one the eUICC has no MF, EF.DIR or application to
// select (6A82) and no current file for the file commands (6986).
Bytes EuiccCard::toProfile(ByteView apdu, const CommandApdu& c) {
    if (m_presented) {
        Bytes r = m_presented->process(apdu);
        if (m_presented->consumeDirty()) markDirty();
        return r;
    }
    switch (c.ins) {
    case kInsSelect:
        return status(sw::kFileNotFound).encode();
    case 0xB0: case 0xB2: case 0xD6: case 0xDC: case 0xF2:  // READ/UPDATE BINARY/RECORD, STATUS
        return status(sw::kNoCurrentEf).encode();
    case kInsStoreData:  // ES10 only after SELECT ISD-R on the channel
        return status(sw::kConditionsOfUseNotSatisfied).encode();
    default:
        return status(sw::kInsNotSupported).encode();
    }
}

ResponseApdu EuiccCard::dispatch(const CommandApdu& c, Channel& ch, std::uint8_t channel) {
    const bool proprietary = c.cla & 0x80;
    // A command other than GET RESPONSE discards a response nobody fetched.
    if (c.ins != kInsGetResponse) ch.pending.clear();
    switch (c.ins) {
    case kInsManageChannel:
        if (proprietary) break;
        return manageChannel(c, channel);
    case kInsSelect:
        if (proprietary) break;
        return select(c, ch);
    case kInsStoreData:
        if (!proprietary) break;
        return storeData(c, ch);
    case kInsGetResponse:
        return getResponse(c, ch);
    case kInsFetch:
    case kInsTerminalResponse:
        if (!proprietary) break;
        return proactive(c);
    case kInsTerminalCapability:  // ETSI TS 102 221 §11.1.19: accepted, nothing to adapt to
        if (!proprietary) break;
        if (c.p1 != 0 || c.p2 != 0) return status(sw::kIncorrectP1P2);
        return status(sw::kNoError);
    default:
        return status(sw::kInsNotSupported);
    }
    return status(sw::kInsNotSupported);
}

void EuiccCard::requestRefresh() {
    // D0 { 81 command details: number 1, REFRESH (01), qualifier 06 eUICC Profile State Change;
    //      82 device identities: UICC (81) -> terminal (82) }
    m_proactive = fromHex("D009810301010682028182");
    m_announce = true;
    m_awaitingTerminalResponse = false;
}

// FETCH hands out the pending command (ETSI TS 102 221 §10.2.1.6); TERMINAL RESPONSE ends it.
ResponseApdu EuiccCard::proactive(const CommandApdu& c) {
    if (c.p1 != 0 || c.p2 != 0) return status(sw::kIncorrectP1P2);
    if (c.ins == kInsFetch) {
        if (c.ne && *c.ne != m_proactive.size()) return status(sw::wrongLe(static_cast<std::uint8_t>(m_proactive.size())));
        ResponseApdu r{std::move(m_proactive), sw::kNoError};
        m_proactive.clear();
        m_awaitingTerminalResponse = true;
        return r;
    }
    m_awaitingTerminalResponse = false;
    return status(sw::kNoError);
}

ResponseApdu EuiccCard::manageChannel(const CommandApdu& c, std::uint8_t channel) {
    if (c.p1 == 0x00) {  // open; P2 = 00: the card assigns the number (ISO 7816-4 §11.1.2)
        if (c.p2 != 0 || !c.data.empty()) return status(sw::kIncorrectP1P2);
        for (std::uint8_t n = 1; n < kChannels; ++n) {
            if (!m_channels[n].open) {
                m_channels[n] = Channel{};
                m_channels[n].open = true;
                // The USIM opens the same number (ISO 7816-4 §11.1.2, P2 = the channel).
                if (m_presented) m_presented->process(Bytes{0x00, kInsManageChannel, 0x00, n});
                return ResponseApdu{{n}, sw::kNoError};
            }
        }
        return status(sw::kLogicalChannelNotSupported);
    }
    if (c.p1 == 0x80) {  // close P2 (or the channel the command came on when P2 = 00)
        const std::uint8_t n = c.p2 ? c.p2 : channel;
        if (n == 0 || n >= kChannels || !m_channels[n].open) return status(sw::kIncorrectP1P2);
        m_channels[n] = Channel{};
        if (m_presented) m_presented->process(Bytes{0x00, kInsManageChannel, 0x80, n});
        return status(sw::kNoError);
    }
    return status(sw::kIncorrectP1P2);
}

ResponseApdu EuiccCard::select(const CommandApdu& c, Channel& ch) {
    ch.isdRSelected = true;  // forIsdR() routes only SELECT of the ISD-R AID here
    ch.command.clear();
    ch.nextBlock = 0;
    // FCI: 6F { 84 AID, A5 { } } (GlobalPlatform Card Spec §11.9.3.1, proprietary data empty)
    const Bytes fci = tlv::Builder().add(0x84, kIsdRAid).add(0xA5, ByteView()).wrap(0x6F);
    return respond(fci, c, ch);
}

ResponseApdu EuiccCard::storeData(const CommandApdu& c, Channel& ch) {
    if (!ch.isdRSelected) return status(sw::kConditionsOfUseNotSatisfied);
    // P1: b8 last block, b7-b6 00 no encryption info, b4-b1 0001 BER-TLV (GPC §11.11.2.1).
    if ((c.p1 & 0x7F) != 0x11) return status(sw::kIncorrectP1P2);
    if (c.p2 != ch.nextBlock) {
        ch.command.clear();
        ch.nextBlock = 0;
        return status(sw::kIncorrectP1P2);
    }
    if (ch.command.size() + c.data.size() > kMaxCommand) {
        ch.command.clear();
        ch.nextBlock = 0;
        return status(sw::kIncorrectDataField);
    }
    append(ch.command, c.data);
    ++ch.nextBlock;
    if (!(c.p1 & 0x80)) return status(sw::kNoError);  // more blocks follow
    const Bytes command = std::move(ch.command);
    ch.command.clear();
    ch.nextBlock = 0;
    return respond(es10(command), c, ch);
}

ResponseApdu EuiccCard::respond(Bytes data, const CommandApdu& c, Channel& ch) {
    if (data.empty()) return status(sw::kNoError);
    const std::size_t ne = c.ne.value_or(0);
    if (ne >= data.size()) return ResponseApdu{std::move(data), sw::kNoError};
    // T=0 style: the data wait for GET RESPONSE, announced as 61xx (xx = 00 means 256 or more).
    ch.pending = std::move(data);
    return status(static_cast<std::uint16_t>(0x6100 | (ch.pending.size() >= 256 ? 0 : ch.pending.size())));
}

ResponseApdu EuiccCard::getResponse(const CommandApdu& c, Channel& ch) {
    if (c.p1 != 0 || c.p2 != 0) return status(sw::kIncorrectP1P2);
    if (ch.pending.empty()) return status(sw::kConditionsOfUseNotSatisfied);
    const std::size_t ne = c.ne.value_or(256);
    const std::size_t n = std::min(ne, ch.pending.size());
    ResponseApdu r{Bytes(ch.pending.begin(), ch.pending.begin() + static_cast<std::ptrdiff_t>(n)), sw::kNoError};
    ch.pending.erase(ch.pending.begin(), ch.pending.begin() + static_cast<std::ptrdiff_t>(n));
    if (!ch.pending.empty()) r.sw = static_cast<std::uint16_t>(0x6100 | (ch.pending.size() >= 256 ? 0 : ch.pending.size()));
    return r;
}

Bytes EuiccCard::es10(ByteView command) {
    // LoadBoundProfilePackage segments may be bare headers (A1/A3, BF36 + BF23): not one TLV.
    if (Download::isBppSegment(command)) {
        try {
            Bytes r = m_download.loadBoundProfilePackage(command);
            if (!r.empty()) markDirty();  // the result: a profile installed and/or a notification queued
            return r;
        } catch (const es10::Es10Error&) {
            throw SwError(sw::kIncorrectDataField);
        }
    }
    tlv::Tag tag = 0;
    try {
        tag = es10::commandTag(command);
    } catch (const ParseError&) {
        throw SwError(sw::kIncorrectDataField);
    }
    try {
        switch (tag) {
        case es10::kTagGetEid: {
            const auto req = es10::GetEidRequest::decode(command);
            if (req.tagList && *req.tagList != Bytes{0x5A}) return tlv::encode(es10::kTagGetEid, ByteView());
            return es10::encodeEidResponse(m_id.eid);
        }
        case es10::kTagGetEuiccInfo1:
            return euiccInfo1().encode();
        case es10::kTagGetEuiccInfo2:
            return euiccInfo2().encode();
        case es10::kTagAuthenticateServer:
            return m_download.authenticateServer(command, euiccInfo2());
        case es10::kTagGetEuiccChallenge:
            return m_download.getEuiccChallenge();
        case es10::kTagPrepareDownload:
            return m_download.prepareDownload(command);
        case kTagCancelSession:
            return m_download.cancelSession(command);
        case es10::kTagGetProfilesInfo:
            return getProfilesInfo(command);
        case es10::kTagEnableProfile:
            return enableProfile(command);
        case es10::kTagDisableProfile:
            return disableProfile(command);
        case es10::kTagDeleteProfile:
            return deleteProfile(command);
        case es10::kTagSetNickname:
            return setNickname(command);
        case es10::kTagEuiccMemoryReset:
            return euiccMemoryReset(command);
        case es10::kTagGetEuiccConfiguredAddresses:
            return configuredAddresses(command);
        case es10::kTagSetDefaultDpAddress:
            return setDefaultDpAddress(command);
        case es10::kTagListNotification:
            return listNotification(command);
        case es10::kTagRetrieveNotificationsList:
            return retrieveNotificationsList(command);
        case es10::kTagNotificationSent:
            return notificationSent(command);
        case es10::kTagGetRat: {  // the identity's Rules Authorisation Table (vicc --rat)
            es10::decodeEmptyRequest(command, es10::kTagGetRat);
            es10::GetRatResponse r;
            for (const auto& rule : m_id.rat.rules) r.rules.push_back(rule.encode());
            return r.encode();
        }
        default:
            throw SwError(sw::kReferencedDataNotFound);  // not an ES10 function (6A88)
        }
    } catch (const es10::Es10Error&) {
        throw SwError(sw::kIncorrectDataField);
    }
}

}  // namespace vpcsc::euicc
