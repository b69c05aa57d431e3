#include "vicc/relay/pcsc_card.hpp"

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "common/log.hpp"

namespace vpcsc::vicc::relay {
namespace {

std::string describe(const char* call, const std::string& reader, LONG rc) {
    char code[16];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rc) & 0xFFFFFFFFUL);
    std::string what = std::string(call) + (reader.empty() ? "" : " on '" + reader + "'") + ": " +
                       pcsc_stringify_error(rc) + " (" + code + ")";
    switch (rc) {
        case SCARD_E_NO_SERVICE: what += " — is pcscd running?"; break;
        case SCARD_E_SHARING_VIOLATION:
            what += " — another application holds the card exclusively (or --exclusive while others use it)";
            break;
        case SCARD_E_NO_SMARTCARD:
        case SCARD_W_REMOVED_CARD: what += " — no card in the reader"; break;
        default: break;
    }
    return what;
}

void check(const char* call, const std::string& reader, LONG rc) {
    if (rc != SCARD_S_SUCCESS) throw PcscError(describe(call, reader, rc), rc);
}

std::vector<std::string> listReaders(SCARDCONTEXT ctx) {
    DWORD len = 0;
    LONG rc = SCardListReaders(ctx, nullptr, nullptr, &len);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    check("SCardListReaders", "", rc);
    std::string buf(len, '\0');
    rc = SCardListReaders(ctx, nullptr, buf.data(), &len);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    check("SCardListReaders", "", rc);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < buf.size() && buf[i];) {
        const std::size_t end = buf.find('\0', i);
        names.push_back(buf.substr(i, end - i));
        i = end + 1;
    }
    return names;
}

std::string joinNames(const std::vector<std::string>& names) {
    if (names.empty()) return "(no readers)";
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + std::to_string(i) + ": '" + names[i] + "'";
    return s;
}

bool isRemoval(LONG rc) {
    return rc == SCARD_W_REMOVED_CARD || rc == SCARD_E_NO_SMARTCARD || rc == SCARD_E_READER_UNAVAILABLE ||
           rc == SCARD_E_UNKNOWN_READER || rc == SCARD_E_INVALID_HANDLE || rc == SCARD_E_NO_SERVICE ||
           rc == SCARD_W_UNPOWERED_CARD || rc == SCARD_W_UNRESPONSIVE_CARD;
}

}  // namespace

std::string chooseReader(const std::vector<std::string>& readers, const std::string& spec) {
    if (spec.empty()) throw std::runtime_error("the relay needs --reader N|NAME: readers are " + joinNames(readers));
    if (spec.find_first_not_of("0123456789") == std::string::npos && spec.size() <= 4) {
        const std::size_t i = std::stoul(spec);
        if (i < readers.size()) return readers[i];
        throw std::runtime_error("there is no reader " + spec + ": readers are " + joinNames(readers));
    }
    for (const auto& r : readers)
        if (r == spec) return r;
    std::vector<std::string> hits;
    for (const auto& r : readers)
        if (r.find(spec) != std::string::npos) hits.push_back(r);
    if (hits.size() == 1) return hits[0];
    if (hits.empty()) throw std::runtime_error("no reader matches '" + spec + "': readers are " + joinNames(readers));
    throw std::runtime_error("'" + spec + "' matches several readers (" + joinNames(hits) + "); give more of the name or an index");
}

PcscCard::PcscCard(PcscOptions options) : m_options(std::move(options)) {
    SCARDCONTEXT ctx = 0;
    check("SCardEstablishContext", "", SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx));
    m_context = ctx;
    try {
        m_reader = chooseReader(listReaders(ctx), m_options.reader);
        check("SCardEstablishContext", "", SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx));
        m_monitorContext = ctx;
    } catch (...) {
        SCardReleaseContext(m_context);
        throw;
    }
    m_absentFd = ::eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);  // absent until the monitor says otherwise
    // The monitor is not running yet: take the reader's state once now.
    SCARD_READERSTATE st{};
    st.szReader = m_reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    if (SCardGetStatusChange(m_context, 0, &st, 1) == SCARD_S_SUCCESS && (st.dwEventState & SCARD_STATE_PRESENT))
        setPresent(true);
}

