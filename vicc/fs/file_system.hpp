// The file tree of one card, rooted at the MF (ISO 7816-4 §7.1.1), with a capacity so that no
// sequence of commands can grow a card without bound (6A84 when it would be exceeded).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "vicc/fs/file.hpp"

namespace vpcsc::vicc::fs {

class FileSystem {
public:
    static constexpr std::size_t kDefaultCapacity = 1u << 20;  // 1 MiB per card
    static constexpr std::size_t kMaxDepth = 16;               // DF nesting below the MF

    FileSystem();                                 // an empty, activated MF
    explicit FileSystem(std::unique_ptr<File> mf);  // mf must be a DF with FID 3F00

    File& mf() { return *m_mf; }
    const File& mf() const { return *m_mf; }

    std::size_t capacity() const { return m_capacity; }
    void setCapacity(std::size_t bytes) { m_capacity = bytes; }
    std::size_t used() const { return m_mf->footprint(); }
    // Throws SwError 6A84 (not enough memory space) when `extra` more bytes would not fit.
    void reserve(std::size_t extra) const;

    // Every DF with a DF name, depth first from the MF (SELECT by DF name, ISO 7816-4 §7.1.1).
    std::vector<File*> namedDfs() const;
    static std::size_t depth(const File& file);  // MF = 0

private:
    std::unique_ptr<File> m_mf;
    std::size_t m_capacity = kDefaultCapacity;
};

}  // namespace vpcsc::vicc::fs
