#include "tests/simtrace/sim_st2.hpp"

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "ifd-simtrace/st2_protocol.hpp"

namespace vpcsc::test {

struct SimSimtrace::Urb {
    UMockdevIoctlData* urbData = nullptr;  // our reference
    UMockdevIoctlData* bufData = nullptr;  // may be null (zero-length)
    std::uint8_t type = 0, endpoint = 0;
    int bufferLength = 0;
    unsigned long clientAddr = 0;
};

namespace {

UMockdevTestbed* g_testbed = nullptr;
std::mutex g_testbedMutex;
int g_nextDevnum = 10;

UMockdevTestbed* testbed() {
    std::lock_guard lock(g_testbedMutex);
    if (!g_testbed) g_testbed = umockdev_testbed_new();  // before umockdev_in_mock_environment()
    return g_testbed;
}

void put16(Bytes& b, unsigned v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}

Bytes iface(int number, int cls, int sub, int proto, int iInterface, std::vector<std::uint8_t> eps) {
    Bytes d{9, 4, static_cast<std::uint8_t>(number), 0, static_cast<std::uint8_t>(eps.size()), static_cast<std::uint8_t>(cls),
            static_cast<std::uint8_t>(sub), static_cast<std::uint8_t>(proto), static_cast<std::uint8_t>(iInterface)};
    for (std::uint8_t ep : eps) {
        const bool irq = ep == 0x86 || ep == 0x83;
        Bytes e{7, 5, ep, static_cast<std::uint8_t>(irq ? 3 : 2), 64, 0, static_cast<std::uint8_t>(irq ? 1 : 0)};
        append(d, e);
    }
    return d;
}

Bytes dfuRuntime(int number) {
    Bytes d = iface(number, 0xFE, 0x01, 0x01, 0, {});
    append(d, Bytes{9, 0x21, 0x0B, 0xFF, 0x00, 0x00, 0x01, 0x10, 0x01});  // DFU functional descriptor
    return d;
}

Bytes config(int value, int iConfiguration, std::vector<Bytes> interfaces) {
    Bytes body;
    for (const Bytes& i : interfaces) append(body, i);
    Bytes c{9, 2};
    put16(c, static_cast<unsigned>(9 + body.size()));
    c.push_back(static_cast<std::uint8_t>(interfaces.size()));
    c.push_back(static_cast<std::uint8_t>(value));
    c.push_back(static_cast<std::uint8_t>(iConfiguration));
    c.push_back(0x80);
    c.push_back(50);
    append(c, body);
    return c;
}

std::string stringFor(Board board, int index) {
    switch (index) {
        case 1: return "sysmocom - s.f.m.c. GmbH";
        case 2: return board == Board::QmodCardem ? "sysmoQMOD (Quad Modem)" : "SIMtrace 2";
        case 3: return "SIMtrace Sniffer";
        case 5: return "SIMtrace Card Emulation";
        case 7: return "CardEmulator Modem 1";
        case 8: return "CardEmulator Modem 2";
        case 11: return "00112233445566778899aabbccddeeff";
        case 12: return "firmware version";
        case 13: return "0.8.1-simulated";
        default: return {};
    }
}

gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    return static_cast<SimSimtrace*>(self)->handleIoctlPublic(client) ? TRUE : FALSE;
}

}  // namespace

bool umockdevAvailable() {
    testbed();
    return umockdev_in_mock_environment();
}

