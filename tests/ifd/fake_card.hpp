// A scripted vpcd card for driver-level tests: speaks the card side of the vpcd protocol over
// loopback (connecting to the driver, or listening for it in reversed mode) and can misbehave on
// purpose: hang, close mid-exchange, send truncated/oversize/garbage/unsolicited bytes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.hpp"

namespace vpcsc::test {

// What the card does in answer to one message.
struct Reply {
    Bytes wire;          // raw bytes to write (use frame() for a well-formed answer)
    bool close = false;  // close the connection after writing
    bool hang = false;   // never answer (until the test ends)
};
Bytes frame(ByteView payload);
inline Reply answer(ByteView payload) { return Reply{frame(payload)}; }

struct Script {
    Bytes atr = fromHex("3B 95 13 81 01 80 73 FF 01 00 0B");  // vsmartcard iso7816 (T=1)
    std::function<Reply()> onGetAtr;                           // default: answer(atr)
    std::function<Reply(ByteView apdu)> onApdu;                // default: 90 00
};

class FakeCard {
public:
    // Server-mode driver: connect to host:port now.
    static std::unique_ptr<FakeCard> connect(std::uint16_t port, Script script = {}, const std::string& host = "127.0.0.1");
    // Reversed-mode driver: listen on host:port and serve the first connection.
    static std::unique_ptr<FakeCard> listen(std::uint16_t port, Script script = {}, const std::string& host = "127.0.0.1");
    ~FakeCard();

    void sendRaw(ByteView bytes);                    // unsolicited bytes, from the test thread
    bool waitClosedByDriver(int timeoutMs);          // the driver closed our connection
    bool waitConnected(int timeoutMs);               // listen mode: the driver connected
    std::vector<Bytes> messages() const;             // payloads received so far
    void disconnect();                               // close our side now

private:
    explicit FakeCard(Script script) : m_script(std::move(script)) {}
    void serve();

    Script m_script;
    int m_fd = -1;
    int m_listenFd = -1;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Bytes> m_messages;
    bool m_connected = false;
    bool m_closedByDriver = false;
    std::thread m_thread;
};

// `count` consecutive free TCP ports on loopback, below the ephemeral range, chosen at random so
// that parallel test binaries do not collide.
std::uint16_t freePorts(unsigned count);
// Number of open fds of this process.
int openFdCount();

}  // namespace vpcsc::test
