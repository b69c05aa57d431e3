// DEVICENAME parsing, unit level (ifd-vpcd/device_name.cpp compiled into this binary).
#include <catch2/catch.hpp>

#include "ifd-vpcd/device_name.hpp"

using vpcsc::ParseError;
using vpcsc::ifd::DeviceConfig;
using vpcsc::ifd::parseDeviceName;

TEST_CASE("DEVICENAME: vsmartcard forms", "[devicename]") {
    auto c = parseDeviceName("/dev/null:0x8C7B");
    CHECK(c.mode == DeviceConfig::Mode::Server);
    CHECK(c.port == 35963);
    CHECK(c.slots == 2);
    CHECK(c.bind == "127.0.0.1");
    CHECK(c.timeout.count() == 60);

    c = parseDeviceName("/dev/null:36000");
    CHECK(c.port == 36000);

    c = parseDeviceName("/dev/null");  // no ':' → default port, server mode
    CHECK(c.mode == DeviceConfig::Mode::Server);
    CHECK(c.port == 0x8C7B);

    c = parseDeviceName("localhost:35963");
    CHECK(c.mode == DeviceConfig::Mode::Reversed);
    CHECK(c.host == "localhost");
    CHECK(c.port == 35963);

    c = parseDeviceName("[::1]:0x8C7B");
    CHECK(c.mode == DeviceConfig::Mode::Reversed);
    CHECK(c.host == "::1");
    CHECK(c.port == 35963);

    c = parseDeviceName("[::1]");
    CHECK(c.port == 0x8C7B);

    c = parseDeviceName("\"/dev/null:36000;timeout=2\"");  // quoted in reader.conf: pcscd keeps the quotes
    CHECK(c.mode == DeviceConfig::Mode::Server);
    CHECK(c.port == 36000);
    CHECK(c.timeout.count() == 2);
}

TEST_CASE("DEVICENAME: options", "[devicename]") {
    auto c = parseDeviceName("/dev/null:36000;slots=4;bind=::1;timeout=5;log=debug");
    CHECK(c.slots == 4);
    CHECK(c.bind == "::1");
    CHECK(c.timeout.count() == 5);
    REQUIRE(c.logLevel);
    CHECK(*c.logLevel == vpcsc::log::Level::Debug);
    CHECK(parseDeviceName("/dev/null:1;slots=16").slots == 16);
    CHECK(parseDeviceName("/dev/null:65535;slots=1").port == 65535);
}

TEST_CASE("DEVICENAME: rejects", "[devicename]") {
    for (const char* bad : {"/dev/null:", "/dev/null:abc", "/dev/null:0", "/dev/null:65536", "/dev/null:-1",
                            "/dev/null:12x", ":35963", "::1:35963", "[::1", "[]:1", "[::1]x", "/dev/null:1;slots=0",
                            "/dev/null:1;slots=17", "/dev/null:1;slots=", "/dev/null:1;timeout=0",
                            "/dev/null:1;timeout=x", "/dev/null:1;bogus=1", "/dev/null:1;novalue",
                            "/dev/null:1;log=loud", "/dev/null:65535;slots=2", "host:1;bind=::1",
                            "/dev/null:1;bind="}) {
        INFO(bad);
        CHECK_THROWS_AS(parseDeviceName(bad), ParseError);
    }
}
