#include "ifd-simtrace/reader.hpp"

#include <algorithm>
#include <chrono>

#include "common/log.hpp"
#include "common/ifd_error.hpp"
#include "ifd-simtrace/registry.hpp"
#include "include/vpcsc/simtrace.h"

namespace vpcsc::simtrace {

using namespace st2;

// ---- Reader -----------------------------------------------------------------------------------

Reader::Reader(unsigned long lun, std::shared_ptr<UsbDevice> device, InterfaceInfo info, const Config& config)
    : m_lun(lun), m_device(std::move(device)), m_info(std::move(info)), m_config(config),
      m_sinks(Registry::instance().traceSinks()) {}

Reader::~Reader() { close(); }

void Reader::start() {
    m_link = m_device->claim(
        m_info, [this](ByteView transfer, bool irq) { dispatch(transfer, irq); },
        [this] {
            std::lock_guard lock(m_mutex);
            m_gone = true;
            notifyLocked();
        });
}

void Reader::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_cv.notify_all();
    }
    if (m_link) m_link->close();  // without m_mutex: callbacks still running take it
}

void Reader::dispatch(ByteView transfer, bool irq) {
    LOG_COMM("SIMtrace2 if %d << %s%s", m_info.number, irq ? "(irq) " : "", toHex(transfer).c_str());
    if (transfer.empty()) return;  // a ZLP
    std::lock_guard lock(m_mutex);
    try {
        const Message m = parseMessage(transfer);
        onMessage(m, irq);
    } catch (const IfdError& e) {
        LOG_WARNING("SIMtrace2 if %d: %s", m_info.number, e.what());
    } catch (const ParseError& e) {
        LOG_WARNING("SIMtrace2 if %d: dropping malformed message (%zu bytes): %s", m_info.number, transfer.size(), e.what());
    }
}

Bytes Reader::atr() {
    std::lock_guard lock(m_mutex);
    return m_atr;
}

void Reader::checkDevice() const {
    if (m_gone || (m_link && m_link->gone())) throw IfdError(IfdCode::NoSuchDevice, "SIMtrace2 device is gone");
}

void Reader::waitForEvent(int timeoutMs) {
    std::unique_lock lock(m_mutex);
    checkDevice();
    const std::uint64_t seen = m_generation;
    m_cv.wait_for(lock, std::chrono::milliseconds(std::clamp(timeoutMs, 0, 60000)),
                  [&] { return m_closed || m_stopRequested || m_gone || m_generation != seen; });
    // pcscd also asks for a stop just to wake the thread (SCardDisconnect): one-shot.
    m_stopRequested = false;
    checkDevice();
}

void Reader::stopPolling() {
    std::lock_guard lock(m_mutex);
    m_stopRequested = true;
    m_cv.notify_all();
}

void Reader::notifyLocked() {
    ++m_generation;
    m_cv.notify_all();
}

void Reader::record(std::uint8_t type, std::uint32_t flags, ByteView data) {
    m_ring.push({type, flags, nowUs(), Bytes(data.begin(), data.end())});
}

void Reader::gsmtap(std::uint8_t subType, ByteView payload) {
    if (m_sinks) m_sinks->emit(subType, payload);
}

void Reader::send(const Bytes& message) {
    checkDevice();
    m_link->send(message);
}

Bytes Reader::control(unsigned long code, ByteView input, std::size_t capacity) {
    switch (code) {
        case VPCSC_SIMTRACE_GET_INFO: {
            std::lock_guard lock(m_mutex);
            Bytes out{kind(), static_cast<std::uint8_t>(armed() ? 1 : 0)};
            const std::uint32_t s = statusFlags();
            for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(s >> (8 * i)));
            const std::uint16_t dropped = m_ring.dropped();
            out.push_back(static_cast<std::uint8_t>(dropped));
            out.push_back(static_cast<std::uint8_t>(dropped >> 8));
            out.push_back(static_cast<std::uint8_t>(m_atr.size()));
            append(out, m_atr);
            return out;
        }
        case VPCSC_SIMTRACE_READ_TRACE: {
            std::size_t maxRecords = SIZE_MAX;
            if (input.size() == 2) maxRecords = input[0] | input[1] << 8;
            else if (!input.empty()) throw IfdError(IfdCode::CommunicationError, "READ_TRACE takes an optional u16");
            if (capacity < kRecordHeader) throw IfdError(IfdCode::InsufficientBuffer, "READ_TRACE buffer too small");
            return m_ring.take(capacity, maxRecords);
        }
        default: break;
    }
    throw IfdError(IfdCode::NotSupported, "unknown control code " + std::to_string(code));
}

