// ProfileStore: lookups, ISD-P allocation, the image (profile_store.hpp).
#include "vicc/euicc/profile_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::euicc {

namespace {
// ISD-P AIDs: the ISD-R's RID/PIX prefix, then 00 00 10 00, 00 00 11 00, ... (the numbering real
// eUICCs show; the ISD-R is 00 00 01 00).
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
        aid.insert(aid.end(), {0x00, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0x00});
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

// The image: {"profiles": [{isdpAid, metadata (the StoreMetadata BF25, hex), nickname, enabled,
// smdpAddress, smdpOid, usim (the card's saveState() image)}], "notifications": [{seqNumber,
// event, address, iccid, pending (the signed BF37 / 30, hex)}], "lastSeqNumber",
// "defaultDpAddress", "rootDsAddress"}. Binary values are hex; nothing secret beyond what the
// USIM's own image holds.
nlohmann::json ProfileStore::save() const {
    using nlohmann::json;
    json profiles = json::array();
    for (const auto& p : m_profiles) {
        json j{{"isdpAid", toHex(p.isdpAid, 0)},
               {"metadata", toHex(p.metadata.encode(), 0)},
               {"enabled", p.enabled},
               {"smdpAddress", p.smdpAddress},
               {"smdpOid", toHex(p.smdpOid, 0)},
               {"usim", p.usim ? p.usim->saveState() : json()}};
        if (p.nickname) j["nickname"] = *p.nickname;
        profiles.push_back(std::move(j));
    }
    json notifications = json::array();
    for (const auto& n : m_notifications)
        notifications.push_back({{"seqNumber", n.seqNumber},
                                 {"event", static_cast<unsigned>(n.event)},
                                 {"address", n.address},
                                 {"iccid", toHex(n.iccid, 0)},
                                 {"pending", toHex(n.pending, 0)}});
    return json{{"profiles", std::move(profiles)},
                {"notifications", std::move(notifications)},
                {"lastSeqNumber", m_lastSeqNumber},
                {"defaultDpAddress", defaultDpAddress},
                {"rootDsAddress", rootDsAddress}};
}

namespace {

const nlohmann::json& field(const nlohmann::json& o, const char* name, nlohmann::json::value_t type) {
    const auto it = o.find(name);
    if (it == o.end() || it->type() != type) throw std::runtime_error(std::string("\"") + name + "\" missing or of the wrong type");
    return *it;
}
std::string text(const nlohmann::json& o, const char* name) { return field(o, name, nlohmann::json::value_t::string).get<std::string>(); }
Bytes hex(const nlohmann::json& o, const char* name) { return fromHex(text(o, name)); }
// A non-negative integer (nlohmann keeps a parsed one unsigned, a built one maybe signed).
std::uint64_t number(const nlohmann::json& o, const char* name, std::uint64_t max) {
    const auto it = o.find(name);
    if (it == o.end() || !it->is_number_integer()) throw std::runtime_error(std::string("\"") + name + "\" missing or not an integer");
    if (it->is_number_unsigned() ? it->get<std::uint64_t>() > max : (it->get<std::int64_t>() < 0 || static_cast<std::uint64_t>(it->get<std::int64_t>()) > max))
        throw std::runtime_error(std::string("\"") + name + "\" out of range");
    return it->is_number_unsigned() ? it->get<std::uint64_t>() : static_cast<std::uint64_t>(it->get<std::int64_t>());
}

}  // namespace

void ProfileStore::load(const nlohmann::json& image) {
    using nlohmann::json;
    try {
        if (!image.is_object()) throw std::runtime_error("not an object");
        std::vector<InstalledProfile> profiles;
        std::size_t enabledCount = 0;
        for (const json& j : field(image, "profiles", json::value_t::array)) {
            if (!j.is_object()) throw std::runtime_error("a profile is not an object");
            InstalledProfile p;
            p.isdpAid = hex(j, "isdpAid");
            if (p.isdpAid.size() < 5 || p.isdpAid.size() > 16) throw std::runtime_error("bad isdpAid");
            p.metadata = es10::StoreMetadata::decode(hex(j, "metadata"));
            if (j.contains("nickname")) p.nickname = text(j, "nickname");
            p.enabled = field(j, "enabled", json::value_t::boolean).get<bool>();
            enabledCount += p.enabled;
            p.smdpAddress = text(j, "smdpAddress");
            p.smdpOid = hex(j, "smdpOid");
            if (const auto u = j.find("usim"); u != j.end() && !u->is_null()) p.usim = std::shared_ptr<vicc::Card>(saip::restore(*u));
            for (const auto& q : profiles)
                if (q.isdpAid == p.isdpAid || q.metadata.iccid == p.metadata.iccid) throw std::runtime_error("two profiles share an ISD-P AID or ICCID");
            profiles.push_back(std::move(p));
        }
        if (enabledCount > 1) throw std::runtime_error("more than one profile enabled");
        std::vector<Notification> notifications;
        for (const json& j : field(image, "notifications", json::value_t::array)) {
            if (!j.is_object()) throw std::runtime_error("a notification is not an object");
            Notification n;
            n.seqNumber = static_cast<std::uint32_t>(number(j, "seqNumber", 0xFFFFFFFF));
            const auto e = number(j, "event", 0xFF);
            if (e != 0x80 && e != 0x40 && e != 0x20 && e != 0x10) throw std::runtime_error("bad notification event");
            n.event = static_cast<NotificationEvent>(e);
            n.address = text(j, "address");
            n.iccid = hex(j, "iccid");
            n.pending = hex(j, "pending");
            tlv::parseOne(n.pending);
            notifications.push_back(std::move(n));
        }
        const auto last = static_cast<std::uint32_t>(number(image, "lastSeqNumber", 0xFFFFFFFF));
        for (const auto& n : notifications)
            if (n.seqNumber > last) throw std::runtime_error("a notification's seqNumber is above lastSeqNumber");
        std::string dp = text(image, "defaultDpAddress");
        std::string ds = text(image, "rootDsAddress");
        m_profiles = std::move(profiles);
        m_notifications = std::move(notifications);
        m_lastSeqNumber = last;
        defaultDpAddress = std::move(dp);
        rootDsAddress = std::move(ds);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("euicc image: ") + e.what());
    }
}

}  // namespace vpcsc::euicc
