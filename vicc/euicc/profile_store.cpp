// ProfileStore: lookups, ISD-P allocation, the image (profile_store.hpp).
#include "vicc/euicc/profile_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::euicc {

namespace {
// ISD-P AIDs: the ISD-R's RID/PIX prefix with 00 00 10 00 + n (SGP.02 Annex H numbering).
const Bytes kIsdpAidPrefix = fromHex("A0000005591010FFFFFFFF89");
}  // namespace

InstalledProfile* ProfileStore::findByIccid(ByteView iccid) {
    for (auto& p : m_profiles)
        if (p.metadata.iccid.size() == iccid.size() && std::equal(iccid.begin(), iccid.end(), p.metadata.iccid.begin()))
            return &p;
    return nullptr;
}

InstalledProfile* ProfileStore::findByAid(ByteView aid) {
    for (auto& p : m_profiles)
        if (p.isdpAid.size() == aid.size() && std::equal(aid.begin(), aid.end(), p.isdpAid.begin())) return &p;
    return nullptr;
}

InstalledProfile* ProfileStore::enabled() {
    for (auto& p : m_profiles)
        if (p.enabled) return &p;
    return nullptr;
}

Bytes ProfileStore::allocateIsdpAid() const {
    for (std::uint32_t n = 0x10;; ++n) {
        Bytes aid = kIsdpAidPrefix;
        aid.insert(aid.end(), {static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0x00, 0x00});
        bool used = false;
        for (const auto& p : m_profiles) used = used || p.isdpAid == aid;
        if (!used) return aid;
    }
}

void ProfileStore::install(InstalledProfile profile) {
    profile.enabled = false;
    m_profiles.push_back(std::move(profile));
}

void ProfileStore::remove(ByteView aid) {
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(),
                                    [&](const InstalledProfile& p) {
                                        return p.isdpAid.size() == aid.size() &&
                                               std::equal(aid.begin(), aid.end(), p.isdpAid.begin());
                                    }),
                     m_profiles.end());
}

nlohmann::json ProfileStore::save() const {
    // PLACEHOLDER: the persistent image is written by the profile-management work (issue 7).
    return nlohmann::json::object();
}

void ProfileStore::load(const nlohmann::json&) {}

}  // namespace vpcsc::euicc
