#include "ifd-simtrace/usb_device.hpp"

#include <libusb.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/log.hpp"
#include "common/ifd_error.hpp"
#include "ifd-simtrace/st2_protocol.hpp"

namespace vpcsc::simtrace {
namespace {

int parseInt(const std::string& s, int max, const char* what) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw ParseError(std::string("device name: bad ") + what + " '" + s + "'");
    const int v = std::stoi(s);
    if (v > max) throw ParseError(std::string("device name: ") + what + " " + s + " out of range");
    return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) return out;
        start = p + 1;
    }
}

std::string stringDescriptor(libusb_device_handle* h, std::uint8_t index) {
    if (index == 0) return {};
    unsigned char buf[256];
    const int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    if (n <= 0) return {};
    std::string s(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n));
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
    return s;
}

}  // namespace

UsbAddress parseDeviceName(const std::string& name) {
    // usb:VVVV/PPPP:libudev:IF:/dev/bus/usb/BBB/DDD   or   usb:VVVV/PPPP:libusb-1.0:BUS:ADDR:IF
    if (name.size() > 512 || name.rfind("usb:", 0) != 0) throw ParseError("device name '" + name + "' is not usb:...");
    const std::vector<std::string> f = split(name, ':');
    if (f.size() < 4) throw ParseError("device name '" + name + "' has too few fields");
    UsbAddress a;
    const std::vector<std::string> ids = split(f[1], '/');
    if (ids.size() != 2 || ids[0].size() != 4 || ids[1].size() != 4) throw ParseError("device name: bad ids " + f[1]);
    try {
        a.vendor = static_cast<std::uint16_t>(std::stoul(ids[0], nullptr, 16));
        a.product = static_cast<std::uint16_t>(std::stoul(ids[1], nullptr, 16));
    } catch (const std::exception&) {
        throw ParseError("device name: bad ids " + f[1]);
    }
    if (f[2] == "libudev" && f.size() == 5) {
        a.interface = parseInt(f[3], 255, "interface");
        const std::vector<std::string> path = split(f[4], '/');  // "", dev, bus, usb, BBB, DDD
        if (path.size() < 3) throw ParseError("device name: bad path " + f[4]);
        a.bus = parseInt(path[path.size() - 2], 255, "bus");
        a.address = parseInt(path[path.size() - 1], 255, "address");
    } else if (f[2] == "libusb-1.0" && f.size() == 6) {
        a.bus = parseInt(f[3], 255, "bus");
        a.address = parseInt(f[4], 255, "address");
        a.interface = parseInt(f[5], 255, "interface");
    } else {
        throw ParseError("device name '" + name + "': unknown form");
    }
    return a;
}

std::shared_ptr<UsbDevice> UsbDevice::open(const UsbAddress& address) {
    std::shared_ptr<UsbDevice> d(new UsbDevice);
    if (libusb_init(&d->m_ctx) != 0) {
        d->m_ctx = nullptr;
        throw IfdError(IfdCode::CommunicationError, "libusb_init failed");
    }
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(d->m_ctx, &list);
    libusb_device* found = nullptr;
    for (ssize_t i = 0; i < n; ++i) {
        if (libusb_get_bus_number(list[i]) == address.bus && libusb_get_device_address(list[i]) == address.address) {
            found = list[i];
            break;
        }
    }
    int rc = LIBUSB_ERROR_NO_DEVICE;
    if (found) rc = libusb_open(found, &d->m_handle);
    if (rc == 0) {
        libusb_device_descriptor dd{};
        libusb_get_device_descriptor(found, &dd);
        libusb_config_descriptor* cfg = nullptr;
        // The SIMtrace function is configuration 1 (configuration 2 only names the firmware version).
        if (libusb_get_config_descriptor_by_value(found, 1, &cfg) == 0) {
            for (int i = 0; i < cfg->bNumInterfaces; ++i) {
                if (cfg->interface[i].num_altsetting < 1) continue;
                const libusb_interface_descriptor& id = cfg->interface[i].altsetting[0];
                InterfaceInfo info;
                info.number = id.bInterfaceNumber;
                info.cls = id.bInterfaceClass;
                info.subclass = id.bInterfaceSubClass;
                info.protocol = id.bInterfaceProtocol;
                for (int e = 0; e < id.bNumEndpoints; ++e) {
                    const libusb_endpoint_descriptor& ep = id.endpoint[e];
                    const int type = ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
                    const bool in = ep.bEndpointAddress & LIBUSB_ENDPOINT_IN;
                    if (type == LIBUSB_TRANSFER_TYPE_BULK && in) info.epIn = ep.bEndpointAddress;
                    else if (type == LIBUSB_TRANSFER_TYPE_BULK) info.epOut = ep.bEndpointAddress;
                    else if (type == LIBUSB_TRANSFER_TYPE_INTERRUPT && in) info.epIrq = ep.bEndpointAddress;
                }
                info.name = stringDescriptor(d->m_handle, id.iInterface);
                d->m_interfaces.push_back(info);
            }
            libusb_free_config_descriptor(cfg);
        }
        libusb_config_descriptor* cfg2 = nullptr;
        if (libusb_get_config_descriptor_by_value(found, 2, &cfg2) == 0) {
            if (cfg2->bNumInterfaces > 0 && cfg2->interface[0].num_altsetting > 0)
                d->m_firmware = stringDescriptor(d->m_handle, cfg2->interface[0].altsetting[0].iInterface);
            libusb_free_config_descriptor(cfg2);
        }
        d->m_product = stringDescriptor(d->m_handle, dd.iProduct);
        d->m_serial = stringDescriptor(d->m_handle, dd.iSerialNumber);
    }
    if (list) libusb_free_device_list(list, 1);
    if (rc != 0) {
        libusb_exit(d->m_ctx);
        d->m_ctx = nullptr;
        throw IfdError(IfdCode::NoSuchDevice, "cannot open USB device " + address.key() + ": " + libusb_error_name(rc));
    }
    d->m_thread = std::thread([raw = d.get()] { raw->run(); });
    LOG_INFO("SIMtrace2 %s serial %s firmware %s at %s", d->m_product.c_str(), d->m_serial.c_str(),
             d->m_firmware.empty() ? "?" : d->m_firmware.c_str(), address.key().c_str());
    return d;
}

