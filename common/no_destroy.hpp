// A process-wide object that is constructed on first use and never destroyed, held in static
// storage (no heap). For state that threads of pcscd may still use while it exit()s: pcscd's
// SIGTERM path ("direct suicide") runs static destructors while its event and client threads can
// still be inside IFDH* calls. No heap, so nothing is reported as leaked once pcscd dlclose()s
// the driver and its static storage goes away.
#pragma once

#include <new>
#include <utility>

namespace vpcsc {

template <class T>
class NoDestroy {
public:
    template <class... Args>
    explicit NoDestroy(Args&&... args) {
        ::new (static_cast<void*>(m_storage)) T(std::forward<Args>(args)...);
    }
    NoDestroy(const NoDestroy&) = delete;
    NoDestroy& operator=(const NoDestroy&) = delete;
    T& get() { return *std::launder(reinterpret_cast<T*>(m_storage)); }

private:
    alignas(T) unsigned char m_storage[sizeof(T)];
};

}  // namespace vpcsc