PcscCard::~PcscCard() {
    m_stop = true;
    if (m_monitorContext) SCardCancel(m_monitorContext);
    if (m_monitor.joinable()) m_monitor.join();
    disconnect(SCARD_LEAVE_CARD);
    if (m_monitorContext) SCardReleaseContext(m_monitorContext);
    if (m_context) SCardReleaseContext(m_context);
    if (m_absentFd >= 0) ::close(m_absentFd);
}

void PcscCard::setPresent(bool present) {
    if (present) {
        std::uint64_t v;
        (void)!::read(m_absentFd, &v, sizeof v);  // drain: not readable any more
        m_insertion++;
        m_present = true;
    } else {
        m_present = false;
        const std::uint64_t one = 1;
        (void)!::write(m_absentFd, &one, sizeof one);
    }
}

bool PcscCard::present() const {
    return m_present && (m_handle == 0 || m_connectedInsertion == m_insertion);
}

void PcscCard::startMonitor() {
    m_monitor = std::thread([this] { monitor(); });
}

void PcscCard::monitor() {
    SCARD_READERSTATE st{};
    st.szReader = m_reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    bool wasPresent = m_present;
    while (!m_stop) {
        const LONG rc = SCardGetStatusChange(m_monitorContext, INFINITE, &st, 1);
        if (m_stop) break;
        if (rc == SCARD_E_TIMEOUT) continue;
        if (rc != SCARD_S_SUCCESS) {
            // Reader gone (SCARD_E_UNKNOWN_READER, pcscd restarted ...): absent, and look again soon.
            if (wasPresent) LOG_WARNING("%s", describe("SCardGetStatusChange", m_reader, rc).c_str());
            if (wasPresent) setPresent(false);
            wasPresent = false;
            if (rc == SCARD_E_NO_SERVICE || rc == SCARD_E_INVALID_HANDLE) {
                SCardReleaseContext(m_monitorContext);
                SCARDCONTEXT ctx = 0;
                if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx) == SCARD_S_SUCCESS)
                    m_monitorContext = ctx;
            }
            for (int i = 0; i < 10 && !m_stop; ++i) ::usleep(50 * 1000);
            st.dwCurrentState = SCARD_STATE_UNAWARE;
            continue;
        }
        const bool changedCounter = (st.dwEventState >> 16) != (st.dwCurrentState >> 16) &&
                                    st.dwCurrentState != SCARD_STATE_UNAWARE;
        st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
        const bool isPresent = (st.dwEventState & SCARD_STATE_PRESENT) && !(st.dwEventState & SCARD_STATE_MUTE);
        if (isPresent && wasPresent && changedCounter) {
            // Removed and inserted again between two looks: a new card for the session.
            LOG_INFO("the card in '%s' was replaced", m_reader.c_str());
            setPresent(false);
            setPresent(true);
        } else if (isPresent != wasPresent) {
            LOG_INFO("card %s '%s'", isPresent ? "inserted in" : "removed from", m_reader.c_str());
            setPresent(isPresent);
        }
        wasPresent = isPresent;
    }
}

bool PcscCard::waitForCard(int ms) {
    SCARD_READERSTATE st{};
    st.szReader = m_reader.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        const LONG rc = SCardGetStatusChange(m_context, static_cast<DWORD>(left > 0 ? left : 0), &st, 1);
        if (rc == SCARD_S_SUCCESS && (st.dwEventState & SCARD_STATE_PRESENT)) return true;
        if (rc != SCARD_S_SUCCESS || left <= 0) return false;
        st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
    }
}

void PcscCard::connect() {
    if (m_handle) return;
    const unsigned insertion = m_insertion;
    SCARDHANDLE h = 0;
    DWORD proto = 0;
    check("SCardConnect", m_reader,
          SCardConnect(m_context, m_reader.c_str(), m_options.exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED,
                       SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h, &proto));
    m_handle = h;
    m_protocol = proto;
    m_connectedInsertion = insertion;
    LOG_INFO("connected to '%s' (%s, %s)", m_reader.c_str(), protocolName(), m_options.exclusive ? "exclusive" : "shared");
}

void PcscCard::disconnect(unsigned long disposition) {
    if (!m_handle) return;
    SCardDisconnect(m_handle, disposition);
    m_handle = 0;
}

