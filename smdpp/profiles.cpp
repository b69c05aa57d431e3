// Profile lookup by matchingId: see profiles.hpp.
#include "smdpp/profiles.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.hpp"

namespace vpcsc::smdpp {

namespace {

// Reads a regular file of at most `limit` bytes; nullopt on any failure.
std::optional<Bytes> readRegularFile(const std::string& path, std::size_t limit) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::size_t>(st.st_size) > limit) return std::nullopt;
    Bytes out(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
        if (n <= 0) return std::nullopt;
        got += static_cast<std::size_t>(n);
    }
    return out;
}

}  // namespace

bool ProfileDirectory::validMatchingId(std::string_view id) {
    if (id.empty() || id.size() > kMaxMatchingId) return false;
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::optional<Bytes> ProfileDirectory::find(std::string_view matchingId) const {
    if (!validMatchingId(matchingId)) return std::nullopt;
    if (!m_dir.empty()) {
        if (auto upp = readRegularFile(m_dir + "/" + std::string(matchingId) + ".der", kMaxProfileSize)) return upp;
    }
    if (matchingId == kDemoMatchingId && m_demo) {
        try {
            return m_demo();
        } catch (const std::exception& e) {
            LOG_ERROR("smdpp: the built-in demo profile is not available: %s", e.what());
        }
    }
    return std::nullopt;
}

std::optional<Bytes> ProfileDirectory::findForEid(std::string_view eid) const {
    if (m_dir.empty() || eid.size() != 32) return std::nullopt;
    for (char c : eid)
        if (c < '0' || c > '9') return std::nullopt;
    return readRegularFile(m_dir + "/by-eid/" + std::string(eid) + ".der", kMaxProfileSize);
}

}  // namespace vpcsc::smdpp
