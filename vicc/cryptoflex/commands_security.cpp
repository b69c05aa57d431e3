// Cryptoflex security commands (reference notes §1.3, §1.6): VERIFY / CHANGE / UNBLOCK CHV against
// the CHV files, VERIFY KEY (AUT keys of EF 0011), LOGOUT and GET CHALLENGE.
#include "common/sw.hpp"
#include "vicc/crypto/ossl.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/cryptoflex/chv_file.hpp"
#include "vicc/cryptoflex/classes.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"
#include "vicc/cryptoflex/key_files.hpp"

namespace vpcsc::vicc {

using namespace cryptoflex;
using fs::File;

namespace {

constexpr std::uint16_t kAutKeyFid = 0x0011;
constexpr std::size_t kAutKeyLength = 8;     // DES key of a VERIFY KEY
constexpr std::size_t kAutKeyOffset = 4;     // EF 0011 record: len(2) keyNumber algorithm key[8]
constexpr std::uint8_t kLogoutChv1 = 0x01, kLogoutChv2 = 0x02, kLogoutKeys = 0x04;

// P1 = 00, P2 = CHV number 1 or 2, data of the given length.
std::uint8_t chvNumber(const CommandApdu& c, std::size_t dataLength) {
    if (c.p1 != 0 || (c.p2 != 1 && c.p2 != 2)) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() != dataLength) throw SwError(sw::kWrongLength);
    return c.p2;
}

}  // namespace

namespace {

enum class Code { Pin, Puk };

// Compares a presented code with the CHV file, keeping its retry counter: 6983 when blocked,
// 63Cx (x tries left) when wrong. The counter is reset to its maximum on success.
void presentCode(File& file, ChvFile& chv, Code which, ByteView presented, Iso7816Card& card) {
    std::uint8_t& tries = which == Code::Pin ? chv.triesLeft : chv.pukTriesLeft;
    const std::uint8_t max = which == Code::Pin ? chv.maxTries : chv.pukMaxTries;
    const Bytes& stored = which == Code::Pin ? chv.pin : chv.puk;
    if (tries == 0) throw SwError(sw::kAuthenticationMethodBlocked);
    if (!crypto::constantTimeEqual(presented, stored)) {
        --tries;
        chv.store(file.data);
        card.changed();
        throw SwError(sw::retriesLeft(tries));
    }
    if (tries != max) {
        tries = max;
        chv.store(file.data);
        card.changed();
    }
}

}  // namespace

// The CHV file of n for the current DF; 6A88 when there is none, 6984 when it is unusable.
static std::pair<File*, ChvFile> chvFileOf(File* f) {
    if (!f) throw SwError(sw::kReferencedDataNotFound);
    if (f->structure() != fs::FileStructure::Transparent || f->lifeCycle != fs::LifeCycle::Activated)
        throw SwError(sw::kReferenceDataNotUsable);
    auto chv = ChvFile::parse(f->data);
    if (!chv) throw SwError(sw::kReferenceDataNotUsable);
    return {f, *chv};
}

// C0 20 00 n 08 PIN: CHVn is looked up in the current DF and its ancestors (§1.6).
Response CryptoflexCard::verifyChv(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaEveryday);
    const std::uint8_t n = chvNumber(c, kChvLength);
    auto [file, chv] = chvFileOf(findUpwards(ch, chvFid(n)));
    bool& verified = n == 1 ? m_status.chv1 : m_status.chv2;
    verified = false;
    presentCode(*file, chv, Code::Pin, c.data, *this);
    verified = true;
    return {};
}

// F0 24 00 n 10 old(8) new(8).
Response CryptoflexCard::changeChv(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    const std::uint8_t n = chvNumber(c, 2 * kChvLength);
    auto [file, chv] = chvFileOf(findUpwards(ch, chvFid(n)));
    bool& verified = n == 1 ? m_status.chv1 : m_status.chv2;
    verified = false;
    presentCode(*file, chv, Code::Pin, ByteView(c.data).first(kChvLength), *this);
    chv.pin.assign(c.data.begin() + kChvLength, c.data.end());
    chv.store(file->data);
    changed();
    verified = true;
    return {};
}

// F0 2C 00 n 10 PUK(8) newPIN(8): resets the PIN and its retry counter.
Response CryptoflexCard::unblockChv(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    const std::uint8_t n = chvNumber(c, 2 * kChvLength);
    auto [file, chv] = chvFileOf(findUpwards(ch, chvFid(n)));
    bool& verified = n == 1 ? m_status.chv1 : m_status.chv2;
    verified = false;
    presentCode(*file, chv, Code::Puk, ByteView(c.data).first(kChvLength), *this);
    chv.pin.assign(c.data.begin() + kChvLength, c.data.end());
    chv.triesLeft = chv.maxTries;
    chv.store(file->data);
    changed();
    verified = true;
    return {};
}

// F0 2A 00 k 08 key: AUT key k from EF 0011 of the current DF or an ancestor. EF 0011 is a key
// record list like the RSA key files; each record is `00 0C k algorithm key[8]` (our layout,
// OpenSC never reads the file). Wrong key: 6300 (no retry counter is kept for AUT keys).
Response CryptoflexCard::verifyKey(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    if (c.p1 != 0 || c.p2 == 0 || c.p2 > 0x0F) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() != kAutKeyLength) throw SwError(sw::kWrongLength);
    File* keys = findUpwards(ch, kAutKeyFid);
    if (!keys || keys->structure() != fs::FileStructure::Transparent) throw SwError(sw::kReferencedDataNotFound);
    const auto record = findKeyRecord(keys->data, c.p2);
    if (!record) throw SwError(sw::kReferencedDataNotFound);
    if (record->size() < kAutKeyOffset + kAutKeyLength) throw SwError(sw::kReferenceDataNotUsable);
    m_status.keys.erase(c.p2);
    if (!crypto::constantTimeEqual(record->subspan(kAutKeyOffset, kAutKeyLength), c.data))
        throw SwError(sw::kVerifyFailedNoInfo);
    m_status.keys.insert(c.p2);
    return {};
}

// F0 22 P1 00: forget CHV1 (P1 b1), CHV2 (b2) and the AUT keys (b3); OpenSC sends P1 = 07.
Response CryptoflexCard::logout(const CommandApdu& c, LogicalChannel&) {
    requireClass(c, kClaAdministrative);
    if (c.p1 == 0 || (c.p1 & ~(kLogoutChv1 | kLogoutChv2 | kLogoutKeys)) || c.p2 != 0)
        throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty()) throw SwError(sw::kWrongLength);
    if (c.p1 & kLogoutChv1) m_status.chv1 = false;
    if (c.p1 & kLogoutChv2) m_status.chv2 = false;
    if (c.p1 & kLogoutKeys) m_status.keys.clear();
    return {};
}

// C0 84 00 00 Le: Le random bytes (OpenSC asks for 8).
Response CryptoflexCard::getChallenge(const CommandApdu& c, LogicalChannel&) {
    requireClass(c, kClaEveryday);
    if (c.p1 != 0 || c.p2 != 0) throw SwError(sw::kIncorrectP1P2);
    if (!c.data.empty() || !c.ne || *c.ne > kMaxShortNe) throw SwError(sw::kWrongLength);
    return Response(crypto::randomBytes(*c.ne));
}

}  // namespace vpcsc::vicc
