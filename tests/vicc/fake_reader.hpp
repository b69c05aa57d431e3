// The reader side of the vpcd protocol for the session tests: what ifd-vpcd does, by hand, with
// timeouts so that a broken vicc fails a test instead of hanging it.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.hpp"

namespace vpcsc::vicc::test {

class FakeReader {
public:
    FakeReader() = default;
    FakeReader(const FakeReader&) = delete;
    FakeReader& operator=(const FakeReader&) = delete;
    ~FakeReader();

    // Normal mode: listen (port 0 = any free port) and accept vicc's connection.
    bool listen(const std::string& host = "127.0.0.1", int port = 0);
    int port() const { return m_port; }
    bool accept(int timeoutMs = 3000);
    // Reversed mode: connect to a listening vicc.
    bool connect(const std::string& host, int port);

    bool sendFrame(ByteView payload);
    bool sendRaw(ByteView bytes);
    // The next frame's payload; nullopt on timeout, EOF or error.
    std::optional<Bytes> receiveFrame(int timeoutMs = 3000);
    // True if vicc closes the connection within the timeout (EOF or reset).
    bool waitClosed(int timeoutMs = 3000);
    // Power on, GET ATR: the ATR, or nullopt.
    std::optional<Bytes> powerOnAndGetAtr();
    std::optional<Bytes> transmit(ByteView apdu, int timeoutMs = 3000);

    void closeConnection();
    void closeListener();

private:
    bool readExactly(std::uint8_t* out, std::size_t n, int timeoutMs);

    int m_listener = -1;
    int m_conn = -1;
    int m_port = 0;
};

}  // namespace vpcsc::vicc::test