// ---- TraceReader ------------------------------------------------------------------------------

bool TraceReader::present() {
    std::lock_guard lock(m_mutex);
    checkDevice();
    return m_present;
}

Bytes TraceReader::powerUp() {
    std::lock_guard lock(m_mutex);
    checkDevice();
    if (!m_present) throw IfdError(IfdCode::IccNotPresent, "no ATR sniffed since the last reset");
    return m_atr;
}

void TraceReader::onMessage(const Message& m, bool) {
    if (m.header.msgClass != static_cast<std::uint8_t>(MsgClass::Sniff))
        throw ParseError(std::string("unexpected ") + messageName(m.header) + " on a sniffer interface");
    switch (m.header.msgType) {
        case sniff::CHANGE: {
            const std::uint32_t flags = decodeU32(m.payload);
            record(VPCSC_SIMTRACE_REC_CHANGE, flags, {});
            LOG_DEBUG("sniff: %s", describeFlags(flags, MsgClass::Sniff, sniff::CHANGE).c_str());
            if (flags & (SNIFF_CHANGE_RESET_ASSERT | SNIFF_CHANGE_CARD_EJECT)) {
                if (m_present) {
                    m_present = false;
                    m_atr.clear();
                    notifyLocked();
                }
            }
            break;
        }
        case sniff::FIDI: record(VPCSC_SIMTRACE_REC_FIDI, 0, m.payload.first(std::min<std::size_t>(m.payload.size(), 1)));
            (void)decodeByte(m.payload);
            break;
        case sniff::ATR: {
            const DataPayload d = decodeData(m.payload);
            record(VPCSC_SIMTRACE_REC_ATR, d.flags, d.data);
            gsmtap(gsmtap::kSimAtr, d.data);
            m_ppsResponseNext = false;
            if (d.data.empty() || d.data.size() > kMaxAtr || (d.flags & SNIFF_DATA_ERROR_INCOMPLETE)) {
                LOG_INFO("sniff: unusable ATR (%s)", describeFlags(d.flags, MsgClass::Sniff, sniff::ATR).c_str());
                break;
            }
            m_atr = d.data;
            m_present = true;
            notifyLocked();
            break;
        }
        case sniff::PPS: {
            const DataPayload d = decodeData(m.payload);
            record(VPCSC_SIMTRACE_REC_PPS, d.flags, d.data);
            gsmtap(m_ppsResponseNext ? gsmtap::kSimPpsRsp : gsmtap::kSimPpsReq, d.data);
            m_ppsResponseNext = !m_ppsResponseNext;
            break;
        }
        case sniff::TPDU: {
            const DataPayload d = decodeData(m.payload);
            record(VPCSC_SIMTRACE_REC_TPDU, d.flags, d.data);
            gsmtap(gsmtap::kSimApdu, d.data);
            break;
        }
        default: throw ParseError(std::string("unknown sniff message type ") + std::to_string(m.header.msgType));
    }
}

// ---- CardemReader -----------------------------------------------------------------------------

const Bytes CardemReader::kDefaultAtr = {0x3B, 0x80, 0x80, 0x81, 0x1F, 0xC7, 0x59};

CardemReader::CardemReader(unsigned long lun, std::shared_ptr<UsbDevice> device, InterfaceInfo info, const Config& config)
    : Reader(lun, std::move(device), std::move(info), config) {
    m_atr = kDefaultAtr;
}

