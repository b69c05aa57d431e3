// The file system in the card image (doc/card-image.md, "fileSystem"): one JSON object per file,
// DFs with "children". Loading validates everything and throws ParseError naming the file.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "vicc/fs/file_system.hpp"

namespace vpcsc::vicc::fs {

nlohmann::json fileToJson(const File& file);
nlohmann::json fileSystemToJson(const FileSystem& fs);
// Throws ParseError on a malformed image, duplicate FIDs or DF names among siblings/the card, a
// tree deeper than FileSystem::kMaxDepth, or content over the capacity.
FileSystem fileSystemFromJson(const nlohmann::json& mf, std::size_t capacity = FileSystem::kDefaultCapacity);

}  // namespace vpcsc::vicc::fs
