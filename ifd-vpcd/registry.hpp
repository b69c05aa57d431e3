// The driver's one mutable global (DESIGN.md style 3): Lun → Reader, guarded by one mutex.
// Lookups hand out shared_ptr, so a Reader outlives a concurrent IFDHCloseChannel while a call
// (e.g. the polling function) still uses it.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "common/no_destroy.hpp"
#include "ifd-vpcd/reader.hpp"

namespace vpcsc::ifd {

class Registry {
public:
    static Registry& instance();

    // False when the Lun is taken.
    bool add(unsigned long lun, std::shared_ptr<Reader> reader);
    std::shared_ptr<Reader> find(unsigned long lun) const;
    std::shared_ptr<Reader> remove(unsigned long lun);

    // Once per process: pcscd log sink and the default level from $VPCD_LOG_LEVEL.
    void initLogging();

private:
    friend class NoDestroy<Registry>;
    Registry() = default;
    mutable std::mutex m_mutex;
    std::map<unsigned long, std::shared_ptr<Reader>> m_readers;
    std::once_flag m_logOnce;
};

}  // namespace vpcsc::ifd