SimSimtrace::SimSimtrace(Board board) : m_board(board) {
    UMockdevTestbed* tb = testbed();
    {
        std::lock_guard lock(g_testbedMutex);
        m_devnum = g_nextDevnum++;
    }
    char devnum[8];
    std::snprintf(devnum, sizeof devnum, "%03d", m_devnum);
    m_devnode = std::string("/dev/bus/usb/001/") + devnum;
    const std::string port = "1-" + std::to_string(m_devnum);
    m_sysfs = "/sys/devices/pci0000:00/0000:00:14.0/usb1/" + port;

    const bool qmod = board == Board::QmodCardem;
    Bytes desc{18, 1, 0x00, 0x02, 0, 0, 0, 64};
    put16(desc, 0x1D50);
    put16(desc, qmod ? 0x4004 : 0x60E3);
    put16(desc, 0x0002);
    append(desc, Bytes{1, 2, 11, static_cast<std::uint8_t>(board == Board::DfuMode ? 1 : 2)});
    switch (board) {
        case Board::SimtraceCardem:
            append(desc, config(1, 5, {iface(0, 0xFF, 0x02, 0, 7, {0x04, 0x85, 0x86}), dfuRuntime(1)}));
            break;
        case Board::SimtraceTrace:
            append(desc, config(1, 3, {iface(0, 0xFF, 0x01, 0, 3, {0x01, 0x82, 0x83}), dfuRuntime(1)}));
            break;
        case Board::QmodCardem:
            append(desc, config(1, 5, {iface(0, 0xFF, 0x02, 0, 7, {0x04, 0x85, 0x86}),
                                      iface(1, 0xFF, 0x02, 0, 8, {0x01, 0x82, 0x83}), dfuRuntime(2)}));
            break;
        case Board::DfuMode: {
            Bytes dfu = iface(0, 0xFE, 0x01, 0x02, 0, {});
            append(dfu, Bytes{9, 0x21, 0x0B, 0xFF, 0x00, 0x00, 0x01, 0x10, 0x01});
            append(desc, config(1, 0, {dfu}));
            break;
        }
    }
    if (board != Board::DfuMode) append(desc, config(2, 12, {iface(0, 0xFF, 0xFF, 0, 13, {})}));

    std::string text;
    text += "P: " + m_sysfs.substr(4) + "\n";
    text += "N: bus/usb/001/" + std::string(devnum) + "\n";
    text += "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n";
    text += "E: DEVNAME=" + m_devnode + "\n";
    text += "E: BUSNUM=001\nE: DEVNUM=" + std::string(devnum) + "\n";
    text += "A: busnum=1\\n\nA: devnum=" + std::to_string(m_devnum) + "\\n\n";
    text += std::string("A: idVendor=1d50\\n\nA: idProduct=") + (qmod ? "4004" : "60e3") + "\\n\n";
    text += "A: speed=12\\n\nA: bConfigurationValue=1\\n\nA: bNumConfigurations=2\\n\n";
    text += "A: product=" + stringFor(board, 2) + "\\n\n";
    text += "A: serial=" + stringFor(board, 11) + "\\n\n";
    text += "A: bNumInterfaces=" + std::string(board == Board::QmodCardem ? " 3" : board == Board::DfuMode ? " 1" : " 2") + "\\n\n";
    text += "H: descriptors=" + toHex(desc, 0) + "\n";
    // usb_interface children: pcscd's libudev hot-plug makes one reader per interface from them.
    struct If {
        int number, cls, sub, proto, str;
    };
    std::vector<If> ifs;
    switch (board) {
        case Board::SimtraceCardem: ifs = {{0, 0xFF, 2, 0, 7}, {1, 0xFE, 1, 1, 0}}; break;
        case Board::SimtraceTrace: ifs = {{0, 0xFF, 1, 0, 3}, {1, 0xFE, 1, 1, 0}}; break;
        case Board::QmodCardem: ifs = {{0, 0xFF, 2, 0, 7}, {1, 0xFF, 2, 0, 8}, {2, 0xFE, 1, 1, 0}}; break;
        case Board::DfuMode: ifs = {{0, 0xFE, 1, 2, 0}}; break;
    }
    for (const If& i : ifs) {
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "\nP: %s/%s:1.%d\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\nE: INTERFACE=%d/%d/%d\n"
                      "A: bInterfaceNumber=%02x\\n\nA: bInterfaceClass=%02x\\n\nA: bInterfaceSubClass=%02x\\n\n"
                      "A: bInterfaceProtocol=%02x\\n\nA: interface=%s\\n\n",
                      m_sysfs.substr(4).c_str(), port.c_str(), i.number, i.cls, i.sub, i.proto, i.number, i.cls, i.sub,
                      i.proto, i.str ? stringFor(board, i.str).c_str() : "DFU");
        text += buf;
    }
    GError* err = nullptr;
    if (!umockdev_testbed_add_from_string(tb, text.c_str(), &err)) {
        const std::string msg = err ? err->message : "?";
        if (err) g_error_free(err);
        throw std::runtime_error("umockdev_testbed_add_from_string: " + msg);
    }
    UMockdevIoctlBase* handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(onIoctl), this);
    m_handler = handler;
    if (!umockdev_testbed_attach_ioctl(tb, m_devnode.c_str(), handler, &err)) {
        const std::string msg = err ? err->message : "?";
        if (err) g_error_free(err);
        throw std::runtime_error("umockdev_testbed_attach_ioctl: " + msg);
    }
}

