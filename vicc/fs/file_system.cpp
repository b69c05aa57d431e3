#include "vicc/fs/file_system.hpp"

#include <stdexcept>

#include "common/sw.hpp"

namespace vpcsc::vicc::fs {

FileSystem::FileSystem() : m_mf(std::make_unique<File>(FileStructure::Df, kMfFid)) {}

FileSystem::FileSystem(std::unique_ptr<File> mf) : m_mf(std::move(mf)) {
    if (!m_mf || !m_mf->isDf() || m_mf->fid() != kMfFid) throw std::invalid_argument("the MF must be DF 3F00");
}

void FileSystem::reserve(std::size_t extra) const {
    const std::size_t u = used();
    if (extra > m_capacity || u > m_capacity - extra) throw SwError(sw::kNotEnoughMemory);
}

namespace {
void collectNamed(File& f, std::vector<File*>& out) {
    if (!f.isDf()) return;
    if (!f.dfName.empty()) out.push_back(&f);
    for (const auto& c : f.children()) collectNamed(*c, out);
}
}  // namespace

std::vector<File*> FileSystem::namedDfs() const {
    std::vector<File*> out;
    collectNamed(*m_mf, out);
    return out;
}

std::size_t FileSystem::depth(const File& file) {
    std::size_t d = 0;
    for (const File* f = file.parent(); f; f = f->parent()) ++d;
    return d;
}

}  // namespace vpcsc::vicc::fs
