#include "vicc/transports/cardem.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <cstring>

#include "common/log.hpp"
#include "include/vpcsc/simtrace.h"

namespace vpcsc::vicc {
namespace {

std::string pcscError(const char* what, LONG rc) {
    return std::string(what) + ": " + pcsc_stringify_error(rc);
}

class CardemLink : public Link {
public:
    CardemLink(SCARDCONTEXT ctx, SCARDHANDLE card, std::string reader, int stopFd)
        : m_ctx(ctx), m_card(card), m_reader(std::move(reader)), m_stopFd(stopFd) {}

    ~CardemLink() override {
        Bytes ignored;
        if (m_armed) control(VPCSC_SIMTRACE_DISARM, {}, ignored);
        SCardDisconnect(m_card, SCARD_LEAVE_CARD);
        SCardReleaseContext(m_ctx);
    }

    std::optional<Bytes> receive() override {
        if (m_state == State::Start) {
            m_state = State::WantAtr;
            return Bytes{0x04};  // GET ATR: the session answers with the card's ATR
        }
        for (;;) {
            if (waitForStop(m_stopFd, 0)) throw Stopped{};
            Bytes ev;
            const Bytes timeoutMs{0xF4, 0x01};  // 500 ms
            const LONG rc = control(VPCSC_SIMTRACE_GET_EVENT, timeoutMs, ev);
            if (rc != SCARD_S_SUCCESS) throw TransportError(pcscError("GET_EVENT", rc));
            if (ev.empty()) continue;
            switch (ev[0]) {
                case VPCSC_SIMTRACE_EV_APDU:
                    if (ev.size() < 5) {
                        LOG_WARNING("cardem: short command from the phone: %s", toHex(ev).c_str());
                        continue;
                    }
                    m_state = State::WantResponse;
                    return Bytes(ev.begin() + 1, ev.end());
                case VPCSC_SIMTRACE_EV_RESET:
                    LOG_INFO("cardem: the phone reset the SIM");
                    return Bytes{0x02};
                case VPCSC_SIMTRACE_EV_POWER_ON:
                    LOG_INFO("cardem: the phone powered the SIM");
                    return Bytes{0x01};
                default: continue;  // PPS: negotiated by the firmware
            }
        }
    }

    void send(ByteView payload) override {
        Bytes ignored;
        if (m_state == State::WantAtr) {
            LONG rc = control(VPCSC_SIMTRACE_SET_ATR, payload, ignored);
            if (rc != SCARD_S_SUCCESS) throw TransportError(pcscError("SET_ATR", rc));
            rc = control(VPCSC_SIMTRACE_ARM, {}, ignored);
            if (rc != SCARD_S_SUCCESS) throw TransportError(pcscError("ARM", rc));
            m_armed = true;
            m_state = State::Armed;
            LOG_INFO("cardem: armed %s with ATR %s", m_reader.c_str(), toHex(payload).c_str());
            return;
        }
        if (m_state != State::WantResponse) return;
        m_state = State::Armed;
        const LONG rc = control(VPCSC_SIMTRACE_PUT_RESPONSE, payload, ignored);
        // The phone may have reset meanwhile: the response is simply void.
        if (rc != SCARD_S_SUCCESS) LOG_WARNING("cardem: response not delivered: %s", pcsc_stringify_error(rc));
    }

    std::string peer() const override { return "cardem:" + m_reader; }

private:
    enum class State { Start, WantAtr, Armed, WantResponse };

    LONG control(unsigned long code, ByteView in, Bytes& out) {
        out.assign(65536 + 16, 0);
        DWORD n = 0;
        const LONG rc = SCardControl(m_card, code, in.data(), static_cast<DWORD>(in.size()), out.data(),
                                     static_cast<DWORD>(out.size()), &n);
        out.resize(rc == SCARD_S_SUCCESS ? std::min<std::size_t>(n, out.size()) : 0);
        return rc;
    }

    SCARDCONTEXT m_ctx;
    SCARDHANDLE m_card;
    std::string m_reader;
    int m_stopFd;
    State m_state = State::Start;
    bool m_armed = false;
};

}  // namespace

CardemTransport::CardemTransport(std::string reader, int stopFd) : m_reader(std::move(reader)), m_stopFd(stopFd) {}

std::unique_ptr<Link> CardemTransport::open() {
    SCARDCONTEXT ctx = 0;
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rc != SCARD_S_SUCCESS) throw TransportError(pcscError("SCardEstablishContext", rc));
    DWORD len = 0;
    rc = SCardListReaders(ctx, nullptr, nullptr, &len);
    std::string names(len, '\0');
    if (rc == SCARD_S_SUCCESS && len > 0) rc = SCardListReaders(ctx, nullptr, names.data(), &len);
    std::string chosen;
    if (rc == SCARD_S_SUCCESS) {
        for (std::size_t p = 0; p < names.size() && names[p];) {
            const std::string name(names.c_str() + p);
            if (name.find(m_reader) != std::string::npos) {
                chosen = name;
                break;
            }
            p += name.size() + 1;
        }
    }
    if (chosen.empty()) {
        SCardReleaseContext(ctx);
        throw TransportError("no PC/SC reader matching '" + m_reader + "'");
    }
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    rc = SCardConnect(ctx, chosen.c_str(), SCARD_SHARE_DIRECT, 0, &card, &protocol);
    if (rc != SCARD_S_SUCCESS) {
        SCardReleaseContext(ctx);
        throw TransportError(pcscError(("SCardConnect " + chosen).c_str(), rc));
    }
    return std::make_unique<CardemLink>(ctx, card, chosen, m_stopFd);
}

std::string CardemTransport::describe() const { return "SIMtrace2 card emulation on reader '" + m_reader + "'"; }

std::string CardemTransport::unreachableHint() const {
    return "is pcscd running with ifd-simtrace, and a SIMtrace2 with cardem firmware plugged in?";
}

}  // namespace vpcsc::vicc
