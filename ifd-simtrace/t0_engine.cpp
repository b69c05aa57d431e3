#include "ifd-simtrace/t0_engine.hpp"

#include <algorithm>
#include <string>

#include "ifd-simtrace/st2_protocol.hpp"

namespace vpcsc::st2 {
namespace {

struct Entry {
    std::uint8_t ins;
    P3Meaning p3;
    bool case4;
};

// INS -> meaning of P3 (UICC TS 102 221 §10.1.2, GSM TS 51.011 §9.2, ISO 7816-4 Table 4). A
// command listed as Lc with case4 returns data through GET RESPONSE.
constexpr Entry kTable[] = {
    {0x04, P3Meaning::Lc, false},  // DEACTIVATE FILE / GSM INVALIDATE
    {0x0E, P3Meaning::Lc, false},  // ERASE BINARY
    {0x10, P3Meaning::Lc, false},  // TERMINAL PROFILE
    {0x12, P3Meaning::Le, false},  // FETCH
    {0x14, P3Meaning::Lc, false},  // TERMINAL RESPONSE
    {0x20, P3Meaning::Lc, false},  // VERIFY (PIN)
    {0x21, P3Meaning::Lc, false},  // VERIFY (odd)
    {0x22, P3Meaning::Lc, false},  // MANAGE SECURITY ENVIRONMENT
    {0x24, P3Meaning::Lc, false},  // CHANGE PIN
    {0x26, P3Meaning::Lc, false},  // DISABLE PIN
    {0x28, P3Meaning::Lc, false},  // ENABLE PIN
    {0x2A, P3Meaning::Lc, true},   // PERFORM SECURITY OPERATION
    {0x2C, P3Meaning::Lc, false},  // UNBLOCK PIN
    {0x32, P3Meaning::Lc, true},   // INCREASE
    {0x44, P3Meaning::Lc, false},  // ACTIVATE FILE / GSM REHABILITATE
    {0x46, P3Meaning::Lc, true},   // GENERATE ASYMMETRIC KEY PAIR
    {0x73, P3Meaning::Lc, true},   // MANAGE SECURE CHANNEL
    {0x75, P3Meaning::Lc, true},   // TRANSACT DATA
    {0x76, P3Meaning::Lc, true},   // SUSPEND UICC
    {0x78, P3Meaning::Lc, true},   // GET IDENTITY
    {0x82, P3Meaning::Lc, false},  // EXTERNAL AUTHENTICATE
    {0x84, P3Meaning::Le, false},  // GET CHALLENGE
    {0x86, P3Meaning::Lc, true},   // GENERAL AUTHENTICATE
    {0x87, P3Meaning::Lc, true},   // GENERAL AUTHENTICATE (odd)
    {0x88, P3Meaning::Lc, true},   // AUTHENTICATE / INTERNAL AUTHENTICATE / RUN GSM ALGORITHM
    {0x89, P3Meaning::Lc, true},   // AUTHENTICATE (odd)
    {0xA2, P3Meaning::Lc, true},   // SEARCH RECORD / GSM SEEK
    {0xA4, P3Meaning::Lc, true},   // SELECT (see classifyTpdu for P2 "no data")
    {0xAA, P3Meaning::Lc, false},  // TERMINAL CAPABILITY
    {0xB0, P3Meaning::Le, false},  // READ BINARY
    {0xB1, P3Meaning::Lc, true},   // READ BINARY (odd)
    {0xB2, P3Meaning::Le, false},  // READ RECORD
    {0xB3, P3Meaning::Lc, true},   // READ RECORD (odd)
    {0xC0, P3Meaning::Le, false},  // GET RESPONSE
    {0xC2, P3Meaning::Lc, true},   // ENVELOPE
    {0xCA, P3Meaning::Le, false},  // GET DATA
    {0xCB, P3Meaning::Lc, true},   // GET DATA (odd) / RETRIEVE DATA
    {0xD0, P3Meaning::Lc, false},  // WRITE BINARY
    {0xD2, P3Meaning::Lc, false},  // WRITE RECORD
    {0xD6, P3Meaning::Lc, false},  // UPDATE BINARY
    {0xD7, P3Meaning::Lc, false},  // UPDATE BINARY (odd)
    {0xDA, P3Meaning::Lc, false},  // PUT DATA
    {0xDB, P3Meaning::Lc, false},  // PUT DATA (odd) / SET DATA
    {0xDC, P3Meaning::Lc, false},  // UPDATE RECORD
    {0xDD, P3Meaning::Lc, false},  // UPDATE RECORD (odd)
    {0xE0, P3Meaning::Lc, false},  // CREATE FILE
    {0xE2, P3Meaning::Lc, false},  // APPEND RECORD (STORE DATA when CLA is proprietary)
    {0xE4, P3Meaning::Lc, false},  // DELETE FILE
    {0xE6, P3Meaning::Lc, false},  // TERMINATE DF
    {0xE8, P3Meaning::Lc, false},  // TERMINATE EF
    {0xF2, P3Meaning::Le, false},  // STATUS
    {0xFA, P3Meaning::Lc, false},  // GSM SLEEP
    {0xFE, P3Meaning::Lc, false},  // TERMINATE CARD USAGE
};

bool invalidIns(std::uint8_t ins) { return (ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90; }

}  // namespace

TpduCase classifyTpdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2) {
    if (ins == 0x70) {  // MANAGE CHANNEL: open returns the channel number (Le = 1), close has no data
        return (p1 & 0x80) ? TpduCase{P3Meaning::Lc, false, true} : TpduCase{P3Meaning::Le, false, true};
    }
    for (const Entry& e : kTable) {
        if (e.ins != ins) continue;
        TpduCase c{e.p3, e.case4, true};
        if (ins == 0xA4 && cla != 0xA0 && (p2 & 0x0C) == 0x0C) c.case4 = false;  // TS 102 221: no data returned
        if (ins == 0xE2 && (cla & 0x80) && cla != 0xA0) c.case4 = true;          // GlobalPlatform STORE DATA
        return c;
    }
    return {};
}

void T0Engine::reset() {
    m_state = State::WaitHeader;
    m_header.clear();
    m_data.clear();
    m_pending.reset();
    m_retry.reset();
}

std::uint8_t T0Engine::moreDataSw1() const { return m_header.size() == 5 && m_header[0] == 0xA0 ? 0x9F : 0x61; }

std::vector<T0Engine::TxRequest> T0Engine::finalSw(std::uint8_t sw1, std::uint8_t sw2) const {
    return {{DATA_F_PB_AND_TX | DATA_F_FINAL, Bytes{sw1, sw2}}};
}

// INS as ACK procedure byte, the data, then the status word: one message (<= 259 bytes).
std::vector<T0Engine::TxRequest> T0Engine::sendData(ByteView data, std::uint8_t sw1, std::uint8_t sw2) const {
    if (data.empty()) return finalSw(sw1, sw2);
    Bytes out{m_header[1]};
    append(out, data);
    out.push_back(sw1);
    out.push_back(sw2);
    return {{DATA_F_PB_AND_TX | DATA_F_FINAL, std::move(out)}};
}

std::vector<T0Engine::TxRequest> T0Engine::serveGetResponse(std::size_t ne) {
    Bytes& pending = *m_pending;  // data + SW1 SW2
    const std::size_t avail = pending.size() - 2;
    if (ne > avail) {  // P3 too large: tell the exact length, keep the data
        return finalSw(0x6C, static_cast<std::uint8_t>(avail));
    }
    const Bytes chunk(pending.begin(), pending.begin() + static_cast<long>(ne));
    const std::size_t rest = avail - ne;
    if (rest == 0) {
        auto tx = sendData(chunk, pending[avail], pending[avail + 1]);
        m_pending.reset();
        return tx;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<long>(ne));
    return sendData(chunk, moreDataSw1(), static_cast<std::uint8_t>(std::min<std::size_t>(rest, 256)));
}

T0Engine::Result T0Engine::onRxData(std::uint32_t flags, ByteView data) {
    Result r;
    if (flags & DATA_F_TPDU_HDR) {
        if (data.size() != 5) {
            reset();
            throw ParseError("T=0: TPDU header of " + std::to_string(data.size()) + " bytes");
        }
        // A new header while data or a response was outstanding: the phone gave up on it.
        m_data.clear();
        m_header.assign(data.begin(), data.end());
        const std::uint8_t cla = data[0], ins = data[1], p1 = data[2], p2 = data[3], p3 = data[4];
        const bool isGetResponse = ins == 0xC0;
        if (!isGetResponse) m_pending.reset();
        std::optional<Retry> retry;
        retry.swap(m_retry);
        m_state = State::WaitHeader;
        if (invalidIns(ins)) {  // ISO 7816-3 §10.3.2: 6x/9x are not instructions
            r.tx = finalSw(0x6D, 0x00);
            return r;
        }
        if (isGetResponse && m_pending) {
            r.tx = serveGetResponse(p3 ? p3 : 256);
            return r;
        }
        if (retry && ByteView(retry->header).size() == 4 && std::equal(data.begin(), data.begin() + 4, retry->header.begin()) &&
            p3 == retry->p3) {  // the repeat after 6Cxx
            const std::size_t n = retry->response.size() - 2;
            r.tx = sendData(ByteView(retry->response).first(n), retry->response[n], retry->response[n + 1]);
            return r;
        }
        m_case = classifyTpdu(cla, ins, p1, p2);
        if (m_case.p3 == P3Meaning::Lc && p3 > 0) {
            m_state = State::WaitData;
            r.tx.push_back({DATA_F_PB_AND_RX, Bytes{ins}});
            return r;
        }
        Bytes apdu{cla, ins, p1, p2};
        if (m_case.p3 == P3Meaning::Le) apdu.push_back(p3);  // 00 = 256
        m_state = State::WaitResponse;
        r.command = std::move(apdu);
        return r;
    }
    if (m_state != State::WaitData) {
        const State was = m_state;
        m_state = State::WaitHeader;
        m_data.clear();
        throw ParseError(std::string("T=0: command data (") + std::to_string(data.size()) + " bytes) while " +
                         (was == State::WaitHeader ? "waiting for a header" : "waiting for the response"));
    }
    const std::size_t lc = m_header[4];
    if (data.size() > lc - m_data.size()) {
        reset();
        throw ParseError("T=0: more command data than Lc " + std::to_string(lc));
    }
    append(m_data, data);
    if (!(flags & DATA_F_FINAL)) return r;
    if (m_data.size() != lc) {
        const std::size_t got = m_data.size();
        reset();
        throw ParseError("T=0: command data ended after " + std::to_string(got) + " of " + std::to_string(lc) + " bytes");
    }
    Bytes apdu(m_header.begin(), m_header.end());
    append(apdu, m_data);
    if (m_case.case4) apdu.push_back(0x00);
    m_data.clear();
    m_state = State::WaitResponse;
    r.command = std::move(apdu);
    return r;
}

std::vector<T0Engine::TxRequest> T0Engine::answerCase2(Bytes data, std::uint8_t sw1, std::uint8_t sw2) {
    const std::size_t ne = m_header[4] ? m_header[4] : 256;
    if (data.empty() || data.size() == ne) return sendData(data, sw1, sw2);
    if (data.size() < ne) {  // wrong length: 6C Na, answer the repeat from the cache
        Retry retry{Bytes(m_header.begin(), m_header.begin() + 4), static_cast<std::uint8_t>(data.size()), {}};
        retry.response = std::move(data);
        retry.response.push_back(sw1);
        retry.response.push_back(sw2);
        const auto n = retry.p3;
        m_retry = std::move(retry);
        return finalSw(0x6C, n);
    }
    // More than Le: Le bytes now, the rest through GET RESPONSE.
    const Bytes first(data.begin(), data.begin() + static_cast<long>(ne));
    Bytes rest(data.begin() + static_cast<long>(ne), data.end());
    const std::size_t restLen = rest.size();
    rest.push_back(sw1);
    rest.push_back(sw2);
    m_pending = std::move(rest);
    return sendData(first, moreDataSw1(), static_cast<std::uint8_t>(std::min<std::size_t>(restLen, 256)));
}

std::vector<T0Engine::TxRequest> T0Engine::onResponse(ByteView rapdu) {
    if (m_state != State::WaitResponse) throw ParseError("T=0: a response but no command is waiting for one");
    if (rapdu.size() < 2) throw ParseError("T=0: response of " + std::to_string(rapdu.size()) + " bytes has no status word");
    const std::size_t n = rapdu.size() - 2;
    const std::uint8_t sw1 = rapdu[n], sw2 = rapdu[n + 1];
    Bytes data(rapdu.begin(), rapdu.begin() + static_cast<long>(n));
    m_state = State::WaitHeader;
    if (m_case.p3 == P3Meaning::Le) return answerCase2(std::move(data), sw1, sw2);
    if (data.empty()) return finalSw(sw1, sw2);
    // Case 1/3 TPDU cannot carry data: announce it for GET RESPONSE (61xx, GSM 9Fxx).
    const std::size_t len = data.size();
    data.push_back(sw1);
    data.push_back(sw2);
    m_pending = std::move(data);
    return finalSw(moreDataSw1(), static_cast<std::uint8_t>(std::min<std::size_t>(len, 256)));
}

}  // namespace vpcsc::st2
