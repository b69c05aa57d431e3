#include "vicc/session.hpp"

#include <algorithm>
#include <cstdio>

#include "common/log.hpp"
#include "common/sw.hpp"
#include "vicc/image.hpp"

namespace vpcsc::vicc {
namespace {

// ISO 7816-4 §5.4.2 Table 4 (and the commands other parts of vpcsc emulate): for --trace only;
// nullptr for an INS the table does not name.
const char* insName(std::uint8_t ins) {
    switch (ins) {
        case 0x04: return "DEACTIVATE FILE";
        case 0x0C: return "ERASE RECORD";
        case 0x0E: case 0x0F: return "ERASE BINARY";
        case 0x10: return "PERFORM SCQL OPERATION";
        case 0x12: return "PERFORM TRANSACTION OPERATION";
        case 0x14: return "PERFORM USER OPERATION";
        case 0x20: case 0x21: return "VERIFY";
        case 0x22: return "MANAGE SECURITY ENVIRONMENT";
        case 0x24: case 0x25: return "CHANGE REFERENCE DATA";
        case 0x26: return "DISABLE VERIFICATION REQUIREMENT";
        case 0x28: return "ENABLE VERIFICATION REQUIREMENT";
        case 0x2A: case 0x2B: return "PERFORM SECURITY OPERATION";
        case 0x2C: case 0x2D: return "RESET RETRY COUNTER";
        case 0x44: return "ACTIVATE FILE";
        case 0x46: case 0x47: return "GENERATE ASYMMETRIC KEY PAIR";
        case 0x70: return "MANAGE CHANNEL";
        case 0x82: return "EXTERNAL AUTHENTICATE";
        case 0x84: return "GET CHALLENGE";
        case 0x86: case 0x87: return "GENERAL AUTHENTICATE";
        case 0x88: return "INTERNAL AUTHENTICATE";
        case 0xA0: case 0xA1: return "SEARCH BINARY";
        case 0xA2: return "SEARCH RECORD";
        case 0xA4: return "SELECT";
        case 0xB0: case 0xB1: return "READ BINARY";
        case 0xB2: case 0xB3: return "READ RECORD";
        case 0xC0: return "GET RESPONSE";
        case 0xC2: case 0xC3: return "ENVELOPE";
        case 0xCA: case 0xCB: return "GET DATA";
        case 0xD0: case 0xD1: return "WRITE BINARY";
        case 0xD2: return "WRITE RECORD";
        case 0xD6: case 0xD7: return "UPDATE BINARY";
        case 0xDA: case 0xDB: return "PUT DATA";
        case 0xDC: case 0xDD: return "UPDATE RECORD";
        case 0xE0: return "CREATE FILE";
        case 0xE2: return "APPEND RECORD";
        case 0xE4: return "DELETE FILE";
        case 0xE6: return "TERMINATE DF";
        case 0xE8: return "TERMINATE EF";
        case 0xFE: return "TERMINATE CARD USAGE";
    }
    return nullptr;
}

// The card left its reader (Card::present() turned false) while a connection was being served.
struct CardLeft {};

}  // namespace

std::string traceCommand(ByteView command) {
    std::string line = "> " + log::maskCommandApdu(command);
    if (command.size() >= 4) {
        char unknown[16];
        std::snprintf(unknown, sizeof unknown, "INS %02X", command[1]);
        const char* name = insName(command[1]);
        line += "  ";
        line += name ? name : unknown;
    } else {
        line += "  (shorter than a command header)";
    }
    return line;
}

std::string traceResponse(ByteView response) {
    std::string line = "< " + toHex(response);
    if (response.size() >= 2) {
        const auto sw = static_cast<std::uint16_t>(response[response.size() - 2] << 8 | response.back());
        line += "  " + describeSw(sw);  // "6A82 file or application not found"
    }
    return line;
}

Session::Session(Card& card, Transport& transport, SessionConfig config)
    : m_card(card), m_transport(transport), m_config(std::move(config)) {}

Bytes Session::atr() const {
    if (m_config.atr) return *m_config.atr;
    try {
        return m_card.atr();
    } catch (const std::exception& e) {
        LOG_ERROR("the card has no ATR (%s); answering 3B 00", e.what());
        return {0x3B, 0x00};  // ISO 7816-3 §8.2: TS, T0 with no interface bytes, nothing else
    }
}

bool Session::save() {
    if (!m_config.imagePath) return true;
    try {
        saveImage(*m_config.imagePath, composeImage(m_config.typeName, atr(), m_card.saveState()));
        if (m_saveFailed) LOG_WARNING("card image %s saved again", m_config.imagePath->c_str());
        m_saveFailed = false;
        LOG_DEBUG("card image %s saved", m_config.imagePath->c_str());
        return true;
    } catch (const std::exception& e) {
        if (!m_saveFailed) LOG_ERROR("cannot save the card image: %s", e.what());
        m_saveFailed = true;
        return false;
    }
}

void Session::saveIfDirty() {
    if (m_card.consumeDirty() || m_saveFailed) save();
}

Bytes Session::processApdu(ByteView command) {
    if (m_config.trace) m_config.trace(traceCommand(command));
    Bytes response;
    try {
        response = m_card.process(command);
    } catch (const std::exception& e) {
        // Card::process() must not throw; if one does, the reader still gets an answer.
        LOG_ERROR("card failed on %s: %s", traceCommand(command).c_str() + 2, e.what());
        response = {0x6F, 0x00};  // ISO 7816-4 §5.6: no precise diagnosis
    }
    if (response.size() < 2 || response.size() > vpcd::kMaxPayload) {
        LOG_ERROR("card answered with %zu bytes; sending 6F 00 instead", response.size());
        response = {0x6F, 0x00};
    }
    if (m_config.trace) m_config.trace(traceResponse(response));
    if (m_config.onExchange) m_config.onExchange(command, response);
    saveIfDirty();
    return response;
}

std::optional<Bytes> Session::answer(const vpcd::ReaderMessage& message) {
    if (!message.control) return processApdu(message.apdu);
    LOG_DEBUG("%s", vpcd::controlName(*message.control));
    if (m_config.trace) m_config.trace(std::string("> ") + vpcd::controlName(*message.control));
    try {
        switch (*message.control) {
            case vpcd::Control::PowerOff: m_card.powerOff(); return std::nullopt;
            case vpcd::Control::PowerOn: m_card.powerOn(); return std::nullopt;
            case vpcd::Control::Reset: m_card.reset(); return std::nullopt;
            case vpcd::Control::GetAtr: {
                Bytes a = atr();
                if (m_config.trace) m_config.trace("< ATR " + toHex(a));
                if (m_config.onAtr) m_config.onAtr(a);
                return a;
            }
        }
    } catch (const std::exception& e) {
        LOG_ERROR("card failed on %s: %s", vpcd::controlName(*message.control), e.what());
    }
    return std::nullopt;
}

void Session::serve(Link& link) {
    while (auto payload = link.receive()) {
        const vpcd::ReaderMessage message = vpcd::classifyReaderMessage(*payload);  // throws ParseError
        if (auto response = answer(message)) link.send(*response);
        if (!m_card.present()) throw CardLeft{};
    }
}

bool Session::waitForCard() {
    if (m_card.present()) return true;
    LOG_INFO("the card is not in its reader: waiting for it before connecting");
    while (!m_card.present())
        if (waitForStop(m_config.stopFd, 50)) return false;
    LOG_INFO("the card is back");
    return true;
}

void Session::run() {
    int delayMs = m_config.backoffMinMs;
    std::string lastFailure;  // each distinct failure is logged once, not once per retry
    bool stopping = false;
    while (!stopping) {
        if (!waitForCard()) break;
        std::unique_ptr<Link> link;
        try {
            link = m_transport.open();
        } catch (const TransportError& e) {
            if (lastFailure != e.what()) {
                lastFailure = e.what();
                LOG_ERROR("%s — %s (retrying until it is)", e.what(), m_transport.unreachableHint().c_str());
            }
            if (waitForStop(m_config.stopFd, delayMs)) break;
            delayMs = std::min(delayMs * 2, m_config.backoffMaxMs);
            continue;
        } catch (const Stopped&) {
            // The transport also wakes up when the card leaves (Card::absentFd()).
            if (waitForStop(m_config.stopFd, 0)) break;
            continue;
        }
        if (!lastFailure.empty()) LOG_WARNING("%s is reachable now", m_transport.describe().c_str());
        lastFailure.clear();
        LOG_INFO("connected to reader %s", link->peer().c_str());
        bool failed = false;
        try {
            serve(*link);
            LOG_INFO("reader %s closed the connection", link->peer().c_str());
            delayMs = m_config.backoffMinMs;
        } catch (const Stopped&) {
            stopping = waitForStop(m_config.stopFd, 0);  // else the card left (Card::absentFd())
            if (!stopping) LOG_INFO("the card left: closing the connection to reader %s", link->peer().c_str());
        } catch (const CardLeft&) {
            LOG_INFO("the card left: closing the connection to reader %s", link->peer().c_str());
        } catch (const TransportError& e) {
            LOG_WARNING("connection lost: %s", e.what());
            failed = true;
        } catch (const ParseError& e) {
            LOG_WARNING("malformed frame from reader %s (%s); dropping the connection", link->peer().c_str(), e.what());
            failed = true;
        }
        link.reset();
        try {
            m_card.powerOff();  // the card left the reader: volatile state goes
        } catch (const std::exception& e) {
            LOG_ERROR("card failed on power off: %s", e.what());
        }
        // A reader that keeps failing right away is not hammered: back off as for connects.
        if (failed && !stopping) {
            if (waitForStop(m_config.stopFd, delayMs)) break;
            delayMs = std::min(delayMs * 2, m_config.backoffMaxMs);
        }
    }
    m_card.consumeDirty();
    save();
}

}  // namespace vpcsc::vicc
