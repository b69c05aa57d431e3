// Where the SM-DP+ finds the Unprotected Profile Package a matchingId (SGP.22 §4.1 Activation Code
// field 3) refers to: the file <dir>/<matchingId>.der. A matchingId is 1..64 characters of
// [A-Za-z0-9_-], so it can never name a path outside the directory. The matchingId "DEMO" falls
// back to a built-in demo profile when the directory has no DEMO.der (or when there is no directory).
// A download without matchingId (the eUICC's default SM-DP+ address, SGP.22 §3.1.3) takes the
// profile ordered for the eUICC's EID: <dir>/by-eid/<EID>.der. No matchingId can name that path
// ('/' is not a matchingId character), so only the eUICC whose verified certificate carries the
// EID reaches it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace vpcsc::smdpp {

class ProfileDirectory {
public:
    static constexpr std::size_t kMaxMatchingId = 64;
    static constexpr std::size_t kMaxProfileSize = 4 << 20;  // a UPP is ~12 KB; refuse anything absurd
    static constexpr std::string_view kDemoMatchingId = "DEMO";

    // dir may be empty: then only DEMO exists (if a demo source is set).
    explicit ProfileDirectory(std::string dir = {}) : m_dir(std::move(dir)) {}
    // The built-in profile DEMO falls back to (saip::demoProfile()); none by default.
    void setDemoSource(std::function<Bytes()> demo) { m_demo = std::move(demo); }

    static bool validMatchingId(std::string_view id);
    // The UPP, or nullopt when the id is invalid or no such profile exists (or cannot be read).
    std::optional<Bytes> find(std::string_view matchingId) const;
    // The UPP ordered for this EID (32 decimal digits), or nullopt.
    std::optional<Bytes> findForEid(std::string_view eid) const;
    const std::string& directory() const { return m_dir; }

private:
    std::string m_dir;
    std::function<Bytes()> m_demo;
};

}  // namespace vpcsc::smdpp
