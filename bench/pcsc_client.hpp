// A thin RAII layer over libpcsclite for vpcsc-bench: reader lookup, presence waits, transmit.
#pragma once

#include <PCSC/winscard.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::bench {

struct PcscError : std::runtime_error {
    LONG code;
    PcscError(const std::string& what, LONG c);
};

using Clock = std::chrono::steady_clock;
enum class Presence { Present, Empty };

class Context {
public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    std::vector<std::string> readers() const;  // empty when there is none
    // "N" = the N-th reader, otherwise an exact name or else a unique substring. Throws if absent.
    std::string resolve(const std::string& spec) const;
    // Polls until the reader exists; false on timeout.
    bool waitReader(const std::string& spec, std::chrono::milliseconds timeout) const;
    // SCardGetStatusChange until the reader's card is present / empty. Returns the moment it
    // was seen, or a default-constructed time_point on timeout.
    Clock::time_point waitPresence(const std::string& reader, Presence want, std::chrono::milliseconds timeout) const;
    SCARDCONTEXT handle() const { return m_ctx; }

private:
    SCARDCONTEXT m_ctx = 0;
};

class Card {
public:
    Card(const Context& ctx, const std::string& reader);
    ~Card();
    Card(const Card&) = delete;
    Card& operator=(const Card&) = delete;
    Bytes transmit(ByteView apdu);  // throws PcscError
    Bytes atr() const;

private:
    SCARDHANDLE m_card = 0;
    DWORD m_protocol = 0;
    Bytes m_rx;
};

}  // namespace vpcsc::bench