void CardemReader::start() {
    Reader::start();
    if (m_config.autoArm) {
        std::lock_guard lock(m_mutex);
        arm();
    }
}

bool CardemReader::presentLocked() const {
    return m_armed && (m_status & STATUS_F_VCC_PRESENT) && !(m_status & STATUS_F_RESET_ACTIVE);
}

bool CardemReader::present() {
    std::lock_guard lock(m_mutex);
    checkDevice();
    return presentLocked();
}

Bytes CardemReader::powerUp() {
    std::lock_guard lock(m_mutex);
    checkDevice();
    if (!presentLocked()) throw IfdError(IfdCode::IccNotPresent, "the phone has not powered the emulated SIM");
    return m_atr;
}

void CardemReader::arm() {
    Bytes out = st2::config({FEAT_F_STATUS_IRQ, {}, {}});
    append(out, setAtr(m_atr));
    append(out, cardInsert(true));
    append(out, simSelect(true));
    append(out, statusRequest());
    send(out);
    m_armed = true;
    LOG_INFO("cardem if %d armed: the phone now talks to the emulator", m_info.number);
}

void CardemReader::disarm() {
    Bytes out = cardInsert(false);
    append(out, simSelect(false));
    const bool wasPresent = presentLocked();
    m_armed = false;
    m_engine.reset();
    m_events.clear();
    if (wasPresent) notifyLocked();
    send(out);
    LOG_INFO("cardem if %d disarmed: the phone has its physical SIM back", m_info.number);
}

void CardemReader::queue(Event e) {
    if (m_events.size() >= 64) m_events.pop_front();  // a client that stopped reading
    m_events.push_back(std::move(e));
    m_cv.notify_all();
}

void CardemReader::sendTx(const std::vector<T0Engine::TxRequest>& tx) {
    for (const auto& t : tx) send(txData(t.flags, t.data));
}

void CardemReader::onMessage(const Message& m, bool) {
    if (m.is(MsgClass::Cardem, cardem::BD_STATUS)) {
        const Status s = decodeStatus(m.payload);
        const bool was = presentLocked();
        const std::uint32_t old = m_status;
        m_status = s.flags;
        const bool now = presentLocked();
        LOG_DEBUG("cardem status %s", describeFlags(s.flags, MsgClass::Cardem, cardem::BD_STATUS).c_str());
        if (old != m_status) record(VPCSC_SIMTRACE_REC_CHANGE, m_status, {});
        if (was && !now) {
            m_engine.reset();
            // Commands not yet fetched are void now.
            std::erase_if(m_events, [](const Event& e) { return e.type == VPCSC_SIMTRACE_EV_APDU; });
            queue({VPCSC_SIMTRACE_EV_RESET, encodeU32(m_status)});
            notifyLocked();
        } else if (!was && now) {
            m_engine.reset();
            queue({VPCSC_SIMTRACE_EV_POWER_ON, {}});
            gsmtap(gsmtap::kSimAtr, m_atr);
            notifyLocked();
        }
        return;
    }
    if (m.is(MsgClass::Cardem, cardem::DO_RX_DATA)) {
        const DataPayload d = decodeData(m.payload);
        if (!m_armed) throw ParseError("RX_DATA while disarmed");
        T0Engine::Result r;
        try {
            r = m_engine.onRxData(d.flags, d.data);
        } catch (const ParseError& e) {
            LOG_WARNING("cardem if %d: %s", m_info.number, e.what());
            return;
        }
        if (r.command) {
            ++m_commandSeq;
            std::erase_if(m_events, [](const Event& e) { return e.type == VPCSC_SIMTRACE_EV_APDU; });
            LOG_COMM("cardem if %d phone: %s", m_info.number, log::maskCommandApdu(*r.command).c_str());
            queue({VPCSC_SIMTRACE_EV_APDU, std::move(*r.command), m_commandSeq});
        }
        sendTx(r.tx);
        return;
    }
    if (m.is(MsgClass::Cardem, cardem::DO_PTS)) {
        const Pts p = decodePts(m.payload);
        const ByteView req(p.request.data(), p.length);
        record(VPCSC_SIMTRACE_REC_PPS, 0, req);
        gsmtap(gsmtap::kSimPpsReq, req);
        queue({VPCSC_SIMTRACE_EV_PPS, Bytes(req.begin(), req.end())});
        return;
    }
    if (m.is(MsgClass::Cardem, cardem::BD_CONFIG)) {
        const st2::Config c = decodeConfig(m.payload);
        LOG_DEBUG("cardem if %d: firmware features 0x%x", m_info.number, c.features);
        return;
    }
    throw ParseError(std::string("unexpected ") + messageName(m.header) + " on a card-emulation interface");
}

