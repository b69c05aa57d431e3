// The driver's one mutable global (DESIGN.md style 3): Lun -> Reader, plus the open USB devices
// (bus:address -> UsbDevice, shared by the readers of one device's interfaces), one mutex.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/no_destroy.hpp"
#include "ifd-simtrace/reader.hpp"
#include "ifd-simtrace/trace.hpp"
#include "ifd-simtrace/trace_sinks.hpp"

namespace vpcsc::simtrace {

class Registry {
public:
    static Registry& instance();

    bool add(unsigned long lun, std::shared_ptr<Reader> reader);
    std::shared_ptr<Reader> find(unsigned long lun) const;
    std::shared_ptr<Reader> remove(unsigned long lun);
    // The open device at this address, or a newly opened one.
    std::shared_ptr<UsbDevice> device(const UsbAddress& address);

    // Once per process: pcscd log sink, then the configuration file ($VPCSC_SIMTRACE_CONF or
    // SIMTRACE_CONF_PATH); a bad file is logged and ignored.
    const Config& init();
    // The GSMTAP / pcap sinks the configuration names (null when none), shared by all readers.
    std::shared_ptr<TraceSinks> traceSinks() const;

private:
    friend class NoDestroy<Registry>;
    Registry() = default;
    mutable std::mutex m_mutex;
    std::map<unsigned long, std::shared_ptr<Reader>> m_readers;
    std::map<std::string, std::weak_ptr<UsbDevice>> m_devices;
    std::once_flag m_once;
    Config m_config;
    std::shared_ptr<TraceSinks> m_sinks;
};

}  // namespace vpcsc::simtrace
