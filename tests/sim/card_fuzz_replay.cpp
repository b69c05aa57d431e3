// make check for the sim/usim fuzz target: replays every file of tests/sim/corpus/, then a
// bounded number of inputs mutated from them with a fixed seed (failures reproduce), in TAP.
// Arguments: files to replay instead (e.g. a crash file from libFuzzer).
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

Input readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Input(std::istreambuf_iterator<char>(in), {});
}

// Bit flips, byte sets, inserts, deletes; the first byte (card type) may change too.
Input mutate(Input m, std::mt19937& rng) {
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < edits; ++i) {
        const std::size_t pos = m.empty() ? 0 : rng() % m.size();
        switch (rng() % 4) {
        case 0: if (!m.empty()) m[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: if (!m.empty()) m[pos] = static_cast<std::uint8_t>(rng()); break;
        case 2: m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng())); break;
        case 3: if (!m.empty()) m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos)); break;
        }
    }
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> files;
    const bool corpusRun = argc < 2;
    if (corpusRun) {
        for (const auto& e : std::filesystem::directory_iterator(std::string(VPCSC_TOP_SRCDIR) + "/tests/sim/corpus"))
            if (e.is_regular_file()) files.push_back(e.path());
    } else {
        files.assign(argv + 1, argv + argc);
    }
    std::sort(files.begin(), files.end());
    std::vector<Input> inputs;
    for (const auto& f : files) inputs.push_back(readFile(f));
    constexpr int kMutations = 3000;
    std::printf("1..%zu\n", inputs.size() + (corpusRun && !inputs.empty() ? 1 : 0));
    int n = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        LLVMFuzzerTestOneInput(inputs[i].data(), inputs[i].size());
        std::printf("ok %d - replay %s\n", ++n, files[i].filename().c_str());
        std::fflush(stdout);
    }
    if (corpusRun && !inputs.empty()) {
        std::mt19937 rng(0x5117);
        for (int i = 0; i < kMutations; ++i) {
            const Input m = mutate(inputs[rng() % inputs.size()], rng);
            LLVMFuzzerTestOneInput(m.data(), m.size());
        }
        std::printf("ok %d - %d mutated inputs (seed 0x5117)\n", ++n, kMutations);
    }
    return 0;
}
