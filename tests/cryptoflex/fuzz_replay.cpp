// make check for the Cryptoflex fuzz target: replays every file of tests/cryptoflex/corpus/, then
// a bounded number of inputs mutated from them with a fixed seed (failures reproduce), in TAP.
// Arguments: files or directories to replay instead (e.g. a crash file).
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

using Input = std::vector<std::uint8_t>;
constexpr int kMutations = 20000;
constexpr unsigned kSeed = 0xCF1E;

std::vector<std::pair<std::string, Input>> load(const std::vector<std::string>& paths) {
    std::vector<std::pair<std::string, Input>> out;
    for (const auto& p : paths) {
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::directory_iterator(p))
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

// Bit flips, byte changes, insertions, deletions and splices from another input.
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
    if (corpusRun) paths.push_back(std::string(VPCSC_TOP_SRCDIR) + "/tests/cryptoflex/corpus");
    const auto inputs = load(paths);
    std::printf("1..%zu\n", inputs.size() + (corpusRun ? 1 : 0));
    int n = 0;
    for (const auto& [name, data] : inputs) {
        LLVMFuzzerTestOneInput(data.data(), data.size());
        std::printf("ok %d - replay %s\n", ++n, name.c_str());
        std::fflush(stdout);
    }
    if (corpusRun && !inputs.empty()) {
        std::mt19937 rng(kSeed);
        for (int i = 0; i < kMutations; ++i) {
            const Input m = mutate(inputs[rng() % inputs.size()].second, inputs[rng() % inputs.size()].second, rng);
            LLVMFuzzerTestOneInput(m.data(), m.size());
        }
        std::printf("ok %d - %d mutated inputs (seed 0x%X)\n", ++n, kMutations, kSeed);
    }
    return 0;
}
