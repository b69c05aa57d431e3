#include "tests/vicc/test_card.hpp"

#include <stdexcept>

namespace vpcsc::vicc::test {

TestCard::TestCard(const CardOptions& options) : m_atr(options.atr.value_or(kTestAtr)) {}

Bytes TestCard::process(ByteView c) {
    if (c.size() < 4) return {0x67, 0x00};
    switch (c[1]) {
        case 0x20:  // VERIFY: Lc PIN
            if (c.size() == 9 && Bytes(c.begin() + 5, c.end()) == Bytes{'1', '2', '3', '4'}) {
                m_verified = true;
                return {0x90, 0x00};
            }
            return {0x63, 0xC2};
        case 0xD6: {  // UPDATE BINARY: Lc data, replaces the whole state
            if (c.size() < 5 || c.size() != 5u + c[4]) return {0x67, 0x00};
            m_data.assign(c.begin() + 5, c.end());
            markDirty();
            return {0x90, 0x00};
        }
        case 0xB0: {  // READ BINARY
            Bytes r = m_data;
            r.push_back(0x90);
            r.push_back(0x00);
            return r;
        }
        case 0xFF: throw std::logic_error("test card told to fail");
    }
    return {0x6D, 0x00};
}

nlohmann::json TestCard::saveState() const { return {{"data", toHex(m_data, 0)}}; }

void TestCard::loadState(const nlohmann::json& image) {
    if (!image.contains("data") || !image["data"].is_string()) throw std::runtime_error("\"data\" missing");
    m_data = fromHex(image["data"].get<std::string>());
}

CardType testCardType() {
    return {"test", "runtime test card (tests/vicc)",
            [](const CardOptions& o) -> std::unique_ptr<Card> { return std::make_unique<TestCard>(o); }};
}

}  // namespace vpcsc::vicc::test
