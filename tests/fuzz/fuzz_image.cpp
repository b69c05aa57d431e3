// Fuzz target for card image files (vicc -f CARD.json): the input is the file's bytes. It goes the
// way vicc's main() takes an image: loadImage() (read, JSON parse, "type"/"atr" checks), the card
// type named by "type" (iso7816 when absent; relay is skipped, it needs a real reader and keeps no
// state), created with the image's ATR, then loadState(). Bad input may only be refused with an
// exception; a crash, a sanitizer report or an abort is a bug. Once an image loads, the card
// must answer a few APDUs with a status word, and its own save must load into a fresh card and
// save again to the same JSON (what vicc writes back must be readable by the next vicc).
// Built for libFuzzer with clang (-fsanitize=fuzzer) or replayed by tests/lib/fuzz_replay.cpp.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <unistd.h>

#include "common/log.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "vicc/card_options.hpp"
#include "vicc/card_registry.hpp"
#include "vicc/image.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;

namespace {

// One private directory per process: loadImage() also scans the directory for temporaries.
char g_dir[] = "/tmp/vpcsc-fuzz-image.XXXXXX";
char g_path[sizeof g_dir + 16];

const char* imagePath() {
    if (!g_path[0]) {
        if (!::mkdtemp(g_dir)) std::abort();
        std::snprintf(g_path, sizeof g_path, "%s/card.json", g_dir);
        std::atexit([] {
            ::unlink(g_path);
            ::rmdir(g_dir);
        });
    }
    return g_path;
}

std::unique_ptr<Card> create(const CardType& type, const std::optional<Bytes>& atr) {
    CardOptions o;
    o.atr = atr;
    o.pki = std::string(VPCSC_EUICC_PKI_DIR) + "/nist";
    return type.create(o);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (log::setLevel(log::Level::Error), true);  // no log lines per input
    (void)quiet;
    const std::string path = imagePath();
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (!f) std::abort();
        FUZZ_ASSERT(std::fwrite(data, 1, size, f) == size);
        std::fclose(f);
    }
    std::optional<nlohmann::json> image;
    try {
        image = loadImage(path);
    } catch (const ImageError&) {
        return 0;
    }
    FUZZ_ASSERT(image && image->is_object());
    std::string typeName = imageType(*image);
    if (typeName.empty()) typeName = "iso7816";
    const CardType* type = findCardType(typeName);
    if (!type || typeName == "relay") return 0;
    const std::optional<Bytes> atr = imageAtr(*image);  // loadImage() checked it

    std::unique_ptr<Card> card;
    try {
        card = create(*type, atr);
        card->loadState(*image);
    } catch (const std::exception&) {
        return 0;  // refused cleanly, as vicc does ("cannot set up the ... card")
    }
    card->powerOn();
    static const Bytes commands[] = {
        fromHex("00A4000C023F00"),                  // SELECT MF
        fromHex("00A40400 0E 315041592E5359532E4444463031"),
        fromHex("00B0000000"),                      // READ BINARY
        fromHex("00B2010400"),                      // READ RECORD
        fromHex("00200081"),                        // VERIFY, retries left
        fromHex("00CA00FE00"),
        fromHex("80F2000C00"),                      // GET STATUS
        fromHex("00A4040010A0000005591010FFFFFFFF8900000100"),  // SELECT ISD-R
        fromHex("80E2910003BF2E00"),                // ES10 GetEuiccInfo1
    };
    for (const Bytes& c : commands) FUZZ_ASSERT(card->process(c).size() >= 2);
    const nlohmann::json saved = card->saveState();
    std::unique_ptr<Card> again = create(*type, atr);
    again->loadState(saved);
    FUZZ_ASSERT(again->saveState() == saved);
    return 0;
}
