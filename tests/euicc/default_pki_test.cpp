// defaultPkiDirectory (vicc/euicc/default_pki.hpp): $VPCSC_EUICC_PKI, then the build tree's PKI,
// then a per-user PKI generated once under $XDG_DATA_HOME with private keys 0600.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "tests/euicc/helpers.hpp"
#include "vicc/crypto/x509.hpp"
#include "vicc/euicc/certs.hpp"
#include "vicc/euicc/default_pki.hpp"

using namespace vpcsc;
using namespace vpcsc::euicc;

namespace {

// Sets (or unsets) an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        if (value) ::setenv(name, value->c_str(), 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (m_old) ::setenv(m_name, m_old->c_str(), 1);
        else ::unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

std::string buildTree() {
    // VPCSC_EUICC_PKI_DIR is <builddir>/vicc/euicc/pki
    return std::filesystem::path(VPCSC_EUICC_PKI_DIR).parent_path().parent_path().parent_path().string();
}

}  // namespace

TEST_CASE("default PKI: environment, then the build tree", "[euicc][pki]") {
    {
        ScopedEnv pki("VPCSC_EUICC_PKI", "/some/where");
        CHECK(defaultPkiDirectory("nist") == "/some/where");
    }
    ScopedEnv pki("VPCSC_EUICC_PKI", std::nullopt);
    ScopedEnv top("top_builddir", buildTree());
    CHECK(defaultPkiDirectory("nist") == buildTree() + "/vicc/euicc/pki/nist");
    CHECK(defaultPkiDirectory("brp") == buildTree() + "/vicc/euicc/pki/brp");
    CHECK_THROWS_AS(defaultPkiDirectory("p384"), std::invalid_argument);
}

TEST_CASE("default PKI: generated once under XDG_DATA_HOME, keys 0600", "[euicc][pki]") {
    namespace fs = std::filesystem;
    char tmpl[] = "/tmp/vpcsc-pki-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    const fs::path home = tmpl;
    ScopedEnv pki("VPCSC_EUICC_PKI", std::nullopt);
    ScopedEnv top("top_builddir", (home / "no-build-tree").string());  // holds no PKI
    ScopedEnv xdg("XDG_DATA_HOME", home.string());
    const std::string dir = defaultPkiDirectory("brp");
    CHECK(dir == (home / "vpcsc/test-pki/brp").string());
    struct stat st {};
    REQUIRE(::stat((home / "vpcsc/test-pki/nist/euicc.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((home / "vpcsc/test-pki/brp/dpauth.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((home / "vpcsc").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    // a usable eUICC identity: its EID from the certificate
    std::ifstream in(home / "vpcsc/test-pki/nist/euicc.der", std::ios::binary);
    const Bytes der{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(eidOf(vicc::crypto::Certificate::fromDer(der)) == std::optional<std::string>("89049032123451234512345678901235"));
    // the second call finds it (same modification time: not regenerated)
    const auto before = fs::last_write_time(home / "vpcsc/test-pki/nist/ci.der");
    CHECK(defaultPkiDirectory("nist") == (home / "vpcsc/test-pki/nist").string());
    CHECK(fs::last_write_time(home / "vpcsc/test-pki/nist/ci.der") == before);
    // no temporary directory left behind
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(home / "vpcsc")) entries += e.path().filename() == "test-pki" ? 0 : 1;
    CHECK(entries == 0);
    fs::remove_all(home);
}
