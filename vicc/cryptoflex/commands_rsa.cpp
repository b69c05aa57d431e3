// Cryptoflex RSA commands (reference notes §1.3, §1.7): GENERATE RSA KEY into EF 0012 / EF 1012
// of the current DF, and the private-key operation (INS 88, byte-reversed in and out) that
// OpenSC uses both to sign and to decipher.
#include "common/sw.hpp"
#include "vicc/cryptoflex/classes.hpp"
#include "vicc/cryptoflex/cryptoflex_card.hpp"
#include "vicc/cryptoflex/key_files.hpp"
#include "vicc/cryptoflex/rsa_key.hpp"

namespace vpcsc::vicc {

using namespace cryptoflex;
using fs::File;

namespace {

constexpr std::size_t kExponentLength = 4;  // little-endian
constexpr std::uint8_t kMaxKeyIndex = 0x0E;  // key numbers 1-15 (cryptoflex-tool shows a nibble)

int modulusBits(std::uint8_t p2) {
    switch (p2) {
    case 0x40: return 512;
    case 0x60: return 768;
    case 0x80: return 1024;
    case 0x00: return 2048;
    default: throw SwError(sw::kIncorrectP1P2);
    }
}

File& keyFile(File& df, std::uint16_t fid) {
    File* f = df.child(fid);
    if (!f || f->structure() != fs::FileStructure::Transparent) throw SwError(sw::kFileNotFound);
    return *f;
}

}  // namespace

// F0 46 <key index> <size> 04 <e, little-endian>: key number = index + 1; both key files need
// their UPDATE condition (CHV1 in OpenSC's profile). Answers 9000 without data.
Response CryptoflexCard::generateRsaKey(const CommandApdu& c, LogicalChannel& ch) {
    requireClass(c, kClaAdministrative);
    if (!model().keyGeneration) throw SwError(sw::kInsNotSupported);
    const int bits = modulusBits(c.p2);
    if (c.p1 > kMaxKeyIndex) throw SwError(sw::kIncorrectP1P2);
    if (c.data.size() != kExponentLength) throw SwError(sw::kWrongLength);
    std::uint32_t e = 0;
    for (std::size_t i = 0; i < kExponentLength; ++i) e |= static_cast<std::uint32_t>(c.data[i]) << (8 * i);
    if (e < 3 || (e & 1) == 0) throw SwError(sw::kIncorrectDataField);

    File& df = currentDf(ch);
    File& privateFile = keyFile(df, kPrivateKeyFid);
    File& publicFile = keyFile(df, kPublicKeyFid);
    for (File* f : {&privateFile, &publicFile}) {
        requireActive(*f);
        cryptoflex::checkAccess(*f, Operation::Update, m_status);
    }
    const auto key = cryptoflex::generateRsaKey(bits, e, static_cast<std::uint8_t>(c.p1 + 1));
    Bytes privateData = privateFile.data, publicData = publicFile.data;
    if (!storeKeyRecord(privateData, key.privateKey.encode()) || !storeKeyRecord(publicData, key.publicKey.encode()))
        throw SwError(sw::kNotEnoughMemory);
    privateFile.data = std::move(privateData);
    publicFile.data = std::move(publicData);
    changed();
    return {};
}

// C0 88 00 <key index> <N> <data reversed>: raw RSA with key (index + 1) of EF 0012 in the
// current DF, result reversed. 2048 bits: 10 88 .. (10 bytes) then 00 88 .. (246 bytes), which
// the engine's chaining joins. The key is used under EF 0012's UPDATE condition.
Response CryptoflexCard::internalAuthenticate(const CommandApdu& c, LogicalChannel& ch) {
    if (c.cla != kClaEveryday && c.cla != kClaIso) throw SwError(sw::kClaNotSupported);
    if (c.p1 != 0 || c.p2 > kMaxKeyIndex) throw SwError(sw::kIncorrectP1P2);
    if (c.data.empty()) throw SwError(sw::kWrongLength);
    const std::uint8_t keyNumber = static_cast<std::uint8_t>(c.p2 + 1);
    File& df = currentDf(ch);
    File& privateFile = keyFile(df, kPrivateKeyFid);
    requireActive(privateFile);
    cryptoflex::checkAccess(privateFile, Operation::Update, m_status);
    const auto record = findKeyRecord(privateFile.data, keyNumber);
    if (!record) throw SwError(sw::kReferencedDataNotFound);
    const auto key = PrivateKeyRecord::decode(*record);
    if (!key) throw SwError(sw::kReferenceDataNotUsable);

    std::optional<std::uint32_t> e;
    if (File* publicFile = df.child(kPublicKeyFid); publicFile && !publicFile->isDf())
        if (const auto r = findKeyRecord(publicFile->data, keyNumber))
            if (const auto pub = PublicKeyRecord::decode(*r)) e = pub->e;
    return Response(reversed(rsaPrivateOperation(*key, e, reversed(c.data))));
}

}  // namespace vpcsc::vicc
