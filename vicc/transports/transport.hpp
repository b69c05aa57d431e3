// How vicc reaches a reader (DESIGN.md, style 4): a Transport produces Links, a Link carries vpcd
// frames (common/vpcd_protocol.hpp) in both directions. Sockets live only in vicc/transports/.
//
// Every blocking call also watches a "stop" file descriptor (a signalfd in vicc, an eventfd in
// tests): when it becomes readable the call throws Stopped, so SIGTERM wakes a blocked read.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::vicc {

// The reader could not be reached or the connection broke. what() is meant for the user.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The stop descriptor became readable while waiting.
struct Stopped {};

// One connection to one reader. Not thread-safe; one session drives it.
class Link {
public:
    virtual ~Link() = default;
    // The next complete frame's payload, or nullopt when the reader closed the connection
    // cleanly between frames. Throws TransportError (reset, EOF inside a frame), Stopped.
    virtual std::optional<Bytes> receive() = 0;
    // Sends one frame (length + payload) with a single write. Throws TransportError, ParseError
    // (payload above 65535 bytes).
    virtual void send(ByteView payload) = 0;
    // "127.0.0.1:35963", for log lines.
    virtual std::string peer() const = 0;
};

class Transport {
public:
    virtual ~Transport() = default;
    // Blocks until a reader is connected: connects out (vpcd client) or accepts the next reader
    // (reversed). Throws TransportError when that fails (the caller retries), Stopped.
    virtual std::unique_ptr<Link> open() = 0;
    // What open() talks to, for messages: "127.0.0.1:35963" or "listening on [::1]:35963".
    virtual std::string describe() const = 0;
    // A hint for the user when open() keeps failing ("is pcscd running with ifd-vpcd?").
    virtual std::string unreachableHint() const = 0;
};

// Waits up to timeoutMs for stopFd to become readable; true if it did (stop requested).
bool waitForStop(int stopFd, int timeoutMs);

}  // namespace vpcsc::vicc
