// Log levels, sink and APDU masking (DESIGN.md style 10: never log PINs or keys).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/log.hpp"

using namespace vpcsc;

TEST_CASE("maskCommandApdu hides reference data", "[log]") {
    // VERIFY PIN 1234 (ASCII, padded): ISO 7816-4 §11.5.6.
    CHECK(log::maskCommandApdu(fromHex("00 20 00 81 08 31 32 33 34 FF FF FF FF")) == "00 20 00 81 08 **");
    // CHANGE REFERENCE DATA old+new PIN.
    CHECK(log::maskCommandApdu(fromHex("00 24 00 81 08 31 32 33 34 35 36 37 38")) == "00 24 00 81 08 **");
    // RESET RETRY COUNTER with PUK.
    CHECK(log::maskCommandApdu(fromHex("00 2C 00 81 04 39 39 39 39")) == "00 2C 00 81 04 **");
    CHECK(log::maskCommandApdu(fromHex("00 21 00 81 02 AA BB")) == "00 21 00 81 02 **");
    CHECK(log::maskCommandApdu(fromHex("80 D8 00 01 03 01 02 03")) == "80 D8 00 01 03 **");
    CHECK(log::maskCommandApdu(fromHex("A0 26 00 01 08 31 32 33 34 FF FF FF FF")) == "A0 26 00 01 08 **");
    CHECK(log::maskCommandApdu(fromHex("A0 28 00 01 08 31 32 33 34 FF FF FF FF")) == "A0 28 00 01 08 **");
    CHECK(log::maskCommandApdu(fromHex("F0 2A 00 01 08 2C 15 E5 26 E9 3E 8A 19")) == "F0 2A 00 01 08 **");
    CHECK(log::maskCommandApdu(fromHex("00 2A 9E 9A 02 AA BB")) == "00 2A 9E 9A 02 AA BB");
    const std::string masked = log::maskCommandApdu(fromHex("00 20 00 81 04 31 32 33 34"));
    CHECK(masked.find("31") == std::string::npos);
}

TEST_CASE("maskCommandApdu leaves other commands and data-less forms alone", "[log]") {
    CHECK(log::maskCommandApdu(fromHex("00 A4 04 00 02 3F 00")) == "00 A4 04 00 02 3F 00");
    CHECK(log::maskCommandApdu(fromHex("00 20 00 81")) == "00 20 00 81");      // PIN status query
    CHECK(log::maskCommandApdu(fromHex("00 20 00 81 00")) == "00 20 00 81 00");
    CHECK(log::maskCommandApdu(fromHex("00 20")) == "00 20");
}

TEST_CASE("log levels and sink", "[log]") {
    std::vector<std::string> lines;
    log::setSink([&](log::Level l, std::string_view text) {
        lines.push_back(std::string(log::levelName(l)) + ":" + std::string(text));
    });
    log::setLevel(log::Level::Info);
    LOG_INFO("card %s in slot %d", "iso7816", 2);
    LOG_DEBUG("not shown %d", 1);
    LOG_COMM("not shown either");
    log::setLevel(log::Level::Comm);
    LOG_COMM("C-APDU %s", "00 A4");
    LOG_ERROR("%s", std::string(600, 'x').c_str());  // longer than the stack buffer
    log::setSink(nullptr);
    log::setLevel(log::Level::Info);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "info:card iso7816 in slot 2");
    CHECK(lines[1] == "comm:C-APDU 00 A4");
    CHECK(lines[2] == "error:" + std::string(600, 'x'));
    CHECK(log::enabled(log::Level::Warning));
    CHECK_FALSE(log::enabled(log::Level::Debug));
}
