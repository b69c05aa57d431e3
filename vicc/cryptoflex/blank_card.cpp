// The blank Cryptoflex (`vicc -t cryptoflex` without an image): what a transport-configured card
// offers before pkcs15-init (reference notes §1.8: 3F00 holds 0002 and 0011).
#include "vicc/cryptoflex/cryptoflex_card.hpp"
#include "vicc/cryptoflex/file_header.hpp"

#include <stdexcept>

namespace vpcsc::vicc {

using namespace cryptoflex;

std::unique_ptr<CryptoflexCard> CryptoflexCard::blank(const Model& model, ByteView serial) {
    if (serial.size() != 8) throw std::invalid_argument("a Cryptoflex serial number has 8 bytes");
    auto mf = std::make_unique<fs::File>(fs::FileStructure::Df, fs::kMfFid);
    // LIST FILES always; DELETE, CREATE, REHABILITATE, INVALIDATE with the AAK (key 1).
    setAttributes(*mf, {{0x00, 0x44, 0x44}, {0x00, 0x11, 0x11}, static_cast<std::uint16_t>(model.memory)});

    // EF 0002, the serial number OpenSC reads (flex_get_serialnr, 8 bytes): READ always,
    // UPDATE never (the example header of reference notes §1.4).
    auto serialEf = std::make_unique<fs::File>(fs::FileStructure::Transparent, 0x0002);
    serialEf->data.assign(serial.begin(), serial.end());
    setAttributes(*serialEf, {{0x0F, 0xFF, 0x44}, {0x00, 0x00, 0x11}, 0});
    mf->addChild(std::move(serialEf));

    // EF 0011, the AUT keys of the MF: record `00 0C 01 00 AAK` (key 1, algorithm 00 = DES).
    // READ never, UPDATE with the AAK.
    auto keys = std::make_unique<fs::File>(fs::FileStructure::Transparent, 0x0011);
    keys->data = {0x00, 0x0C, 0x01, 0x00};
    append(keys->data, defaultTransportKey());
    setAttributes(*keys, {{0xF4, 0xF4, 0x44}, {0x01, 0x01, 0x11}, 0});
    mf->addChild(std::move(keys));

    return std::make_unique<CryptoflexCard>(model, fs::FileSystem(std::move(mf)));
}

}  // namespace vpcsc::vicc