void PcscCard::reconnect(unsigned long initialization) {
    if (!m_handle) {
        connect();
        return;
    }
    DWORD proto = 0;
    const LONG rc = SCardReconnect(m_handle, m_options.exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED,
                                   SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, initialization, &proto);
    if (rc != SCARD_S_SUCCESS) {
        disconnect(SCARD_LEAVE_CARD);
        if (isRemoval(rc)) throw PcscError(describe("SCardReconnect", m_reader, rc), rc);
        connect();  // a stale handle (the card was swapped): start over
        return;
    }
    m_protocol = proto;
}

Bytes PcscCard::atr() {
    if (!m_handle) connect();
    BYTE atr[MAX_ATR_SIZE];
    DWORD atrLen = sizeof atr, state = 0, proto = 0, nameLen = 0;
    LONG rc = SCardStatus(m_handle, nullptr, &nameLen, &state, &proto, atr, &atrLen);
    if (rc == SCARD_W_RESET_CARD) {
        reconnect(SCARD_LEAVE_CARD);
        atrLen = sizeof atr;
        rc = SCardStatus(m_handle, nullptr, &nameLen, &state, &proto, atr, &atrLen);
    }
    check("SCardStatus", m_reader, rc);
    return Bytes(atr, atr + std::min<DWORD>(atrLen, sizeof atr));
}

const char* PcscCard::protocolName() const {
    return m_protocol == SCARD_PROTOCOL_T0 ? "T=0" : m_protocol == SCARD_PROTOCOL_T1 ? "T=1" : "T=?";
}

Bytes PcscCard::transmitOnce(ByteView command) {
    if (!m_handle) connect();
    const SCARD_IO_REQUEST* pci = m_protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    Bytes rx(MAX_BUFFER_SIZE_EXTENDED);
    DWORD rxLen = static_cast<DWORD>(rx.size());
    LONG rc = SCardTransmit(m_handle, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &rxLen);
    if (rc == SCARD_W_RESET_CARD) {
        // Another application reset the shared card: take note and send the command again.
        LOG_WARNING("the card in '%s' was reset by another application", m_reader.c_str());
        reconnect(SCARD_LEAVE_CARD);
        rxLen = static_cast<DWORD>(rx.size());
        rc = SCardTransmit(m_handle, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &rxLen);
    }
    if (rc != SCARD_S_SUCCESS) {
        if (isRemoval(rc)) disconnect(SCARD_LEAVE_CARD);
        throw PcscError(describe("SCardTransmit", m_reader, rc), rc);
    }
    if (rxLen < 2 || rxLen > rx.size()) throw PcscError("SCardTransmit on '" + m_reader + "': " + std::to_string(rxLen) + "-byte response", 0);
    rx.resize(rxLen);
    return rx;
}

Bytes PcscCard::transmit(ByteView command) {
    Bytes response = transmitOnce(command);
    if (!m_options.autoGetResponse || command.size() < 4) return response;
    // ISO 7816-4 §5.3.4 / 7816-3 §12.2: 6Cxx = send again with Le = xx; 61xx = GET RESPONSE.
    const std::uint8_t sw1 = response[response.size() - 2], sw2 = response.back();
    if (sw1 == 0x6C && response.size() == 2 && command.size() == 5) {
        Bytes again(command.begin(), command.end());
        again[4] = sw2;
        response = transmitOnce(again);
    }
    Bytes data;
    for (int i = 0; i < 256 && response.size() >= 2 && response[response.size() - 2] == 0x61; ++i) {
        data.insert(data.end(), response.begin(), response.end() - 2);
        // Keep the logical channel: CLA b2-b1 (first interindustry) or b4-b1 (further), §5.4.1.
        const std::uint8_t cla = static_cast<std::uint8_t>(command[0] & 0x40 ? command[0] & 0x4F : command[0] & 0x03);
        const Bytes getResponse{cla, 0xC0, 0x00, 0x00, response.back()};
        response = transmitOnce(getResponse);
    }
    if (data.empty()) return response;
    data.insert(data.end(), response.begin(), response.end());
    return data;
}

}  // namespace vpcsc::vicc::relay
