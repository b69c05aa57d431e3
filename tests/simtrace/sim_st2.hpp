// A simulated SIMtrace2 (trace or cardem firmware, 1- or 2-interface boards, or a board in DFU
// mode) behind umockdev's in-process ioctl handler: libusb inside the driver under test talks
// usbdevfs to it exactly as to the kernel. Run under umockdev-wrapper (LD_PRELOAD).
// The handler runs on umockdev's thread; tests call the firmware-side methods from theirs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::test {

enum class Board {
    SimtraceCardem,  // 1d50:60e3, if0 cardem (04/85/86), if1 DFU runtime
    SimtraceTrace,   // 1d50:60e3, if0 sniffer (01/82/83), if1 DFU runtime
    QmodCardem,      // 1d50:4004, if0 cardem USIM1 (04/85/86), if1 USIM2 (01/82/83), if2 DFU runtime
    DfuMode,         // 1d50:60e3, if0 DFU mode only
};

// True once a testbed exists and the umockdev preload library is active.
bool umockdevAvailable();

class SimSimtrace {
public:
    explicit SimSimtrace(Board board);
    ~SimSimtrace();
    SimSimtrace(const SimSimtrace&) = delete;
    SimSimtrace& operator=(const SimSimtrace&) = delete;

    // pcscd's libudev form: usb:1d50/60e3:libudev:<if>:/dev/bus/usb/001/NNN
    std::string deviceName(int interface) const;

    // Firmware -> host: one message on an IN endpoint, completing a pending IN URB or queued
    // (the firmware keeps 3 per endpoint and drops the oldest, as the real one does).
    void send(std::uint8_t ep, ByteView message);
    // Host -> firmware messages received on an OUT endpoint (split into messages), oldest first.
    std::vector<Bytes> received(std::uint8_t ep);
    // Waits for the next OUT message on ep; empty on timeout.
    Bytes waitReceived(std::uint8_t ep, std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
    // IN URBs currently submitted by the host on ep.
    int pendingIn(std::uint8_t ep);
    bool waitPendingIn(std::uint8_t ep, int count, std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
    // Unplug: pending URBs complete with -ENODEV, later ioctls fail with ENODEV.
    void unplug();
    int droppedIn() const { return m_droppedIn; }

    struct Urb;

private:
    friend struct Handler;
    bool handleIoctl(void* client);

public:
    bool handleIoctlPublic(void* client);

private:
    void completeLocked(Urb* urb, int status, ByteView data);
    void tryDeliverLocked(std::uint8_t ep);

    Board m_board;
    int m_devnum;
    std::string m_sysfs, m_devnode;
    void* m_handler = nullptr;  // UMockdevIoctlBase*
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Urb*> m_submitted;
    std::deque<Urb*> m_completed;
    std::map<std::uint8_t, std::deque<Bytes>> m_inQueue;
    std::map<std::uint8_t, std::deque<Bytes>> m_out;
    bool m_unplugged = false;
    int m_droppedIn = 0;
};

// The phone side of a cardem interface, as the firmware's T=0 state machine sees it: sends the
// TPDU header, answers PB_AND_RX with the command data, collects PB_AND_TX bytes until FINAL.
// Returns everything the phone received (procedure byte(s), data, SW), or an empty vector on a
// timeout.
Bytes phoneTpdu(SimSimtrace& sim, ByteView header, ByteView data, std::uint8_t inEp = 0x85, std::uint8_t outEp = 0x04);

}  // namespace vpcsc::test
