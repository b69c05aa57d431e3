// Man-in-the-middle hooks of the relay card (doc/relay.md): a C plugin (include/vpcsc/relay_plugin.h)
// or a rule file. The relay card calls one Hook; --mitm chooses which.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::vicc::relay {

// A plugin that cannot be loaded or a rule file that cannot be parsed; what() says where and why.
struct MitmError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Hook {
public:
    enum class Verdict { Forward, Answer, Drop };
    virtual ~Hook() = default;
    // May rewrite command; Answer: `answer` is the response and the card is not asked.
    virtual Verdict onCommand(Bytes& command, Bytes& answer) = 0;
    // After the card answered; may rewrite response. Drop: the application gets 6F 00.
    virtual Verdict onResponse(ByteView command, Bytes& response) = 0;
    // After a power on or reset, with the ATR the virtual card will present; may rewrite it.
    virtual void onReset(Bytes& atr) = 0;
    virtual std::string describe() const = 0;
};

// --mitm SPEC: "PATH.so[,ARGS]" loads a plugin, anything else is a rule file. Throws MitmError.
std::unique_ptr<Hook> loadHook(const std::string& spec);

std::unique_ptr<Hook> loadPlugin(const std::string& path, const std::string& args);

// ---- rule files ---------------------------------------------------------------------------------
//
//   # comment
//   COMMAND-PATTERN [/ RESPONSE-PATTERN] => ACTION
//
// Patterns are hex bytes with wildcards: "??" (or "..") any one byte, "9?" / "?0" one nibble,
// "*" any number of bytes (also none); the whole APDU must match. Actions:
//   sw XXXX          replace the status word of the card's response (data kept)
//   response HEX     replace the whole response (data + SW) by HEX
//   answer HEX       do not forward: answer HEX at once (no response pattern allowed)
//   drop             do not forward: the application gets 6F 00 (no response pattern allowed)
// The first rule whose patterns match decides; no match: the exchange is untouched.

struct BytePattern {
    struct Item {
        bool star = false;          // "*": any run of bytes
        std::uint8_t value = 0, mask = 0xFF;  // byte matches when (b & mask) == value
    };
    std::vector<Item> items;
    static BytePattern parse(std::string_view text);  // throws ParseError
    bool matches(ByteView data) const;
};

struct Rule {
    enum class Action { Sw, Response, Answer, Drop };
    BytePattern command;
    std::optional<BytePattern> response;
    Action action = Action::Sw;
    Bytes bytes;  // new SW (2 bytes) or the response
    int line = 0;
};

// Throws MitmError("FILE:LINE: why").
std::vector<Rule> parseRules(std::string_view text, const std::string& fileName);
std::unique_ptr<Hook> makeRuleHook(std::vector<Rule> rules, std::string fileName);

}  // namespace vpcsc::vicc::relay
