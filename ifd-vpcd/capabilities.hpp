// IFDHGetCapabilities tags (ifdhandler.h v3 §IFDHGetCapabilities) and what pcscd 1.9.9 does
// with them (readerfactory.c RFAddReader / RFSetReaderName, eventhandler.c):
//  - TAG_IFD_SLOTS_NUMBER: pcscd creates that many slot contexts, Lun = reader << 16 | slot, and
//    calls IFDHCreateChannelByName once per slot with the same DEVICENAME.
//  - TAG_IFD_SIMULTANEOUS_ACCESS > 1: a second reader.conf entry with our LIBPATH gets its own
//    reader number (Lun 0x10000, 0x20000 ...); with 1 pcscd would give it Lun 0 again.
//  - TAG_IFD_THREAD_SAFE = 1: each reader gets its own pcscd mutex (no driver-wide lock).
//  - TAG_IFD_SLOT_THREAD_SAFE = 1: each slot gets its own pcscd mutex.
//  - TAG_IFD_POLLING_THREAD_WITH_TIMEOUT: pcscd's per-slot event thread calls fn(Lun, timeout ms)
//    without its mutex, then IFDHICCPresence; a non-IFD_SUCCESS return makes it sleep 400 ms.
//  - TAG_IFD_POLLING_THREAD_KILLABLE = 0: pcscd then uses TAG_IFD_STOP_POLLING_THREAD on reader
//    removal/shutdown (no pthread_cancel through C++ frames), and joins the thread.
#pragma once

extern "C" {  // ifdhandler.h has no C++ guards
#include <PCSC/ifdhandler.h>
}

#include "common/bytes.hpp"
#include "ifd-vpcd/reader.hpp"

// The polling functions handed to pcscd (defined in ifdhandler.cpp; not exported by name).
extern "C" RESPONSECODE vpcdPollingThread(DWORD lun, int timeoutMs);
extern "C" RESPONSECODE vpcdStopPollingThread(DWORD lun);

namespace vpcsc::ifd {

// Value of tag for reader; throws IfdError(ErrorTag) for tags we do not provide.
Bytes capability(Reader& reader, unsigned long tag);

}  // namespace vpcsc::ifd
