// The relay card (vicc -t relay --reader N|NAME): a real card, reached through libpcsclite, presented
// in the vpcd reader; optional man-in-the-middle hook (--mitm). doc/relay.md.
//
// Power mapping: the first power on after connecting uses the connection as it is; a power on
// after a power off is SCardReconnect(SCARD_UNPOWER_CARD) (cold reset), a reset is
// SCardReconnect(SCARD_RESET_CARD) (warm reset). The real card's ATR is presented (after the
// hook's on_reset). When the real card leaves, present() turns false and the session drops the
// vpcd connection; when it is back, the session connects again.
#include <sys/eventfd.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include <chrono>
#include <thread>

#include "common/log.hpp"
#include "vicc/cards/cards.hpp"
#include "vicc/relay/mitm.hpp"
#include "vicc/relay/pcsc_card.hpp"
#include "vicc/transports/vpcd_client.hpp"

namespace vpcsc::vicc {
namespace {

using relay::Hook;
using relay::PcscCard;
using relay::PcscError;

const Bytes kNoPreciseDiagnosis = {0x6F, 0x00};  // ISO 7816-4 §5.6

class RelayCard : public Card {
public:
    RelayCard(std::unique_ptr<PcscCard> real, std::unique_ptr<Hook> hook) : m_real(std::move(real)), m_hook(std::move(hook)) {
        if (m_real->connected()) refreshAtr();
    }

    Bytes atr() const override {
        auto* self = const_cast<RelayCard*>(this);
        if (!self->ensureConnected()) throw std::runtime_error("no card in '" + m_real->readerName() + "'");
        return m_atr;
    }

    void powerOn() override {
        if (m_real->connected() && m_poweredOff) {
            guard("cold reset", [&] { m_real->reconnect(SCARD_UNPOWER_CARD); });
            refreshAtr();
        } else {
            ensureConnected();
        }
        m_poweredOff = false;
    }

    void powerOff() override {
        m_poweredOff = true;
        if (!m_real->present()) m_real->disconnect(SCARD_LEAVE_CARD);  // the session dropped us: it left
    }

    void reset() override {
        if (!m_real->connected()) {
            ensureConnected();
            return;
        }
        guard("warm reset", [&] { m_real->reconnect(SCARD_RESET_CARD); });
        refreshAtr();
    }

    Bytes process(ByteView commandApdu) override {
        Bytes command(commandApdu.begin(), commandApdu.end());
        if (m_hook) {
            Bytes answer;
            switch (m_hook->onCommand(command, answer)) {
                case Hook::Verdict::Answer: return answer;
                case Hook::Verdict::Drop: return kNoPreciseDiagnosis;
                case Hook::Verdict::Forward: break;
            }
        }
        Bytes response;
        try {
            if (!ensureConnected()) return kNoPreciseDiagnosis;
            response = m_real->transmit(command);
        } catch (const PcscError& e) {
            LOG_ERROR("%s", e.what());
            return kNoPreciseDiagnosis;
        }
        if (m_hook && m_hook->onResponse(command, response) == Hook::Verdict::Drop) return kNoPreciseDiagnosis;
        return response;
    }

    bool present() const override { return m_real->present(); }
    int absentFd() const override { return m_real->absentFd(); }

    // A relay has no state of its own: the real card keeps it.
    nlohmann::json saveState() const override { return nlohmann::json::object(); }
    void loadState(const nlohmann::json&) override {}

private:
    // Connects if needed; false (logged once) if the card cannot be reached now.
    bool ensureConnected() {
        if (m_real->connected()) return true;
        try {
            m_real->connect();
            refreshAtr();
            m_lastError.clear();
            return true;
        } catch (const PcscError& e) {
            if (m_lastError != e.what()) LOG_ERROR("%s", e.what());
            m_lastError = e.what();
            return false;
        }
    }

    void refreshAtr() {
        try {
            m_atr = m_real->atr();
        } catch (const PcscError& e) {
            LOG_ERROR("%s", e.what());
            return;
        }
        if (m_hook) m_hook->onReset(m_atr);
        LOG_INFO("real card ATR %s (%s)", toHex(m_atr).c_str(), m_real->protocolName());
    }

    template <typename F>
    void guard(const char* what, F f) {
        try {
            f();
        } catch (const PcscError& e) {
            LOG_ERROR("%s: %s", what, e.what());
        }
    }

    std::unique_ptr<PcscCard> m_real;
    std::unique_ptr<Hook> m_hook;
    Bytes m_atr = {0x3B, 0x00};
    bool m_poweredOff = false;
    std::string m_lastError;
};

// Refuses to relay the reader this vicc is itself presented in. Only an empty target can be that
// reader (this vicc is not connected yet), so with an empty target: connect to our own vpcd slot
// for a moment, answering power-up with the ATR 3B 00, and see whether the target shows a card.
void refuseSelfRelay(PcscCard& real, const CardOptions& options) {
    if (real.present() || options.vpcdHost.empty()) return;
    const int stop = ::eventfd(0, EFD_CLOEXEC);
    if (stop < 0) return;
    VpcdClient probe(options.vpcdHost, std::to_string(options.vpcdPort), stop);
    std::unique_ptr<Link> link;
    try {
        link = probe.open();
    } catch (...) {
        ::close(stop);
        return;  // no vpcd reader there (yet): it cannot be the target
    }
    std::thread answer([&] {
        try {
            while (auto frame = link->receive())
                if (frame->size() == 1 && (*frame)[0] == 0x04) link->send(Bytes{0x3B, 0x00});
        } catch (...) {
        }
    });
    const bool self = real.waitForCard(1500);
    const std::uint64_t one = 1;
    (void)!::write(stop, &one, sizeof one);
    answer.join();
    link.reset();
    ::close(stop);
    if (self)
        throw std::runtime_error("refusing to relay '" + real.readerName() + "': it is the reader this vicc is presented in (vpcd " +
                                 options.vpcdHost + ":" + std::to_string(options.vpcdPort) + "); choose another --reader");
    // Let pcscd see the probe card leave before the real session starts.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

std::unique_ptr<Card> createRelayCard(const CardOptions& options) {
    std::unique_ptr<Hook> hook;
    if (!options.mitm.empty()) {
        hook = relay::loadHook(options.mitm);
        LOG_INFO("man in the middle: %s", hook->describe().c_str());
    }
    relay::PcscOptions po;
    po.reader = options.reader;
    po.exclusive = options.exclusive;
    po.autoGetResponse = options.autoGetResponse;
    auto real = std::make_unique<PcscCard>(po);
    refuseSelfRelay(*real, options);
    if (real->present()) {
        real->connect();  // now, so that a sharing violation is a clear error at start
    } else {
        LOG_WARNING("no card in '%s' yet: the virtual card appears when one is inserted", real->readerName().c_str());
    }
    real->startMonitor();
    LOG_INFO("relaying '%s'", real->readerName().c_str());
    return std::make_unique<RelayCard>(std::move(real), std::move(hook));
}

}  // namespace vpcsc::vicc
