// The libusb-1.0 transport of ifd-simtrace: one UsbDevice per physical device (shared by the
// readers of its interfaces) with one worker thread running libusb's event loop, and one
// UsbLink per claimed SIMtrace2 function interface that keeps kBulkInTransfers bulk IN and one
// interrupt IN transfer always submitted (the firmware queues only 3 messages per endpoint and
// drops the oldest) and sends host->device messages with asynchronous OUT transfers.
// Only this file and usb_device.cpp include libusb.h.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.hpp"
#include "common/ifd_error.hpp"

struct libusb_context;
struct libusb_device_handle;
struct libusb_transfer;

namespace vpcsc::simtrace {

using ifd::IfdCode;  // common/ifd_error.hpp, shared with ifd-vpcd
using ifd::IfdError;

// Where pcscd says the device is: "usb:1d50/60e3:libudev:<if>:/dev/bus/usb/BBB/DDD" or
// "usb:1d50/60e3:libusb-1.0:<bus>:<addr>:<if>".
struct UsbAddress {
    std::uint16_t vendor = 0, product = 0;
    int bus = 0, address = 0, interface = 0;
    std::string key() const { return std::to_string(bus) + ":" + std::to_string(address); }
};
UsbAddress parseDeviceName(const std::string& name);  // throws ParseError

struct InterfaceInfo {
    int number = 0;
    std::uint8_t cls = 0, subclass = 0, protocol = 0;
    std::uint8_t epOut = 0, epIn = 0, epIrq = 0;  // 0 = absent
    std::string name;                              // iInterface string
};

class UsbLink;

class UsbDevice : public std::enable_shared_from_this<UsbDevice> {
public:
    // Opens the device at bus/address and starts its worker thread. Throws IfdError(NoSuchDevice).
    static std::shared_ptr<UsbDevice> open(const UsbAddress& address);
    ~UsbDevice();
    UsbDevice(const UsbDevice&) = delete;
    UsbDevice& operator=(const UsbDevice&) = delete;

    // Interface of configuration 1 (alt 0); nullopt when absent.
    std::optional<InterfaceInfo> interface(int number) const;
    const std::string& product() const { return m_product; }
    const std::string& serial() const { return m_serial; }
    const std::string& firmware() const { return m_firmware; }
    bool gone() const { return m_gone; }

    using Handler = std::function<void(ByteView message, bool irq)>;
    using GoneHandler = std::function<void()>;
    // Claims the interface and starts its IN transfers; handlers run on the worker thread.
    std::shared_ptr<UsbLink> claim(const InterfaceInfo& info, Handler onMessage, GoneHandler onGone);

private:
    friend class UsbLink;
    UsbDevice() = default;
    void run();
    void markGone();

    libusb_context* m_ctx = nullptr;
    libusb_device_handle* m_handle = nullptr;
    std::vector<InterfaceInfo> m_interfaces;
    std::string m_product, m_serial, m_firmware;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_gone{false};
};

class UsbLink {
public:
    static constexpr int kBulkInTransfers = 4;
    static constexpr int kInBufferSize = 4096;

    ~UsbLink();
    // Queues one OUT transfer (one or more concatenated messages, <= 280 bytes). Throws
    // IfdError(NoSuchDevice) when the device is gone, CommunicationError when submission fails.
    void send(Bytes data);
    // Cancels every transfer, waits for them to come back, releases the interface. Idempotent;
    // no handler runs after it returns.
    void close();
    bool gone() const;

private:
    friend class UsbDevice;
    UsbLink(std::shared_ptr<UsbDevice> device, InterfaceInfo info, UsbDevice::Handler onMessage,
            UsbDevice::GoneHandler onGone);
    void start();
    static void inCallback(libusb_transfer* t);
    static void outCallback(libusb_transfer* t);
    void finished(libusb_transfer* t);
    void deviceGone();

    std::shared_ptr<UsbDevice> m_device;
    InterfaceInfo m_info;
    UsbDevice::Handler m_onMessage;
    UsbDevice::GoneHandler m_onGone;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<libusb_transfer*> m_inflight;  // every submitted transfer, IN and OUT
    bool m_closing = false;
    bool m_claimed = false;
    std::atomic<bool> m_gone{false};
};

}  // namespace vpcsc::simtrace
