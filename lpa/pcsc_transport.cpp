#include "lpa/pcsc_transport.hpp"

#include <PCSC/pcsclite.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace vpcsc::lpa {

namespace {

std::string pcscMessage(const std::string& what, LONG rc) {
    return what + ": " + pcsc_stringify_error(rc);
}

struct ContextGuard {
    SCARDCONTEXT ctx = 0;
    ContextGuard() {
        const LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
        if (rc != SCARD_S_SUCCESS) throw TransportError(pcscMessage("SCardEstablishContext", rc));
    }
    ~ContextGuard() {
        if (ctx) SCardReleaseContext(ctx);
    }
    SCARDCONTEXT release() { return std::exchange(ctx, 0); }
};

std::vector<std::string> readersOf(SCARDCONTEXT ctx) {
    DWORD len = 0;
    LONG rc = SCardListReaders(ctx, nullptr, nullptr, &len);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    if (rc != SCARD_S_SUCCESS) throw TransportError(pcscMessage("SCardListReaders", rc));
    std::string buf(len, '\0');
    rc = SCardListReaders(ctx, nullptr, buf.data(), &len);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    if (rc != SCARD_S_SUCCESS) throw TransportError(pcscMessage("SCardListReaders", rc));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < buf.size() && buf[i];) {
        const std::size_t end = buf.find('\0', i);
        names.push_back(buf.substr(i, end - i));
        if (end == std::string::npos) break;
        i = end + 1;
    }
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + ("'" + n + "'");
    return s.empty() ? "none" : s;
}

std::string resolve(const std::vector<std::string>& names, const std::string& spec) {
    if (names.empty()) throw TransportError("no PC/SC reader found");
    if (spec.empty()) return names.front();
    if (std::all_of(spec.begin(), spec.end(), [](unsigned char c) { return std::isdigit(c); })) {
        const std::size_t i = spec.size() > 6 ? names.size() : std::stoul(spec);
        if (i >= names.size()) throw TransportError("no reader number " + spec + " (readers: " + joined(names) + ")");
        return names[i];
    }
    if (std::find(names.begin(), names.end(), spec) != names.end()) return spec;
    std::vector<std::string> hits;
    for (const auto& n : names)
        if (n.find(spec) != std::string::npos) hits.push_back(n);
    if (hits.size() != 1)
        throw TransportError((hits.empty() ? "no reader matches '" : "more than one reader matches '") + spec +
                             "' (readers: " + joined(names) + ")");
    return hits.front();
}

}  // namespace

std::vector<std::string> PcscTransport::listReaders() {
    ContextGuard g;
    return readersOf(g.ctx);
}

PcscTransport::PcscTransport(const std::string& reader) {
    ContextGuard g;
    m_reader = resolve(readersOf(g.ctx), reader);
    const LONG rc = SCardConnect(g.ctx, m_reader.c_str(), SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T0, &m_card, &m_protocol);
    if (rc != SCARD_S_SUCCESS) throw TransportError(pcscMessage("SCardConnect '" + m_reader + "' (T=0, exclusive)", rc));
    m_ctx = g.release();
}

PcscTransport::~PcscTransport() {
    if (m_card) SCardDisconnect(m_card, SCARD_LEAVE_CARD);
    if (m_ctx) SCardReleaseContext(m_ctx);
}

Bytes PcscTransport::transmit(ByteView commandApdu) {
    Bytes rx(258 + 2);  // a short R-APDU: 256 data bytes + SW (T=0 never carries more)
    DWORD len = static_cast<DWORD>(rx.size());
    const SCARD_IO_REQUEST* pci = m_protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    const LONG rc = SCardTransmit(m_card, pci, commandApdu.data(), static_cast<DWORD>(commandApdu.size()), nullptr,
                                  rx.data(), &len);
    if (rc != SCARD_S_SUCCESS) throw TransportError(pcscMessage("SCardTransmit", rc));
    if (len < 2 || len > rx.size()) throw TransportError("card answered fewer than 2 bytes");
    rx.resize(len);
    return rx;
}

}  // namespace vpcsc::lpa
