// make check for a card-level libFuzzer target (LLVMFuzzerTestOneInput) without libFuzzer:
// replays every file of the committed corpus, then a bounded number of inputs mutated from them
// with a fixed seed (so a failure reproduces), in TAP. Each test binary sets at compile time
//   VPCSC_FUZZ_CORPUS     the corpus directory (absolute),
//   VPCSC_FUZZ_MUTATIONS  how many mutated inputs (default 0),
//   VPCSC_FUZZ_SEED       the mt19937 seed.
// Arguments: files or directories to replay instead of the corpus (e.g. a libFuzzer crash file).
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#ifndef VPCSC_FUZZ_MUTATIONS
#define VPCSC_FUZZ_MUTATIONS 0
#endif
#ifndef VPCSC_FUZZ_SEED
#define VPCSC_FUZZ_SEED 1
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Input = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

char g_current[4096];  // what is being replayed, for the crash report

// A crash (an invariant abort or a sanitizer report) becomes a failed TAP point naming the input.
extern "C" void onCrash(int sig) {
    static const char head[] = "not ok - crashed replaying ";
    (void)!write(1, head, sizeof head - 1);
    (void)!write(1, g_current, std::strlen(g_current));
    (void)!write(1, "\n", 1);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

std::vector<std::pair<std::string, Input>> load(const std::vector<std::string>& paths) {
    std::vector<std::pair<std::string, Input>> out;
    for (const auto& p : paths) {
        std::vector<fs::path> files;
        if (fs::is_directory(p)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file()) files.push_back(e.path());
        } else {
            files.emplace_back(p);
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            out.emplace_back(f.filename().string(), Input(std::istreambuf_iterator<char>(in), {}));
        }
    }
    return out;
}

// Bit flips, byte changes, insertions, deletions and splices of a piece of another input.
Input mutate(const Input& seed, const Input& other, std::mt19937& rng) {
    Input m = seed;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < edits; ++i) {
        const std::size_t pos = m.empty() ? 0 : rng() % m.size();
        switch (rng() % 5) {
        case 0: if (!m.empty()) m[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: if (!m.empty()) m[pos] = static_cast<std::uint8_t>(rng()); break;
        case 2: m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng())); break;
        case 3: if (!m.empty()) m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos)); break;
        case 4:
            if (!other.empty()) {
                const std::size_t from = rng() % other.size();
                const std::size_t n = std::min<std::size_t>(other.size() - from, 1 + rng() % 32);
                m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), other.begin() + static_cast<std::ptrdiff_t>(from),
                         other.begin() + static_cast<std::ptrdiff_t>(from + n));
            }
            break;
        }
    }
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> paths(argv + 1, argv + argc);
    const bool corpusRun = paths.empty();
    if (corpusRun) paths.emplace_back(VPCSC_FUZZ_CORPUS);
    const auto inputs = load(paths);
    const int mutations = corpusRun && !inputs.empty() ? VPCSC_FUZZ_MUTATIONS : 0;
    if (inputs.empty()) {
        std::printf("1..1\nnot ok 1 - no inputs in %s\n", paths.front().c_str());
        return 1;
    }
    std::printf("1..%zu\n", inputs.size() + (mutations > 0 ? 1 : 0));
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, onCrash);
    int n = 0;
    for (const auto& [name, data] : inputs) {
        std::snprintf(g_current, sizeof g_current, "%s", name.c_str());
        std::fflush(stdout);
        LLVMFuzzerTestOneInput(data.data(), data.size());
        std::printf("ok %d - replay %s\n", ++n, name.c_str());
    }
    if (mutations > 0) {
        std::mt19937 rng(VPCSC_FUZZ_SEED);
        for (int i = 0; i < mutations; ++i) {
            const Input m = mutate(inputs[rng() % inputs.size()].second, inputs[rng() % inputs.size()].second, rng);
            std::snprintf(g_current, sizeof g_current, "mutation %d (seed 0x%X)", i, unsigned(VPCSC_FUZZ_SEED));
            LLVMFuzzerTestOneInput(m.data(), m.size());
        }
        std::printf("ok %d - %d mutated inputs (seed 0x%X)\n", ++n, mutations, unsigned(VPCSC_FUZZ_SEED));
    }
    return 0;
}
