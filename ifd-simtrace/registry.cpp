#include "ifd-simtrace/registry.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/log.hpp"
#include "common/pcscd_log.hpp"

#ifndef SIMTRACE_CONF_PATH
#define SIMTRACE_CONF_PATH "/etc/vpcsc/simtrace.conf"
#endif

namespace vpcsc::simtrace {

// Never destroyed (common/no_destroy.hpp): pcscd may exit() ("direct suicide" on SIGTERM) while
// polling threads and libusb's threads still run; destroying readers under them would crash it.
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

std::shared_ptr<UsbDevice> Registry::device(const UsbAddress& address) {
    std::lock_guard lock(m_mutex);
    auto& slot = m_devices[address.key()];
    if (auto d = slot.lock(); d && !d->gone()) return d;
    auto d = UsbDevice::open(address);
    slot = d;
    return d;
}

const Config& Registry::init() {
    std::call_once(m_once, [this] {
        log::installPcscdSink("ifd-simtrace");
        const char* env = std::getenv("VPCSC_SIMTRACE_CONF");
        const std::string path = env ? env : SIMTRACE_CONF_PATH;
        std::ifstream in(path);
        if (!in) {
            if (env) LOG_WARNING("ifd-simtrace: cannot read %s", path.c_str());
            return;
        }
        std::ostringstream text;
        text << in.rdbuf();
        try {
            m_config = parseConfig(text.str());
            if (m_config.logLevel) log::setLevel(*m_config.logLevel);
            LOG_INFO("ifd-simtrace: configuration %s (gsmtap %s, pcap %s, auto_arm %s)", path.c_str(),
                     m_config.gsmtap ? m_config.gsmtap->host.c_str() : "off",
                     m_config.pcapPath ? m_config.pcapPath->c_str() : "off", m_config.autoArm ? "yes" : "no");
            auto sinks = std::make_shared<TraceSinks>(m_config);
            if (sinks->any()) {
                std::lock_guard lock(m_mutex);
                m_sinks = std::move(sinks);
            }
        } catch (const ParseError& e) {
            LOG_ERROR("ifd-simtrace: %s: %s (using defaults)", path.c_str(), e.what());
        }
    });
    return m_config;
}

std::shared_ptr<TraceSinks> Registry::traceSinks() const {
    std::lock_guard lock(m_mutex);
    return m_sinks;
}

}  // namespace vpcsc::simtrace
