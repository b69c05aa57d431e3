// vicc/relay: rule file parsing and matching, the plugin loader with the example plugin
// (tests/relay/example_plugin.c), and --reader selection.
#include <catch2/catch.hpp>

#include "vicc/relay/mitm.hpp"
#include "vicc/relay/pcsc_card.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::relay;

namespace {
Bytes h(const char* hex) { return fromHex(hex); }
bool m(const char* pattern, const char* hex) { return BytePattern::parse(pattern).matches(fromHex(hex)); }
}  // namespace

TEST_CASE("byte patterns: exact bytes, ?? / .. bytes, nibbles, * runs", "[relay][rules]") {
    CHECK(m("00 A4 04 00", "00 A4 04 00"));
    CHECK_FALSE(m("00 A4 04 00", "00 A4 04 00 00"));
    CHECK_FALSE(m("00 A4 04 00", "00 A4 04"));
    CHECK(m("00 ?? 04 ..", "00 B0 04 7F"));
    CHECK(m("0? A4", "03 A4"));
    CHECK_FALSE(m("0? A4", "13 A4"));
    CHECK(m("?3 A4", "F3 A4"));
    CHECK(m("00 A4 *", "00 A4"));
    CHECK(m("00 A4 *", "00 A4 04 00 07 A0 00 00 00 03 10 10"));
    CHECK(m("* 90 00", "01 02 90 00"));
    CHECK(m("* 90 00", "90 00"));
    CHECK_FALSE(m("* 90 00", "90 01"));
    CHECK(m("00 * 3F 00 *", "00 A4 00 0C 02 3F 00"));
    CHECK(m("* * 61 ??", "61 10"));
    CHECK(m("00a4:040c", "00 A4 04 0C"));
    CHECK(m("*", ""));
    CHECK_FALSE(m("00", ""));
    for (const char* bad : {"", "0", "0G", "00 A", "xyz", "  "}) CHECK_THROWS_AS(BytePattern::parse(bad), ParseError);
}

