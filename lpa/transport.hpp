// How the LPA reaches the eUICC: one command APDU in, one response APDU (data + SW1 SW2) out.
// PcscTransport (pcsc_transport.hpp) goes through libpcsclite; FunctionTransport calls anything
// in-process (tests and the bench hand it a vicc::Card's process()).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/bytes.hpp"

namespace vpcsc::lpa {

// The card could not be reached (PC/SC failure, no reader, no card). Not an ES10 error.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ApduTransport {
public:
    virtual ~ApduTransport() = default;
    // Throws TransportError; a returned response has at least SW1 SW2.
    virtual Bytes transmit(ByteView commandApdu) = 0;
};

class FunctionTransport : public ApduTransport {
public:
    using Fn = std::function<Bytes(ByteView)>;
    explicit FunctionTransport(Fn fn) : m_fn(std::move(fn)) {}
    Bytes transmit(ByteView commandApdu) override {
        Bytes r = m_fn(commandApdu);
        if (r.size() < 2) throw TransportError("card answered fewer than 2 bytes");
        return r;
    }

private:
    Fn m_fn;
};

}  // namespace vpcsc::lpa