UsbDevice::~UsbDevice() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    if (m_handle) libusb_close(m_handle);
    if (m_ctx) libusb_exit(m_ctx);
}

void UsbDevice::run() {
    while (!m_stop) {
        timeval tv{0, 50 * 1000};
        const int rc = libusb_handle_events_timeout_completed(m_ctx, &tv, nullptr);
        if (rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED && rc != LIBUSB_ERROR_TIMEOUT) {
            LOG_ERROR("libusb event loop: %s", libusb_error_name(rc));
            if (rc == LIBUSB_ERROR_NO_DEVICE) markGone();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

void UsbDevice::markGone() { m_gone = true; }

std::optional<InterfaceInfo> UsbDevice::interface(int number) const {
    for (const InterfaceInfo& i : m_interfaces)
        if (i.number == number) return i;
    return std::nullopt;
}

std::shared_ptr<UsbLink> UsbDevice::claim(const InterfaceInfo& info, Handler onMessage, GoneHandler onGone) {
    if (m_gone) throw IfdError(IfdCode::NoSuchDevice, "device is gone");
    std::shared_ptr<UsbLink> link(new UsbLink(shared_from_this(), info, std::move(onMessage), std::move(onGone)));
    link->start();
    return link;
}

// ---- UsbLink ----------------------------------------------------------------------------------

UsbLink::UsbLink(std::shared_ptr<UsbDevice> device, InterfaceInfo info, UsbDevice::Handler onMessage,
                 UsbDevice::GoneHandler onGone)
    : m_device(std::move(device)), m_info(std::move(info)), m_onMessage(std::move(onMessage)), m_onGone(std::move(onGone)) {}

UsbLink::~UsbLink() { close(); }

void UsbLink::start() {
    const int rc = libusb_claim_interface(m_device->m_handle, m_info.number);
    if (rc != 0)
        throw IfdError(rc == LIBUSB_ERROR_NO_DEVICE ? IfdCode::NoSuchDevice : IfdCode::CommunicationError,
                       "cannot claim interface " + std::to_string(m_info.number) + ": " + libusb_error_name(rc));
    m_claimed = true;
    std::vector<std::pair<std::uint8_t, bool>> eps;
    for (int i = 0; i < kBulkInTransfers && m_info.epIn; ++i) eps.emplace_back(m_info.epIn, false);
    if (m_info.epIrq) eps.emplace_back(m_info.epIrq, true);
    std::lock_guard lock(m_mutex);
    for (auto [ep, irq] : eps) {
        libusb_transfer* t = libusb_alloc_transfer(0);
        if (!t) throw IfdError(IfdCode::CommunicationError, "libusb_alloc_transfer failed");
        auto* buf = new unsigned char[kInBufferSize];
        if (irq) libusb_fill_interrupt_transfer(t, m_device->m_handle, ep, buf, 64, &UsbLink::inCallback, this, 0);
        else libusb_fill_bulk_transfer(t, m_device->m_handle, ep, buf, kInBufferSize, &UsbLink::inCallback, this, 0);
        const int s = libusb_submit_transfer(t);
        if (s != 0) {
            delete[] buf;
            libusb_free_transfer(t);
            throw IfdError(s == LIBUSB_ERROR_NO_DEVICE ? IfdCode::NoSuchDevice : IfdCode::CommunicationError,
                           std::string("cannot submit IN transfer: ") + libusb_error_name(s));
        }
        m_inflight.push_back(t);
    }
}

bool UsbLink::gone() const { return m_gone || m_device->gone(); }

void UsbLink::finished(libusb_transfer* t) {  // with m_mutex held
    m_inflight.erase(std::remove(m_inflight.begin(), m_inflight.end(), t), m_inflight.end());
    delete[] t->buffer;
    libusb_free_transfer(t);
    m_cv.notify_all();
}

void UsbLink::deviceGone() {
    if (!m_gone.exchange(true)) {
        m_device->markGone();
        LOG_INFO("SIMtrace2 interface %d: device gone", m_info.number);
        if (m_onGone) m_onGone();
    }
}

void UsbLink::inCallback(libusb_transfer* t) {
    auto* self = static_cast<UsbLink*>(t->user_data);
    const bool irq = t->type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
    bool closing;
    {
        std::lock_guard lock(self->m_mutex);
        closing = self->m_closing;
    }
    switch (t->status) {
        case LIBUSB_TRANSFER_COMPLETED:
            if (!closing && self->m_onMessage) {
                try {
                    self->m_onMessage(ByteView(t->buffer, static_cast<std::size_t>(std::max(t->actual_length, 0))), irq);
                } catch (const std::exception& e) {
                    LOG_ERROR("SIMtrace2 message handler: %s", e.what());
                }
            }
            break;
        case LIBUSB_TRANSFER_NO_DEVICE:
            self->deviceGone();
            break;
        case LIBUSB_TRANSFER_CANCELLED:
            break;
        default:  // STALL, ERROR, OVERFLOW, TIMEOUT: log and keep listening
            LOG_WARNING("SIMtrace2 IN endpoint %02x: transfer status %d", t->endpoint, static_cast<int>(t->status));
            break;
    }
    bool goneNow = false;
    {
        std::lock_guard lock(self->m_mutex);
        if (!self->m_closing && !self->m_gone && t->status != LIBUSB_TRANSFER_CANCELLED) {
            const int rc = libusb_submit_transfer(t);
            if (rc == 0) return;
            LOG_ERROR("SIMtrace2 IN endpoint %02x: resubmit failed: %s", t->endpoint, libusb_error_name(rc));
            goneNow = rc == LIBUSB_ERROR_NO_DEVICE;
        }
        self->finished(t);
    }
    if (goneNow) self->deviceGone();  // outside the link mutex: the handler takes the reader's
}

void UsbLink::outCallback(libusb_transfer* t) {
    auto* self = static_cast<UsbLink*>(t->user_data);
    if (t->status == LIBUSB_TRANSFER_NO_DEVICE) self->deviceGone();
    else if (t->status != LIBUSB_TRANSFER_COMPLETED && t->status != LIBUSB_TRANSFER_CANCELLED)
        LOG_WARNING("SIMtrace2 OUT endpoint %02x: transfer status %d", t->endpoint, static_cast<int>(t->status));
    std::lock_guard lock(self->m_mutex);
    self->finished(t);
}

void UsbLink::send(Bytes data) {
    if (gone()) throw IfdError(IfdCode::NoSuchDevice, "device is gone");
    if (!m_info.epOut) throw IfdError(IfdCode::NotSupported, "interface has no OUT endpoint");
    if (data.empty() || data.size() > st2::kMaxMessage)
        throw IfdError(IfdCode::CommunicationError, "OUT transfer of " + std::to_string(data.size()) + " bytes");
    LOG_COMM("SIMtrace2 if %d >> %s", m_info.number, toHex(data).c_str());
    std::lock_guard lock(m_mutex);
    if (m_closing) throw IfdError(IfdCode::NoSuchDevice, "link closed");
    libusb_transfer* t = libusb_alloc_transfer(0);
    if (!t) throw IfdError(IfdCode::CommunicationError, "libusb_alloc_transfer failed");
    auto* buf = new unsigned char[data.size()];
    std::memcpy(buf, data.data(), data.size());
    libusb_fill_bulk_transfer(t, m_device->m_handle, m_info.epOut, buf, static_cast<int>(data.size()),
                              &UsbLink::outCallback, this, 1000);
    const int rc = libusb_submit_transfer(t);
    if (rc != 0) {
        delete[] buf;
        libusb_free_transfer(t);
        throw IfdError(rc == LIBUSB_ERROR_NO_DEVICE ? IfdCode::NoSuchDevice : IfdCode::CommunicationError,
                       std::string("OUT transfer: ") + libusb_error_name(rc));
    }
    m_inflight.push_back(t);
}

void UsbLink::close() {
    std::unique_lock lock(m_mutex);
    if (m_closing && m_inflight.empty() && !m_claimed) return;
    m_closing = true;
    for (libusb_transfer* t : m_inflight) libusb_cancel_transfer(t);
    // The worker thread completes them (CANCELLED, or NO_DEVICE after an unplug).
    if (!m_cv.wait_for(lock, std::chrono::seconds(3), [&] { return m_inflight.empty(); }))
        LOG_ERROR("SIMtrace2 interface %d: %zu transfers did not come back; leaking them", m_info.number,
                  m_inflight.size());
    if (m_claimed) {
        m_claimed = false;
        if (!m_device->gone()) libusb_release_interface(m_device->m_handle, m_info.number);
    }
}

}  // namespace vpcsc::simtrace
