// Iso7816Card's persistent state as the card image (doc/card-image.md). The runtime
// (vicc/image.hpp) adds "type" and "atr" around these members; "atr" appears here only when an
// image set it.
#include <string>

#include "vicc/fs/file_system_json.hpp"
#include "vicc/iso7816/iso7816_card.hpp"

namespace vpcsc::vicc {

using nlohmann::json;

namespace {

constexpr int kImageVersion = 1;

[[noreturn]] void bad(const std::string& what) { throw ParseError("card image: " + what); }

// A retry counter from the image (0-15; larger values must not wrap into range).
std::uint8_t tries(unsigned n) { return static_cast<std::uint8_t>(n > 15 ? 255 : n); }

Puk pukFromJson(const json& j) {
    if (!j.is_object()) bad("a PIN's \"puk\" must be an object");
    Puk p;
    try {
        p.value = fromHex(j.at("value").get<std::string>());
        p.maxTries = tries(j.value("maxTries", 10u));
        p.triesLeft = tries(j.value("triesLeft", static_cast<unsigned>(p.maxTries)));
    } catch (const json::exception& e) {
        bad(std::string("PUK: ") + e.what());
    }
    if (p.value.empty() || p.value.size() > Pin::kMaxLength) bad("a PUK \"value\" has 1-64 bytes");
    if (p.maxTries < 1 || p.maxTries > 15 || p.triesLeft > p.maxTries) bad("PUK tries must satisfy 0 <= triesLeft <= maxTries <= 15");
    return p;
}

Pin pinFromJson(const json& j) {
    if (!j.is_object()) bad("each of \"pins\" must be an object");
    Pin p;
    try {
        const Bytes ref = fromHex(j.at("reference").get<std::string>());
        if (ref.size() != 1) bad("a PIN \"reference\" is one byte of hex, e.g. \"81\"");
        p.reference = ref[0];
        p.value = fromHex(j.at("value").get<std::string>());
        p.maxTries = tries(j.value("maxTries", 3u));
        p.triesLeft = tries(j.value("triesLeft", static_cast<unsigned>(p.maxTries)));
    } catch (const json::exception& e) {
        bad(std::string("PIN: ") + e.what());
    }
    if (p.value.empty() || p.value.size() > Pin::kMaxLength) bad("a PIN \"value\" has 1-64 bytes");
    if (p.maxTries < 1 || p.maxTries > 15 || p.triesLeft > p.maxTries) bad("PIN tries must satisfy 0 <= triesLeft <= maxTries <= 15");
    if (j.contains("puk")) p.puk = pukFromJson(j["puk"]);
    return p;
}

}  // namespace

json Iso7816Card::saveState() const {
    json image;
    image["format"] = "vpcsc card image";
    image["version"] = kImageVersion;
    if (m_imageAtr) image["atr"] = toHex(*m_imageAtr, 0);
    json pins = json::array();
    for (const auto& [ref, p] : m_pins) {
        std::uint8_t r = ref;
        pins.push_back({{"reference", toHex(ByteView(&r, 1), 0)},
                        {"value", toHex(p.value, 0)},
                        {"maxTries", p.maxTries},
                        {"triesLeft", p.triesLeft}});
        if (p.puk)
            pins.back()["puk"] = {{"value", toHex(p.puk->value, 0)},
                                  {"maxTries", p.puk->maxTries},
                                  {"triesLeft", p.puk->triesLeft}};
    }
    image["pins"] = std::move(pins);
    if (!m_keys.empty()) {
        json keys = json::array();
        for (const auto& [ref, k] : m_keys) keys.push_back(keyToJson(k));
        image["keys"] = std::move(keys);
    }
    image["fileSystem"] = fs::fileSystemToJson(m_fs);
    saveExtraState(image);
    return image;
}

// All or nothing: the card keeps its state unless the whole image is valid.
void Iso7816Card::loadState(const json& image) {
    if (!image.is_object()) bad("must be a JSON object");
    if (image.contains("version") && image["version"] != kImageVersion)
        bad("unsupported \"version\" (this vicc reads version " + std::to_string(kImageVersion) + ")");
    if (image.contains("type") && image["type"] != typeName())
        bad(std::string("is for card type ") + image["type"].dump() + ", not " + typeName());

    std::optional<Bytes> atr;
    if (image.contains("atr")) {
        if (!image["atr"].is_string()) bad("\"atr\" must be a hex string");
        atr = fromHex(image["atr"].get<std::string>());
        if (atr->size() < 2 || atr->size() > 33) bad("\"atr\" must have 2-33 bytes");
    }
    std::map<std::uint8_t, Pin> pins;
    if (image.contains("pins")) {
        if (!image["pins"].is_array()) bad("\"pins\" must be an array");
        for (const auto& j : image["pins"]) {
            Pin p = pinFromJson(j);
            if (!pins.emplace(p.reference, p).second) bad("PIN reference used twice");
        }
    }
    std::map<std::uint8_t, CardKey> keys;
    if (image.contains("keys")) {
        if (!image["keys"].is_array()) bad("\"keys\" must be an array");
        for (const auto& j : image["keys"]) {
            CardKey k = keyFromJson(j);
            if (!keys.emplace(k.reference, std::move(k)).second) bad("key reference used twice");
        }
    }
    if (!image.contains("fileSystem")) bad("missing \"fileSystem\"");
    fs::FileSystem fileSystem = fs::fileSystemFromJson(image["fileSystem"], m_fs.capacity());

    loadExtraState(image);
    m_imageAtr = std::move(atr);
    m_pins = std::move(pins);
    m_keys = std::move(keys);
    m_fs = std::move(fileSystem);
    resetChannels();
}

}  // namespace vpcsc::vicc