SimSimtrace::~SimSimtrace() {
    UMockdevTestbed* tb = testbed();
    umockdev_testbed_detach_ioctl(tb, m_devnode.c_str(), nullptr);
    umockdev_testbed_remove_device(tb, m_sysfs.c_str());
    std::lock_guard lock(m_mutex);
    for (Urb* u : m_submitted) {
        if (u->bufData) g_object_unref(u->bufData);
        g_object_unref(u->urbData);
        delete u;
    }
    for (Urb* u : m_completed) {
        if (u->bufData) g_object_unref(u->bufData);
        g_object_unref(u->urbData);
        delete u;
    }
    g_object_unref(static_cast<UMockdevIoctlBase*>(m_handler));
}

std::string SimSimtrace::deviceName(int interface) const {
    return std::string("usb:1d50/") + (m_board == Board::QmodCardem ? "4004" : "60e3") + ":libudev:" +
           std::to_string(interface) + ":" + m_devnode;
}

void SimSimtrace::completeLocked(Urb* urb, int status, ByteView data) {
    const std::size_t n = std::min<std::size_t>(data.size(), static_cast<std::size_t>(urb->bufferLength));
    if (n && urb->bufData) umockdev_ioctl_data_update(urb->bufData, 0, const_cast<guint8*>(data.data()), static_cast<gint>(n));
    usbdevfs_urb copy;
    std::memcpy(&copy, urb->urbData->data, sizeof copy);
    copy.status = (data.size() > n) ? -EOVERFLOW : status;
    copy.actual_length = static_cast<int>(n);
    umockdev_ioctl_data_update(urb->urbData, 0, reinterpret_cast<guint8*>(&copy), sizeof copy);
    m_submitted.erase(std::remove(m_submitted.begin(), m_submitted.end(), urb), m_submitted.end());
    m_completed.push_back(urb);
    m_cv.notify_all();
}

void SimSimtrace::tryDeliverLocked(std::uint8_t ep) {
    auto& q = m_inQueue[ep];
    while (!q.empty()) {
        Urb* target = nullptr;
        for (Urb* u : m_submitted)
            if (u->endpoint == ep) {
                target = u;
                break;
            }
        if (!target) return;
        const Bytes msg = std::move(q.front());
        q.pop_front();
        completeLocked(target, 0, msg);
    }
}

void SimSimtrace::send(std::uint8_t ep, ByteView message) {
    std::lock_guard lock(m_mutex);
    auto& q = m_inQueue[ep];
    q.emplace_back(message.begin(), message.end());
    tryDeliverLocked(ep);
    if (q.size() > 3) {  // USB_MAX_QLEN: the oldest goes
        q.pop_front();
        ++m_droppedIn;
    }
}

std::vector<Bytes> SimSimtrace::received(std::uint8_t ep) {
    std::lock_guard lock(m_mutex);
    std::vector<Bytes> out(m_out[ep].begin(), m_out[ep].end());
    m_out[ep].clear();
    return out;
}

Bytes SimSimtrace::waitReceived(std::uint8_t ep, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, timeout, [&] { return !m_out[ep].empty(); })) return {};
    Bytes b = std::move(m_out[ep].front());
    m_out[ep].pop_front();
    return b;
}