TEST_CASE("rule files: syntax, actions and errors with line numbers", "[relay][rules]") {
    const auto rules = parseRules("# comment\n\n00 CA 00 5E * => sw 6A 88\n"
                                  "00 B0 * / * 90 00 => response CA FE 90 00   # trailing comment\n"
                                  "80 FE 00 00 => answer 01 90 00\n00 0E * => drop\n",
                                  "r.txt");
    REQUIRE(rules.size() == 4);
    CHECK(rules[0].line == 3);
    CHECK(rules[0].action == Rule::Action::Sw);
    CHECK(rules[0].bytes == h("6A 88"));
    CHECK(rules[1].response.has_value());
    CHECK(rules[1].action == Rule::Action::Response);
    CHECK(rules[2].action == Rule::Action::Answer);
    CHECK(rules[3].action == Rule::Action::Drop);

    auto error = [](const char* text) {
        try {
            parseRules(text, "f");
        } catch (const MitmError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error("\n00 A4\n") == "f:2: expected 'PATTERN [/ PATTERN] => ACTION'");
    CHECK(error("00 A4 => sw 90") == "f:1: sw takes 2 bytes (e.g. sw 6A 82)");
    CHECK(error("00 A4 => swap 90 00").find("unknown action 'swap'") != std::string::npos);
    CHECK(error("00 A4 / 90 00 => answer 90 00").find("no response pattern allowed") != std::string::npos);
    CHECK(error("00 A4 => response 90").find("2 to 65538 bytes") != std::string::npos);
    CHECK(error("0Z A4 => drop").find("f:1: not a hex digit") == 0);
    CHECK(error("00 A4 => drop now").find("drop takes no argument") != std::string::npos);
}

TEST_CASE("rule hook: sw, response, answer, drop, first match wins", "[relay][rules]") {
    auto hook = makeRuleHook(parseRules("00 CA 00 5E * => sw 6A 88\n"
                                        "00 B0 00 00 02 / ?? ?? 90 00 => response CA FE 90 00\n"
                                        "80 FE 00 00 => answer 01 02 03 90 00\n"
                                        "00 0E * => drop\n"
                                        "00 CA * => sw 6D 00\n",
                                        "t"),
                             "t");
    Bytes cmd = h("00 CA 00 5E 00"), answer, resp = h("41 42 43 90 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Forward);
    CHECK(hook->onResponse(cmd, resp) == Hook::Verdict::Forward);
    CHECK(resp == h("41 42 43 6A 88"));  // data kept, SW replaced; the later 00 CA rule not reached

    cmd = h("00 B0 00 00 02");
    resp = h("11 22 90 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Forward);
    hook->onResponse(cmd, resp);
    CHECK(resp == h("CA FE 90 00"));
    resp = h("6B 00");  // the response pattern does not match: untouched
    hook->onResponse(cmd, resp);
    CHECK(resp == h("6B 00"));

    cmd = h("80 FE 00 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Answer);
    CHECK(answer == h("01 02 03 90 00"));
    cmd = h("00 0E 00 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Drop);
    cmd = h("00 A4 00 0C 02 3F 00");
    resp = h("90 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Forward);
    hook->onResponse(cmd, resp);
    CHECK(resp == h("90 00"));
}

TEST_CASE("the example plugin through the C ABI: rewrite, answer, drop, state", "[relay][plugin]") {
    auto hook = loadHook(std::string(EXAMPLE_PLUGIN) + ",upper");
    CHECK(hook->describe().find("plugin example") == 0);
    Bytes atr = h("3B 80 80 01 01");
    hook->onReset(atr);
    CHECK(atr == h("3B 80 80 01 01"));

    Bytes cmd = h("00 B0 00 00 05"), answer;
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Forward);
    CHECK(cmd == h("00 B0 00 00 05"));
    Bytes resp = h("48 65 6C 6C 6F 90 00");  // "Hello"
    CHECK(hook->onResponse(cmd, resp) == Hook::Verdict::Forward);
    CHECK(resp == h("48 45 4C 4C 4F 90 00"));  // "HELLO"

    cmd = h("FF 03 A4 00 02 3F 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Forward);
    CHECK(cmd == h("00 A4 00 00 02 3F 00"));

    cmd = h("FF 02 00 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Drop);

    cmd = h("FF 01 00 00");
    CHECK(hook->onCommand(cmd, answer) == Hook::Verdict::Answer);
    CHECK(answer == h("04 01 01 90 00"));  // 4 commands, 1 response, 1 reset: state is kept

    CHECK_THROWS_AS(loadHook(std::string(EXAMPLE_PLUGIN) + ",bogus"), MitmError);  // create() refused
    CHECK_THROWS_AS(loadHook("/nonexistent/plugin.so"), MitmError);
    CHECK_THROWS_AS(loadHook("/nonexistent/rules.txt"), MitmError);
}

TEST_CASE("--reader: index, exact name, unique substring, clear errors", "[relay]") {
    const std::vector<std::string> readers = {"Virtual PCD 00 00", "Virtual PCD 00 01", "ACME Reader [CCID] 01 00"};
    CHECK(chooseReader(readers, "0") == "Virtual PCD 00 00");
    CHECK(chooseReader(readers, "2") == "ACME Reader [CCID] 01 00");
    CHECK(chooseReader(readers, "Virtual PCD 00 01") == "Virtual PCD 00 01");
    CHECK(chooseReader(readers, "ACME") == "ACME Reader [CCID] 01 00");
    auto error = [&](const std::string& spec) {
        try {
            chooseReader(readers, spec);
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error("3").find("there is no reader 3") == 0);
    CHECK(error("Virtual").find("matches several readers") != std::string::npos);
    CHECK(error("Gemalto").find("no reader matches 'Gemalto': readers are 0: 'Virtual PCD 00 00'") == 0);
    CHECK(error("").find("needs --reader") != std::string::npos);
    CHECK_THROWS_AS(chooseReader({}, "x"), std::runtime_error);
}
