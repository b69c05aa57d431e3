#include "ifd-vpcd/registry.hpp"

#include <cstdlib>

#include "ifd-vpcd/device_name.hpp"
#include "common/pcscd_log.hpp"

namespace vpcsc::ifd {

// Never destroyed (common/no_destroy.hpp): pcscd exit()s on SIGTERM while its threads may still be
// inside IFDH* calls; ASan saw a heap use after free there (tests/soak/kill-cycles.sh, pcscd
// restarted under load) when this was a plain static.
Registry& Registry::instance() {
    static NoDestroy<Registry> registry;
    return registry.get();
}

bool Registry::add(unsigned long lun, std::shared_ptr<Reader> reader) {
    std::lock_guard lock(m_mutex);
    return m_readers.emplace(lun, std::move(reader)).second;
}

std::shared_ptr<Reader> Registry::find(unsigned long lun) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_readers.find(lun);
    return it == m_readers.end() ? nullptr : it->second;
}

std::shared_ptr<Reader> Registry::remove(unsigned long lun) {
    std::lock_guard lock(m_mutex);
    const auto it = m_readers.find(lun);
    if (it == m_readers.end()) return nullptr;
    auto reader = std::move(it->second);
    m_readers.erase(it);
    return reader;
}

void Registry::initLogging() {
    std::call_once(m_logOnce, [] {
        log::installPcscdSink("ifd-vpcd");
        if (const char* env = std::getenv("VPCD_LOG_LEVEL")) {
            if (auto level = parseLogLevel(env)) log::setLevel(*level);
            else LOG_WARNING("ifd-vpcd: ignoring VPCD_LOG_LEVEL=%s (error|warning|info|debug|comm)", env);
        }
    });
}

}  // namespace vpcsc::ifd