int SimSimtrace::pendingIn(std::uint8_t ep) {
    std::lock_guard lock(m_mutex);
    return static_cast<int>(std::count_if(m_submitted.begin(), m_submitted.end(), [&](Urb* u) { return u->endpoint == ep; }));
}

bool SimSimtrace::waitPendingIn(std::uint8_t ep, int count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, timeout, [&] {
        return std::count_if(m_submitted.begin(), m_submitted.end(), [&](Urb* u) { return u->endpoint == ep; }) >= count;
    });
}

void SimSimtrace::unplug() {
    std::lock_guard lock(m_mutex);
    m_unplugged = true;
    const std::vector<Urb*> pending = m_submitted;
    for (Urb* u : pending) completeLocked(u, -ENODEV, {});
}

bool SimSimtrace::handleIoctlPublic(void* c) { return handleIoctl(c); }

bool SimSimtrace::handleIoctl(void* c) {
    auto* client = static_cast<UMockdevIoctlClient*>(c);
    const unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    std::lock_guard lock(m_mutex);
    if (m_unplugged && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY &&
        request != USBDEVFS_DISCARDURB) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return true;
    }
    switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            GError* err = nullptr;
            UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(std::uint32_t), &err);
            if (!d) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
            }
            std::uint32_t caps = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
                                 USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
            umockdev_ioctl_data_update(d, 0, reinterpret_cast<guint8*>(&caps), sizeof caps);
            umockdev_ioctl_client_complete(client, 0, 0);
            g_object_unref(d);
            return true;
        }
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_RELEASEINTERFACE:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_SETCONFIGURATION:
        case USBDEVFS_CLEAR_HALT:
        case USBDEVFS_RESET:
        case USBDEVFS_RESETEP:
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        case USBDEVFS_GETDRIVER:
            umockdev_ioctl_client_complete(client, -1, ENODATA);
            return true;
        case USBDEVFS_SUBMITURB: {
            GError* err = nullptr;
            UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), &err);
            if (!d) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
            }
            const auto* u = reinterpret_cast<const usbdevfs_urb*>(d->data);
            auto* urb = new Urb;
            urb->urbData = d;
            urb->type = u->type;
            urb->endpoint = u->endpoint;
            urb->bufferLength = u->buffer_length;
            urb->clientAddr = d->client_addr;
            if (u->buffer_length > 0)
                urb->bufData = umockdev_ioctl_data_resolve(d, offsetof(usbdevfs_urb, buffer),
                                                           static_cast<gsize>(u->buffer_length), &err);
            m_submitted.push_back(urb);
            umockdev_ioctl_client_complete(client, 0, 0);
            if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
                Bytes answer;
                int status = -EPIPE;  // STALL unless we know the request
                if (urb->bufData && urb->bufferLength >= 8) {
                    const std::uint8_t* s = urb->bufData->data;
                    const int wLength = s[6] | s[7] << 8;
                    if (s[0] == 0x80 && s[1] == 6 && s[3] == 3) {  // GET_DESCRIPTOR(STRING)
                        Bytes str;
                        if (s[2] == 0) {
                            str = {4, 3, 0x09, 0x04};
                            status = 0;
                        } else if (const std::string t = stringFor(m_board, s[2]); !t.empty()) {
                            str = {static_cast<std::uint8_t>(2 + 2 * t.size()), 3};
                            for (char ch : t) {
                                str.push_back(static_cast<std::uint8_t>(ch));
                                str.push_back(0);
                            }
                            status = 0;
                        }
                        if (str.size() > static_cast<std::size_t>(wLength)) str.resize(static_cast<std::size_t>(wLength));
                        answer.assign(s, s + 8);
                        append(answer, str);
                    }
                }
                if (status == 0) completeLocked(urb, 0, answer);
                else completeLocked(urb, status, {});
                // actual_length of a control URB counts the data stage only
                if (status == 0) {
                    usbdevfs_urb copy;
                    std::memcpy(&copy, urb->urbData->data, sizeof copy);
                    copy.actual_length = static_cast<int>(answer.size() - 8);
                    umockdev_ioctl_data_update(urb->urbData, 0, reinterpret_cast<guint8*>(&copy), sizeof copy);
                }
            } else if (!(urb->endpoint & 0x80)) {
                const bool sniffer = m_board == Board::SimtraceTrace;
                if (!sniffer) {  // the sniffer firmware never arms its OUT endpoint
                    const ByteView data = urb->bufData ? ByteView(urb->bufData->data, static_cast<std::size_t>(urb->bufferLength))
                                                       : ByteView();
                    try {
                        for (const st2::Message& m : st2::splitMessages(data))
                            m_out[urb->endpoint].emplace_back(data.begin() + (m.payload.data() - data.data()) -
                                                                  static_cast<long>(st2::kHeaderSize),
                                                              data.begin() + (m.payload.data() - data.data()) +
                                                                  static_cast<long>(m.payload.size()));
                    } catch (const ParseError&) {
                        m_out[urb->endpoint].emplace_back(data.begin(), data.end());  // kept raw for the test
                    }
                    completeLocked(urb, 0, {});
                    usbdevfs_urb copy;
                    std::memcpy(&copy, urb->urbData->data, sizeof copy);
                    copy.actual_length = urb->bufferLength;
                    umockdev_ioctl_data_update(urb->urbData, 0, reinterpret_cast<guint8*>(&copy), sizeof copy);
                } else {
                    m_out[urb->endpoint].emplace_back(Bytes{0xEE});  // marker: the host wrote to a sniffer
                    m_cv.notify_all();
                }
            } else {
                tryDeliverLocked(urb->endpoint);
                m_cv.notify_all();
            }
            return true;
        }
        case USBDEVFS_DISCARDURB: {
            const unsigned long addr = *reinterpret_cast<const unsigned long*>(arg->data);
            for (Urb* u : m_submitted) {
                if (u->clientAddr == addr) {
                    completeLocked(u, -ENOENT, {});
                    umockdev_ioctl_client_complete(client, 0, 0);
                    return true;
                }
            }
            umockdev_ioctl_client_complete(client, -1, EINVAL);
            return true;
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            if (m_completed.empty()) {
                umockdev_ioctl_client_complete(client, -1, m_unplugged ? ENODEV : EAGAIN);
                return true;
            }
            Urb* urb = m_completed.front();
            m_completed.pop_front();
            GError* err = nullptr;
            UMockdevIoctlData* slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), &err);
            if (!slot) {
                umockdev_ioctl_client_complete(client, -1, EFAULT);
                return true;
            }
            umockdev_ioctl_data_set_ptr(slot, 0, urb->urbData);
            umockdev_ioctl_client_complete(client, 0, 0);
            g_object_unref(slot);
            if (urb->bufData) g_object_unref(urb->bufData);
            g_object_unref(urb->urbData);
            delete urb;
            return true;
        }
        default:
            umockdev_ioctl_client_complete(client, -1, ENOTTY);
            return true;
    }
}

Bytes phoneTpdu(SimSimtrace& sim, ByteView header, ByteView data, std::uint8_t inEp, std::uint8_t outEp) {
    using namespace st2;
    sim.send(inEp, encodeMessage(MsgClass::Cardem, cardem::DO_RX_DATA, encodeData({DATA_F_TPDU_HDR, Bytes(header.begin(), header.end())})));
    Bytes seen;
    for (;;) {
        const Bytes raw = sim.waitReceived(outEp, std::chrono::milliseconds(3000));
        if (raw.empty()) return {};
        const Message m = parseMessage(raw);
        if (!m.is(MsgClass::Cardem, cardem::DT_TX_DATA)) continue;  // e.g. SET_ATR
        const DataPayload d = decodeData(m.payload);
        append(seen, d.data);
        if (d.flags & DATA_F_PB_AND_RX) {
            sim.send(inEp, encodeMessage(MsgClass::Cardem, cardem::DO_RX_DATA, encodeData({DATA_F_FINAL, Bytes(data.begin(), data.end())})));
            continue;
        }
        if (d.flags & DATA_F_FINAL) return seen;
    }
}

}  // namespace vpcsc::test
