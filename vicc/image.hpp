// Card image files (vicc -f CARD.json): the persistent state of one card as JSON.
//
//   {"type": "iso7816", "atr": "3B 95 13 81 01 80 73 FF 01 00 0B", ...Card::saveState() members}
//
// Images hold PINs and keys: they are written with mode 0600, and atomically (temporary file in
// the same directory, fsync, rename over the target, fsync the directory), so a crash or kill -9
// at any moment leaves either the old or the new complete image, never a truncated one.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/bytes.hpp"

namespace vpcsc::vicc {

// What went wrong, prefixed with the file name ("card.json: parse error at line 3, column 1: ...").
struct ImageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The image at path, or nullopt if there is no such file. Removes temporary files a crashed
// save left next to it. Throws ImageError for unreadable files, bad JSON, a top level that is
// not an object, or "type"/"atr" members of the wrong kind.
std::optional<nlohmann::json> loadImage(const std::string& path);

// Atomic replace of path by image (see above). Throws ImageError; the old file is then intact.
void saveImage(const std::string& path, const nlohmann::json& image);

// {"type": type, "atr": "HEX", ...state}; state must be a JSON object (or null for none).
nlohmann::json composeImage(std::string_view type, ByteView atr, const nlohmann::json& state);

// The "type" member ("" if absent) and the "atr" member (nullopt if absent) of a loaded image.
std::string imageType(const nlohmann::json& image);
std::optional<Bytes> imageAtr(const nlohmann::json& image);

// ".NAME.tmp." : the prefix of temporary files of a save of DIR/NAME (for tests).
std::string temporaryPrefix(const std::string& path);

}  // namespace vpcsc::vicc
