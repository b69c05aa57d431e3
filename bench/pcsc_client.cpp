#include "bench/pcsc_client.hpp"

#include <PCSC/reader.h>

#include <thread>

namespace vpcsc::bench {

namespace {
void check(LONG rv, const char* what) {
    if (rv != SCARD_S_SUCCESS) throw PcscError(what, rv);
}
}  // namespace

PcscError::PcscError(const std::string& what, LONG c)
    : std::runtime_error(what + ": " + pcsc_stringify_error(c)), code(c) {}

Context::Context() { check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &m_ctx), "SCardEstablishContext"); }

Context::~Context() { SCardReleaseContext(m_ctx); }

std::vector<std::string> Context::readers() const {
    DWORD len = 0;
    LONG rv = SCardListReaders(m_ctx, nullptr, nullptr, &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::string buf(len, '\0');
    rv = SCardListReaders(m_ctx, nullptr, buf.data(), &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::vector<std::string> out;
    for (const char* p = buf.c_str(); *p; p += std::char_traits<char>::length(p) + 1) out.emplace_back(p);
    return out;
}

std::string Context::resolve(const std::string& spec) const {
    const auto all = readers();
    if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos) {
        const std::size_t i = std::stoul(spec);
        if (i < all.size()) return all[i];
        throw PcscError("no reader #" + spec, SCARD_E_UNKNOWN_READER);
    }
    std::vector<std::string> hits;
    for (const auto& r : all) {
        if (r == spec) return r;
        if (r.find(spec) != std::string::npos) hits.push_back(r);
    }
    if (hits.size() == 1) return hits[0];
    throw PcscError("no unique reader matching '" + spec + "'", SCARD_E_UNKNOWN_READER);
}

bool Context::waitReader(const std::string& spec, std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        try {
            resolve(spec);
            return true;
        } catch (const PcscError&) {
        }
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Clock::time_point Context::waitPresence(const std::string& reader, Presence want,
                                        std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    SCARD_READERSTATE st{};
    st.szReader = reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return {};
        const LONG rv = SCardGetStatusChange(m_ctx, static_cast<DWORD>(left.count()), &st, 1);
        const auto now = Clock::now();
        if (rv == SCARD_E_TIMEOUT) return {};
        check(rv, "SCardGetStatusChange");
        const DWORD s = st.dwEventState;
        if (want == Presence::Present ? (s & SCARD_STATE_PRESENT) : (s & SCARD_STATE_EMPTY)) return now;
        st.dwCurrentState = s & ~SCARD_STATE_CHANGED;
    }
}

Card::Card(const Context& ctx, const std::string& reader) : m_rx(MAX_BUFFER_SIZE_EXTENDED) {
    check(SCardConnect(ctx.handle(), reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                       &m_card, &m_protocol),
          "SCardConnect");
}

Card::~Card() { SCardDisconnect(m_card, SCARD_LEAVE_CARD); }

Bytes Card::transmit(ByteView apdu) {
    const SCARD_IO_REQUEST* pci = m_protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    DWORD len = static_cast<DWORD>(m_rx.size());
    check(SCardTransmit(m_card, pci, apdu.data(), static_cast<DWORD>(apdu.size()), nullptr, m_rx.data(), &len),
          "SCardTransmit");
    return Bytes(m_rx.begin(), m_rx.begin() + len);
}

Bytes Card::atr() const {
    Bytes buf(MAX_ATR_SIZE + 1);
    DWORD len = static_cast<DWORD>(buf.size());
    check(SCardGetAttrib(m_card, SCARD_ATTR_ATR_STRING, buf.data(), &len), "SCardGetAttrib(ATR)");
    buf.resize(len);
    return buf;
}

}  // namespace vpcsc::bench
