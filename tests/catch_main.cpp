// Catch2 runner for every C++ test binary. Under `make check` (VPCSC_TAP=1) it reports in TAP so
// Automake's harness counts each test case, not each binary.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <catch2/catch_reporter_tap.hpp>

#include <cstdlib>
#include <vector>

int main(int argc, char* argv[]) {
    std::vector<char*> args(argv, argv + argc);
    const char* tap = std::getenv("VPCSC_TAP");
    static char reporterFlag[] = "-r", reporterName[] = "tap";
    if (tap && *tap == '1') {
        args.push_back(reporterFlag);
        args.push_back(reporterName);
    }
    return Catch::Session().run(static_cast<int>(args.size()), args.data());
}
