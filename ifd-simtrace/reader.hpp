// One pcscd reader per SIMtrace2 function interface (doc/simtrace.md):
//  - TraceReader (sniffer firmware, subclass 1): the phone<->SIM link seen from the side; the card
//    is present when an ATR was sniffed since the last reset; nothing is ever sent to the device.
//  - CardemReader (card-emulation firmware, subclass 2): the PC/SC client plays the SIM through
//    SCardControl escapes; present = armed, VCC on and RST released.
// Both keep a ring of trace records (READ_TRACE escape) and optionally send GSMTAP.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "common/bytes.hpp"
#include "ifd-simtrace/trace_sinks.hpp"
#include "ifd-simtrace/st2_protocol.hpp"
#include "ifd-simtrace/t0_engine.hpp"
#include "ifd-simtrace/trace.hpp"
#include "ifd-simtrace/usb_device.hpp"

namespace vpcsc::simtrace {

class Reader {
public:
    Reader(unsigned long lun, std::shared_ptr<UsbDevice> device, InterfaceInfo info, const Config& config);
    virtual ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // Claims the interface and starts listening; throws IfdError.
    virtual void start();
    // Stops the polling function, closes the link. No callback runs afterwards.
    void close();

    virtual bool present() = 0;
    virtual Bytes powerUp() = 0;  // the link's ATR; never touches the phone
    Bytes atr();
    // SCardControl escape; throws IfdError.
    virtual Bytes control(unsigned long code, ByteView input, std::size_t capacity);

    // TAG_IFD_POLLING_THREAD_WITH_TIMEOUT: returns on a presence change, stop or timeout.
    void waitForEvent(int timeoutMs);
    void stopPolling();
    void checkDevice() const;  // throws IfdError(NoSuchDevice) after an unplug

protected:
    virtual void onMessage(const st2::Message& m, bool irq) = 0;  // worker thread, m_mutex held
    virtual std::uint8_t kind() const = 0;
    virtual bool armed() const { return false; }
    virtual std::uint32_t statusFlags() const { return 0; }
    void record(std::uint8_t type, std::uint32_t flags, ByteView data);  // ring buffer (+ GSMTAP by caller)
    void gsmtap(std::uint8_t subType, ByteView payload);
    void notifyLocked();  // a presence-relevant change: wake the polling function
    void send(const Bytes& message);

    unsigned long m_lun;
    std::shared_ptr<UsbDevice> m_device;
    InterfaceInfo m_info;
    Config m_config;
    std::shared_ptr<UsbLink> m_link;
    std::shared_ptr<TraceSinks> m_sinks;  // GSMTAP / pcap; null when neither is configured
    TraceRing m_ring;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::uint64_t m_generation = 0;
    bool m_closed = false;         // close(): every wait returns
    bool m_stopRequested = false;  // TAG_IFD_STOP_POLLING_THREAD: wakes the polling function once
    bool m_gone = false;
    Bytes m_atr;

private:
    void dispatch(ByteView transfer, bool irq);
};

class TraceReader : public Reader {
public:
    using Reader::Reader;
    bool present() override;
    Bytes powerUp() override;

protected:
    void onMessage(const st2::Message& m, bool irq) override;
    std::uint8_t kind() const override { return 1; }

private:
    bool m_present = false;
    bool m_ppsResponseNext = false;
};

class CardemReader : public Reader {
public:
    static const Bytes kDefaultAtr;  // the firmware's default ATR
    CardemReader(unsigned long lun, std::shared_ptr<UsbDevice> device, InterfaceInfo info, const Config& config);
    void start() override;
    bool present() override;
    Bytes powerUp() override;
    Bytes control(unsigned long code, ByteView input, std::size_t capacity) override;

protected:
    void onMessage(const st2::Message& m, bool irq) override;
    std::uint8_t kind() const override { return 2; }
    bool armed() const override { return m_armed; }
    std::uint32_t statusFlags() const override { return m_status; }

private:
    struct Event {
        std::uint8_t type;
        Bytes data;
        std::uint64_t seq = 0;  // commands: the engine's command number
    };
    void arm();
    void disarm();
    bool presentLocked() const;
    void queue(Event e);
    Bytes getEvent(ByteView input, std::size_t capacity);
    void putResponse(ByteView rapdu);
    void sendTx(const std::vector<st2::T0Engine::TxRequest>& tx);

    bool m_armed = false;
    std::uint32_t m_status = 0;
    st2::T0Engine m_engine;
    std::deque<Event> m_events;
    std::uint64_t m_commandSeq = 0;   // the command the engine waits a response for
    std::uint64_t m_fetchedSeq = 0;   // the command last handed to the client
    Bytes m_command;                  // that command, for the APDU trace record
};

}  // namespace vpcsc::simtrace
