// A small card for the runtime tests, until the real card types exist: fixed ATR, one byte
// string of persistent state written with UPDATE BINARY (marks the image dirty), read back with
// READ BINARY, VERIFY with PIN "1234", a power counter, and INS FF to make process() throw.
#pragma once

#include "vicc/card.hpp"
#include "vicc/card_options.hpp"
#include "vicc/card_registry.hpp"

namespace vpcsc::vicc::test {

class TestCard : public Card {
public:
    explicit TestCard(const CardOptions& options = {});
    Bytes atr() const override { return m_atr; }
    void powerOn() override { ++m_powerOns; }
    void powerOff() override { m_verified = false; }
    void reset() override { m_verified = false; }
    Bytes process(ByteView command) override;
    nlohmann::json saveState() const override;
    void loadState(const nlohmann::json& image) override;

    const Bytes& data() const { return m_data; }
    int powerOns() const { return m_powerOns; }

private:
    Bytes m_atr;
    Bytes m_data;
    bool m_verified = false;
    int m_powerOns = 0;
};

inline const Bytes kTestAtr = {0x3B, 0x80, 0x80, 0x01, 0x01};

// The registry entry the test program adds: {"test", ..., create TestCard}.
CardType testCardType();

}  // namespace vpcsc::vicc::test