Bytes CardemReader::getEvent(ByteView input, std::size_t capacity) {
    int timeoutMs = 500;
    if (input.size() == 2) timeoutMs = std::min(500, input[0] | input[1] << 8);
    else if (!input.empty()) throw IfdError(IfdCode::CommunicationError, "GET_EVENT takes an optional u16 timeout");
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_closed || m_gone || !m_events.empty(); });
    checkDevice();
    if (m_events.empty()) return {};
    if (capacity < 1 + m_events.front().data.size()) throw IfdError(IfdCode::InsufficientBuffer, "GET_EVENT buffer too small");
    Event e = std::move(m_events.front());
    m_events.pop_front();
    if (e.type == VPCSC_SIMTRACE_EV_APDU) {
        m_fetchedSeq = e.seq;
        m_command = e.data;
    }
    Bytes out{e.type};
    append(out, e.data);
    return out;
}

void CardemReader::putResponse(ByteView rapdu) {
    std::lock_guard lock(m_mutex);
    checkDevice();
    if (m_engine.state() != T0Engine::State::WaitResponse || m_fetchedSeq != m_commandSeq)
        throw IfdError(IfdCode::CommunicationError, "PUT_RESPONSE: no command waits for a response (phone reset or moved on)");
    std::vector<T0Engine::TxRequest> tx;
    try {
        tx = m_engine.onResponse(rapdu);
    } catch (const ParseError& e) {
        throw IfdError(IfdCode::CommunicationError, std::string("PUT_RESPONSE: ") + e.what());
    }
    Bytes exchange = m_command;
    append(exchange, rapdu);
    record(VPCSC_SIMTRACE_REC_APDU, 0, exchange);
    gsmtap(gsmtap::kSimApdu, exchange);
    sendTx(tx);
}

Bytes CardemReader::control(unsigned long code, ByteView input, std::size_t capacity) {
    switch (code) {
        case VPCSC_SIMTRACE_SET_ATR: {
            if (input.empty() || input.size() > kMaxAtr)
                throw IfdError(IfdCode::CommunicationError, "SET_ATR: ATR of " + std::to_string(input.size()) + " bytes");
            std::lock_guard lock(m_mutex);
            m_atr.assign(input.begin(), input.end());
            if (m_armed) send(setAtr(m_atr));
            return {};
        }
        case VPCSC_SIMTRACE_ARM: {
            std::lock_guard lock(m_mutex);
            checkDevice();
            arm();
            return {};
        }
        case VPCSC_SIMTRACE_DISARM: {
            std::lock_guard lock(m_mutex);
            checkDevice();
            disarm();
            return {};
        }
        case VPCSC_SIMTRACE_GET_EVENT: return getEvent(input, capacity);
        case VPCSC_SIMTRACE_PUT_RESPONSE:
            if (input.size() < 2 || input.size() > 65538)
                throw IfdError(IfdCode::CommunicationError, "PUT_RESPONSE of " + std::to_string(input.size()) + " bytes");
            putResponse(input);
            return {};
        default: return Reader::control(code, input, capacity);
    }
}

}  // namespace vpcsc::simtrace
