// Card image files: round trip, errors that name the file and the place, mode 0600, and
// atomic replacement (a save killed at any moment leaves the old or the new image, whole).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "vicc/image.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("vicc-image-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::perms modeOf(const std::string& path) { return fs::status(path).permissions() & fs::perms::all; }

const fs::perms k0600 = fs::perms::owner_read | fs::perms::owner_write;

}  // namespace

TEST_CASE("image: compose, save, load round trip", "[image]") {
    TempDir dir;
    const std::string path = dir.file("card.json");
    const json state = {{"pin", "31323334"}, {"tries", 3}, {"fs", {{"3F00", json::array({1, 2})}}}};
    const json image = composeImage("iso7816", Bytes{0x3B, 0x95, 0x13}, state);
    CHECK(image["type"] == "iso7816");
    CHECK(image["atr"] == "3B 95 13");
    CHECK(image["tries"] == 3);
    saveImage(path, image);
    auto loaded = loadImage(path);
    REQUIRE(loaded);
    CHECK(*loaded == image);
    CHECK(imageType(*loaded) == "iso7816");
    CHECK(imageAtr(*loaded) == Bytes{0x3B, 0x95, 0x13});
    CHECK(modeOf(path) == k0600);
}

TEST_CASE("image: state members cannot override type and atr; non-object state is kept", "[image]") {
    const json image = composeImage("test", Bytes{0x3B, 0x00}, {{"type", "evil"}, {"atr", "00"}, {"x", 1}});
    CHECK(image["type"] == "test");
    CHECK(image["atr"] == "3B 00");
    CHECK(composeImage("t", Bytes{0x3B, 0x00}, json::array({1}))["state"] == json::array({1}));
    CHECK(composeImage("t", Bytes{0x3B, 0x00}, nullptr).size() == 2);
}

TEST_CASE("image: a missing file is no image, not an error", "[image]") {
    TempDir dir;
    CHECK_FALSE(loadImage(dir.file("absent.json")));
}

TEST_CASE("image: errors name the file and what is wrong", "[image]") {
    TempDir dir;
    const std::string path = dir.file("bad.json");
    auto messageFor = [&](const std::string& text) -> std::string {
        writeText(path, text);
        try {
            loadImage(path);
        } catch (const ImageError& e) {
            return e.what();
        }
        return "(no error)";
    };
    const std::string syntax = messageFor("{\n  \"type\": \"iso7816\",\n  \"atr\": 3B\n}\n");
    CHECK(syntax.find(path) == 0);
    CHECK(syntax.find("line 3") != std::string::npos);
    CHECK(messageFor("[1, 2]").find("top level must be a JSON object") != std::string::npos);
    CHECK(messageFor("{\"type\": 7}").find("\"type\" must be a string") != std::string::npos);
    CHECK(messageFor("{\"atr\": \"3B 9\"}").find("\"atr\" must be a hex string") != std::string::npos);
    CHECK(messageFor("{\"atr\": \"3B\"}").find("2 to 33 bytes") != std::string::npos);
    CHECK(messageFor("").find(path) == 0);
    // A number past double's range is nlohmann's out_of_range 406, not a parse_error (found by fuzz-image).
    const std::string huge = messageFor("{\"x\": 1E400}");
    CHECK(huge.find(path) == 0);
    CHECK(huge.find("not a card image") != std::string::npos);
    CHECK(huge.find("number overflow") != std::string::npos);
}

TEST_CASE("image: saving replaces, always 0600, even over a 0644 file and with umask 0", "[image]") {
    TempDir dir;
    const std::string path = dir.file("card.json");
    writeText(path, "{}");
    ::chmod(path.c_str(), 0644);
    const mode_t old = ::umask(0);
    saveImage(path, composeImage("t", Bytes{0x3B, 0x00}, {{"n", 1}}));
    ::umask(old);
    CHECK(modeOf(path) == k0600);
    CHECK(loadImage(path)->at("n") == 1);
}

TEST_CASE("image: saving where no file can be created fails cleanly", "[image]") {
    TempDir dir;
    CHECK_THROWS_AS(saveImage(dir.file("no/such/dir/card.json"), json::object()), ImageError);
    {  // A FIFO, like a device (vicc -f /dev/null as root), is refused, never replaced by the rename.
        TempDir other;
        const std::string fifo = other.file("fifo");
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        CHECK_THROWS_AS(saveImage(fifo, json::object()), ImageError);
        struct stat st {};
        REQUIRE(::lstat(fifo.c_str(), &st) == 0);
        CHECK(S_ISFIFO(st.st_mode));
    }
    const std::string path = dir.file("card.json");
    saveImage(path, composeImage("t", Bytes{0x3B, 0x00}, {{"n", 1}}));
    fs::create_directory(dir.file("card.json.d"));
    // Renaming a file over a directory fails: the old directory stays, no temporary is left.
    CHECK_THROWS_AS(saveImage(dir.file("card.json.d"), json::object()), ImageError);
    int entries = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) entries += !e.path().filename().string().starts_with(".");
    CHECK(entries == 2);
    for (const auto& e : fs::directory_iterator(dir.path)) CHECK_FALSE(e.path().filename().string().starts_with("."));
}

TEST_CASE("image: temporary files of a crashed save are ignored and removed on load", "[image]") {
    TempDir dir;
    const std::string path = dir.file("card.json");
    saveImage(path, composeImage("t", Bytes{0x3B, 0x00}, {{"n", 1}}));
    const std::string stale = dir.file(temporaryPrefix(path) + "AbC123");
    writeText(stale, "{\"type\": \"t\", \"n\"");  // half written
    const std::string other = dir.file(".other.json.tmp.XYZ");
    writeText(other, "x");  // another image's temporary: not ours to remove
    auto image = loadImage(path);
    REQUIRE(image);
    CHECK(image->at("n") == 1);
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(other));
}

TEST_CASE("image: kill -9 during saves leaves the old or the new image, never a partial one", "[image]") {
    TempDir dir;
    const std::string path = dir.file("card.json");
    // Two images big enough (about 200 kB) that a save takes several write() calls.
    json a = composeImage("t", Bytes{0x3B, 0x00}, {{"blob", std::string(200000, 'a')}, {"gen", "a"}});
    json b = composeImage("t", Bytes{0x3B, 0x00}, {{"blob", std::string(200000, 'b')}, {"gen", "b"}});
    saveImage(path, a);
    std::mt19937 rng(12345);
    for (int round = 0; round < 12; ++round) {
        std::cout.flush();  // the child must not repeat buffered report output
        pid_t child = ::fork();
        if (child == 0) {  // no Catch macro runs in the child: it would report too
            try {
                for (int i = 0;; ++i) saveImage(path, i % 2 ? a : b);
            } catch (...) {
            }
            ::_exit(1);  // never back into the test runner
        }
        REQUIRE(child > 0);
        std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 20000));
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        const std::string text = readText(path);
        INFO("round " << round << ": " << text.size() << " bytes");
        const json now = json::parse(text);  // throws (fails the test) if truncated
        CHECK((now == a || now == b));
        CHECK(modeOf(path) == k0600);
        REQUIRE(loadImage(path));  // and the temporary of the killed save is gone
        for (const auto& e : fs::directory_iterator(dir.path)) CHECK(e.path() == fs::path(path));
    }
}
