// File control information, ISO 7816-4 §7.4: the FCP template (62), the FMD template (64) and the
// FCI template (6F) returned by SELECT, and the FCP parsed by CREATE FILE (ISO 7816-9 §6.1).
#pragma once

#include <cstdint>
#include <memory>

#include "common/bytes.hpp"
#include "vicc/fs/file.hpp"

namespace vpcsc::vicc::fs {

// SELECT P2 b4-b3 (ISO 7816-4 §11.2.2 Table "P2"): what the response carries.
enum class FileInfo : std::uint8_t { Fci = 0, Fcp = 1, Fmd = 2, None = 3 };

Bytes buildFcp(const File& file);  // 62 L 82 83 [84] [80] [88] 8A [8C] [others]
Bytes buildFmd(const File& file);  // 64 L [fmd]
Bytes buildFci(const File& file);  // 6F L FCP content + FMD content
Bytes fileInformation(const File& file, FileInfo which);

// A new file from the data field of CREATE FILE: an FCP (62) or FCI (6F) template with at least
// 82 (file descriptor) and 83 (FID). Throws SwError 6A80 for anything malformed or unsupported.
// If 88 is absent the SFI is b5-b1 of the FID (ISO 7816-4 §7.4.3), unless that is 0 or 31.
// Linear fixed and cyclic EFs with a number of records in 82 start with that many records of
// FF (their capacity); without it they start empty with room for 254. Sizes above maxSize
// throw 6A84 before anything is allocated.
std::unique_ptr<File> parseFcpForCreation(ByteView data, std::size_t maxSize);

}  // namespace vpcsc::vicc::fs
