// Replays a committed fuzz corpus through a libFuzzer harness without libFuzzer, so that
// `make check` runs every corpus entry with g++ (and with sanitizers under --enable-sanitizers).
// The harness name comes from the program name (replay-<name>); the corpus directory is the
// argument, or $top_srcdir/tests/fuzz/corpus/<name>. Prints TAP: one point per corpus.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

char g_current[4096];  // the input being replayed, for the crash report

// A crash (an invariant abort or a sanitizer report) becomes a failed TAP point naming the input.
extern "C" void onCrash(int sig) {
    static const char head[] = "not ok 1 - crashed replaying ";
    (void)!write(1, head, sizeof head - 1);
    (void)!write(1, g_current, std::strlen(g_current));
    (void)!write(1, "\n", 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace

int main(int argc, char* argv[]) {
    std::string name = fs::path(argv[0]).filename().string();
    if (auto p = name.find("replay-"); p != std::string::npos) name = name.substr(p + 7);
    fs::path dir;
    if (argc > 1) {
        dir = argv[1];
    } else {
        const char* top = std::getenv("top_srcdir");
        dir = fs::path(top ? top : ".") / "tests" / "fuzz" / "corpus" / name;
    }
    std::printf("1..1\n");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        std::printf("not ok 1 - %s: corpus directory %s missing\n", name.c_str(), dir.c_str());
        return 1;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::size_t bytes = 0;
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, onCrash);
    for (const fs::path& f : files) {
        std::snprintf(g_current, sizeof g_current, "%s", f.c_str());
        std::ifstream in(f, std::ios::binary);
        const std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::vector<std::uint8_t> data(raw.begin(), raw.end());
        std::fflush(stdout);  // a crashing input leaves the plan without its point: the harness reports it
        LLVMFuzzerTestOneInput(data.data(), data.size());
        bytes += data.size();
    }
    if (files.empty()) {
        std::printf("not ok 1 - %s: corpus %s is empty\n", name.c_str(), dir.c_str());
        return 1;
    }
    std::printf("ok 1 - %s: %zu corpus inputs (%zu bytes) replayed without an invariant violation\n",
                name.c_str(), files.size(), bytes);
    return 0;
}
