// defaultPkiDirectory (default_pki.hpp).
#include "vicc/euicc/default_pki.hpp"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "common/log.hpp"

extern char** environ;

namespace vpcsc::euicc {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

bool hasPki(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "ci.der", ec) && fs::is_regular_file(dir / "euicc.key", ec);
}

// The generator: the installed script, else (an uninstalled build) the source tree's.
std::string generator() {
    for (const char* p : {VPCSC_MAKE_TEST_PKI, VPCSC_MAKE_TEST_PKI_SRC}) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p;
    }
    throw std::runtime_error(std::string("euicc: no test PKI and no generator (") + VPCSC_MAKE_TEST_PKI +
                             " is missing): pass --pki DIR or set VPCSC_EUICC_PKI");
}

void runGenerator(const std::string& script, const std::string& out) {
    std::vector<std::string> args = {"/bin/sh", script, out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (const int rc = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv.data(), environ); rc != 0)
        throw std::runtime_error("euicc: cannot run " + script + ": " + std::strerror(rc));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("euicc: waiting for " + script + ": " + std::strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("euicc: " + script + " failed");
}

// Both curves into root, through a temporary sibling renamed into place (two processes starting
// at once: one rename wins, the other finds the winner's PKI).
void generate(const fs::path& root) {
    const std::string script = generator();
    fs::create_directories(root.parent_path());
    ::chmod(root.parent_path().c_str(), 0700);
    std::string tmpl = root.string() + ".tmp.XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("euicc: cannot create " + tmpl + ": " + std::strerror(errno));
    const fs::path tmp = tmpl;
    LOG_INFO("euicc: generating a TEST-ONLY SGP.22 PKI (both curves) into %s with %s", root.c_str(), script.c_str());
    try {
        runGenerator(script, tmp.string());
        for (const auto& e : fs::recursive_directory_iterator(tmp))
            if (e.path().extension() == ".key") fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    if (::rename(tmp.c_str(), root.c_str()) != 0) {
        const int err = errno;
        std::error_code ec;
        fs::remove_all(tmp, ec);
        if (err != EEXIST && err != ENOTEMPTY) throw std::runtime_error("euicc: cannot create " + root.string() + ": " + std::strerror(err));
    }
}

}  // namespace

std::string defaultPkiDirectory(const std::string& curve) {
    if (curve != "nist" && curve != "brp") throw std::invalid_argument("euicc: unknown PKI curve '" + curve + "' (nist or brp)");
    if (const std::string dir = env("VPCSC_EUICC_PKI"); !dir.empty()) return dir;
    if (const std::string top = env("top_builddir"); !top.empty()) {
        const fs::path dir = fs::path(top) / "vicc/euicc/pki" / curve;
        if (hasPki(dir)) return dir.string();
    }
    fs::path base = env("XDG_DATA_HOME");
    if (base.empty() || !base.is_absolute()) {  // XDG Base Directory: relative values are ignored
        const std::string home = env("HOME");
        if (home.empty()) throw std::runtime_error("euicc: neither XDG_DATA_HOME nor HOME is set: pass --pki DIR");
        base = fs::path(home) / ".local/share";
    }
    const fs::path root = base / "vpcsc/test-pki";
    const fs::path dir = root / curve;
    if (!hasPki(dir)) {
        generate(root);
        if (!hasPki(dir)) throw std::runtime_error("euicc: " + root.string() + " exists but has no " + curve + " PKI: remove it to regenerate");
    }
    return dir.string();
}

}  // namespace vpcsc::euicc
