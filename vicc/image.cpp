#include "vicc/image.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vpcsc::vicc {
namespace {

using nlohmann::json;

std::pair<std::string, std::string> splitPath(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return {".", path};
    return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw ImageError(path + ": " + what);
}

std::string errnoText() { return std::strerror(errno); }

// A temporary file left by a save that was killed before its rename: never part of the image.
void removeTemporaries(const std::string& path) {
    const auto [dir, name] = splitPath(path);
    const std::string prefix = "." + name + ".tmp.";
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    while (const dirent* e = ::readdir(d)) {
        if (std::strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0)
            ::unlinkat(::dirfd(d), e->d_name, 0);
    }
    ::closedir(d);
}

void writeAll(int fd, const std::string& text, const std::string& tmp) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(tmp, "write: " + errnoText());
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string temporaryPrefix(const std::string& path) { return "." + splitPath(path).second + ".tmp."; }

std::optional<json> loadImage(const std::string& path) {
    removeTemporaries(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return std::nullopt;
        fail(path, "cannot open: " + errnoText());
    }
    std::stringstream text;
    text << in.rdbuf();
    json image;
    try {
        image = json::parse(text.str());  // what() gives line and column
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number past 1.8e308
        fail(path, std::string("not a card image: ") + e.what());
    }
    if (!image.is_object()) fail(path, "not a card image: the top level must be a JSON object");
    if (image.contains("type") && !image["type"].is_string()) fail(path, "\"type\" must be a string");
    try {
        (void)imageAtr(image);
    } catch (const std::exception& e) {
        fail(path, std::string("\"atr\" must be a hex string: ") + e.what());
    }
    return image;
}

void saveImage(const std::string& path, const json& image) {
    // The rename below replaces whatever is at path: never a device, FIFO or directory (vicc -f
    // /dev/null as root would otherwise turn /dev/null into a regular file).
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        fail(path, "not a regular file: refusing to replace it");
    const auto [dir, name] = splitPath(path);
    std::string tmp = dir + "/" + temporaryPrefix(path) + "XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // mode 0600 from the start: images hold PINs
    if (fd < 0) fail(path, "cannot create a temporary file in " + dir + ": " + errnoText());
    try {
        writeAll(fd, image.dump(2) + "\n", tmp);
        if (::fchmod(fd, 0600) < 0) fail(tmp, "chmod: " + errnoText());
        if (::fsync(fd) < 0) fail(tmp, "fsync: " + errnoText());  // data on disk before the rename
        if (::close(fd) < 0) {
            fd = -1;
            fail(tmp, "close: " + errnoText());
        }
        fd = -1;
        if (::rename(tmp.c_str(), path.c_str()) < 0) fail(path, "rename: " + errnoText());
    } catch (...) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    // The rename itself is durable only once the directory is synced.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

json composeImage(std::string_view type, ByteView atr, const json& state) {
    json image = json::object();
    image["type"] = std::string(type);
    image["atr"] = toHex(atr);
    if (state.is_object()) {
        for (const auto& [key, value] : state.items())
            if (key != "type" && key != "atr") image[key] = value;
    } else if (!state.is_null()) {
        image["state"] = state;  // a card whose state is not an object still round-trips
    }
    return image;
}

std::string imageType(const json& image) {
    auto it = image.find("type");
    return it != image.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Bytes> imageAtr(const json& image) {
    auto it = image.find("atr");
    if (it == image.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw ParseError("not a string");
    Bytes atr = fromHex(it->get<std::string>());
    if (atr.size() < 2 || atr.size() > 33) throw ParseError("an ATR has 2 to 33 bytes");  // ISO 7816-3 §8.2.1
    return atr;
}

}  // namespace vpcsc::vicc
