// hideSecretArguments (common/secret_args.hpp): secret option values vanish from argv in place.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/secret_args.hpp"

using namespace vpcsc;

namespace {

// argv-like storage whose strings the function may overwrite.
struct Argv {
    explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
        for (auto& s : args) ptrs.push_back(s.data());
        ptrs.push_back(nullptr);
    }
    int argc() const { return static_cast<int>(args.size()); }
    std::vector<std::string> args;
    std::vector<char*> ptrs;
};

}  // namespace

TEST_CASE("hideSecretArguments: separate and = forms, other arguments untouched", "[secret_args]") {
    Argv a({"vicc", "-t", "usim", "--ki", "000102030405060708090A0B0C0D0E0F", "--opc=00112233", "--imsi",
            "001010000000001", "--op"});
    CHECK(hideSecretArguments(a.argc(), a.ptrs.data(), {"--ki", "--opc", "--op"}) == 2);
    CHECK(a.args[4] == std::string(32, '*'));
    CHECK(a.args[5] == "--opc=********");
    CHECK(a.args[3] == "--ki");
    CHECK(a.args[7] == "001010000000001");
    CHECK(a.args[8] == "--op");  // no value follows: nothing to hide, nothing read past argv
}

TEST_CASE("hideSecretArguments: short option forms, prefixes of other options, --", "[secret_args]") {
    Argv a({"vicc-lpa", "download", "-c", "1234", "-c5678", "--ca", "ca.pem", "--opcode", "x", "--", "--ki", "k"});
    CHECK(hideSecretArguments(a.argc(), a.ptrs.data(), {"-c", "--ki", "--op"}) == 2);
    CHECK(a.args[3] == "****");
    CHECK(a.args[4] == "-c****");
    CHECK(a.args[5] == "--ca");      // "-c" is not a prefix of "--ca"
    CHECK(a.args[6] == "ca.pem");
    CHECK(a.args[7] == "--opcode");  // "--op" only as itself or "--op="
    CHECK(a.args[8] == "x");
    CHECK(a.args[11] == "k");        // after "--" nothing is an option
}
