// make check for the ES10 fuzz target: replays every file of tests/euicc/corpus/es10, then a fixed
// number of inputs mutated from them with a fixed seed (a failure reproduces), in TAP.
// Arguments: files or directories to replay instead (e.g. a crash artifact).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Input = std::vector<std::uint8_t>;
constexpr int kMutations = 5000;
constexpr unsigned kSeed = 0xE5E10;

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

Input mutate(Input m, std::mt19937& rng) {
    for (unsigned i = 0, n = 1 + rng() % 6; i < n; ++i) {
        const std::size_t pos = m.empty() ? 0 : rng() % m.size();
        switch (rng() % 4) {
        case 0: if (!m.empty()) m[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: if (!m.empty()) m[pos] = static_cast<std::uint8_t>(rng()); break;
        case 2: m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng())); break;
        default: if (!m.empty()) m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos)); break;
        }
    }
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> paths(argv + 1, argv + argc);
    const bool corpusRun = paths.empty();
    if (corpusRun) paths.push_back(std::string(VPCSC_TOP_SRCDIR) + "/tests/euicc/corpus/es10");
    const auto inputs = load(paths);
    std::printf("1..%zu\n", inputs.size() + (corpusRun ? 1 : 0));
    int n = 0;
    for (const auto& [name, data] : inputs) {
        std::fflush(stdout);
        LLVMFuzzerTestOneInput(data.data(), data.size());
        std::printf("ok %d - replay %s\n", ++n, name.c_str());
    }
    if (corpusRun) {
        if (inputs.empty()) {
            std::printf("not ok %d - corpus is empty\n", ++n);
            return 1;
        }
        std::mt19937 rng(kSeed);
        for (int i = 0; i < kMutations; ++i) {
            const Input m = mutate(inputs[rng() % inputs.size()].second, rng);
            LLVMFuzzerTestOneInput(m.data(), m.size());
        }
        std::printf("ok %d - %d seeded mutations (seed 0x%X) without an invariant violation\n", ++n, kMutations, kSeed);
    }
    return 0;
}
