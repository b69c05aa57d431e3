// The card image: saveState/loadState round trip, validation, dirty tracking, shipped examples.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using nlohmann::json;
using vicc::test::tx;

namespace {

std::unique_ptr<Iso7816Card> richCard() {
    auto card = test::sampleCard();
    const char* apdus[] = {
        "00 A4 08 0C 04 10 00 10 01", "00 D6 00 00 03 01 02 03",           // transparent content
        "00 DC 02 14 04 0A 0B 0C 0D",                                       // record 2 of 1002
        "00 DA 5F 50 02 68 69",                                             // DO in DF 1000
        "00 E0 00 00 0B 62 09 82 03 04 21 10 83 02 40 02", "00 E2 00 00 02 77 88",
        "00 E0 00 00 09 62 07 82 01 39 83 02 50 01", "00 DA 00 C1 01 99",   // BER-TLV EF
        "00 E0 00 00 14 62 12 82 01 01 83 02 30 00 80 01 02 8C 03 03 11 00 A5 01 00",
        "00 04 00 00",                                                      // deactivate 3000
    };
    for (const char* a : apdus)
        if (tx(*card, a) != "90 00") throw std::runtime_error(a);
    card->pins()[0x81].triesLeft = 2;
    return card;
}

}  // namespace

TEST_CASE("saveState / loadState round trip", "[image]") {
    auto card = richCard();
    const json image = card->saveState();
    CHECK(image["format"] == "vpcsc card image");
    CHECK(image["version"] == 1);
    CHECK(image["pins"] == json::parse(R"([{"reference":"81","value":"31323334","maxTries":3,"triesLeft":2}])"));
    CHECK(image["fileSystem"]["fid"] == "3F00");
    CHECK(image["fileSystem"]["children"][0] == json::parse(R"({"fid":"2F00","structure":"transparent","data":"0000000000000000"})"));

    auto copy = test::blankCard();
    copy->loadState(image);
    CHECK(copy->saveState() == image);
    CHECK(tx(*copy, "00 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*copy, "00 B0 00 00 03") == "01 02 03 90 00");
    CHECK(tx(*copy, "00 B2 02 14 00") == "0A 0B 0C 0D 90 00");
    CHECK(tx(*copy, "00 CA 5F 50 00") == "68 69 90 00");
    CHECK(tx(*copy, "00 A4 02 04 02 30 00 00") ==
          "62 19 82 02 01 21 83 02 30 00 80 02 00 02 88 00 8A 01 04 8C 03 03 11 00 A5 01 00 62 83");
    CHECK(copy->pins().at(0x81).triesLeft == 2);
}

TEST_CASE("the card image schema of a file", "[image]") {
    auto card = richCard();
    const json image = card->saveState();
    const json& df = image["fileSystem"]["children"][1];
    CHECK(df["fid"] == "1000");
    CHECK(df["structure"] == "DF");
    CHECK(df["name"] == "A00000000101");
    CHECK(df["dataObjects"] == "5F50026869");
    CHECK(df["children"][0] == json::parse(R"({"fid":"1001","structure":"transparent","sfi":1,"data":"01020300000000000000000000000000"})"));
    CHECK(df["children"][1] == json::parse(R"({"fid":"1002","structure":"linearFixed","sfi":2,"recordSize":4,"maxRecords":3,"records":["FFFFFFFF","0A0B0C0D","FFFFFFFF"]})"));
    const json& ef3000 = df["children"][4];
    CHECK(ef3000 == json::parse(R"({"fid":"3000","structure":"transparent","lifeCycle":"deactivated","security":"031100","fcpExtra":"A50100","data":"0000"})"));
}

TEST_CASE("loadState rejects malformed images and keeps the old state", "[image]") {
    auto card = richCard();
    const json good = card->saveState();
    auto bad = [&](const std::function<void(json&)>& edit) {
        json j = good;
        edit(j);
        CHECK_THROWS_AS(card->loadState(j), ParseError);
        CHECK(card->saveState() == good);
    };
    bad([](json& j) { j["fileSystem"]["fid"] = "3F01"; });
    bad([](json& j) { j["fileSystem"]["children"][0]["fid"] = "1000"; });
    bad([](json& j) { j["fileSystem"]["children"][0]["structure"] = "folder"; });
    bad([](json& j) { j["fileSystem"]["children"][0]["data"] = "XYZ"; });
    bad([](json& j) { j["fileSystem"]["children"][1]["children"][1]["records"][0] = "0102"; });
    bad([](json& j) { j["fileSystem"]["children"][1]["children"][1]["maxRecords"] = 2; });
    bad([](json& j) { j["fileSystem"]["children"][2]["name"] = "A00000000101"; });
    bad([](json& j) { j["fileSystem"]["children"][0]["children"] = json::array(); });
    bad([](json& j) { j["fileSystem"]["children"][0]["sfi"] = 31; });
    bad([](json& j) { j["fileSystem"]["children"][0]["security"] = "03"; });
    bad([](json& j) { j["fileSystem"]["children"][0]["size"] = 2000000; });
    bad([](json& j) { j["fileSystem"]["dataObjects"] = "5F"; });
    bad([](json& j) { j["pins"][0]["reference"] = "8181"; });
    bad([](json& j) { j["pins"][0]["triesLeft"] = 9; });
    bad([](json& j) { j["pins"].push_back(j["pins"][0]); });
    bad([](json& j) { j.erase("fileSystem"); });
    bad([](json& j) { j["version"] = 2; });
    bad([](json& j) { j["type"] = "cryptoflex"; });
    bad([](json& j) { j = json::array(); });
    // a tree deeper than the limit
    json deep = good;
    json* f = &deep["fileSystem"];
    for (int i = 0; i < 20; ++i) {
        (*f)["children"] = json::array({json{{"fid", i % 2 ? "1111" : "2222"}, {"structure", "DF"}}});
        f = &(*f)["children"][0];
    }
    CHECK_THROWS_AS(card->loadState(deep), ParseError);
}

TEST_CASE("persistent changes mark the card dirty, reads do not", "[image]") {
    auto card = test::sampleCard();
    card->consumeDirty();
    CHECK(tx(*card, "00 A4 08 0C 04 10 00 10 01") == "90 00");
    CHECK(tx(*card, "00 B0 00 00 01") == "00 90 00");
    CHECK_FALSE(card->consumeDirty());
    CHECK(tx(*card, "00 D6 00 00 01 01") == "90 00");
    CHECK(card->consumeDirty());
    CHECK_FALSE(card->consumeDirty());
    CHECK(tx(*card, "00 D6 00 20 01 01") == "6B 00");
    CHECK_FALSE(card->consumeDirty());
    for (const char* a : {"00 04 00 00", "00 44 00 00", "00 DA 00 C1 01 01", "00 E4 00 00",
                          "00 E0 00 00 09 62 07 82 01 01 83 02 10 09"}) {
        CHECK(tx(*card, a) == "90 00");
        CHECK(card->consumeDirty());
    }
}

TEST_CASE("the shipped example images load", "[image]") {
    for (const char* name : {"iso7816-blank.json", "iso7816-sample.json", "iso7816-keys.json"}) {
        INFO(name);
        std::ifstream in(std::string(VPCSC_TOP_SRCDIR) + "/vicc/cards/examples/" + name);
        REQUIRE(in);
        const json image = json::parse(in);
        auto card = test::blankCard();
        card->loadState(image);
        CHECK(tx(*card, "00 A4 00 00 02 3F 00 00").substr(0, 2) == "6F");
        auto again = test::blankCard();
        again->loadState(card->saveState());
        CHECK(again->saveState() == card->saveState());
    }
}
