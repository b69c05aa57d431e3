// The session loop against a fake reader on loopback, through both transports: power and ATR,
// APDUs, control bytes, malformed frames, reader restarts, persistence, stop, --trace lines.
#include <sys/eventfd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/lib/tap_skip.hpp"
#include "common/log.hpp"
#include "tests/vicc/fake_reader.hpp"
#include "tests/vicc/test_card.hpp"
#include "vicc/image.hpp"
#include "vicc/session.hpp"
#include "vicc/transports/vpcd_client.hpp"
#include "vicc/transports/vpcd_reversed.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using test::FakeReader;
using test::kTestAtr;
using test::TestCard;

namespace {

// Captures log lines for the duration of a test.
class LogCapture {
public:
    LogCapture() {
        log::setLevel(log::Level::Debug);
        log::setSink([this](log::Level, std::string_view line) {
            std::lock_guard lock(m_mutex);
            m_lines.emplace_back(line);
        });
    }
    ~LogCapture() {
        log::setSink(nullptr);
        log::setLevel(log::Level::Error);
    }
    int count(std::string_view part) {
        std::lock_guard lock(m_mutex);
        int n = 0;
        for (const auto& l : m_lines) n += l.find(part) != std::string::npos;
        return n;
    }

private:
    std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

// A session running on its own thread, stopped through an eventfd as vicc's signalfd would.
class Runner {
public:
    enum class Mode { Client, Reversed };
    Runner(Mode mode, int port, SessionConfig config = {}, const std::string& host = "127.0.0.1")
        : m_stop(::eventfd(0, EFD_CLOEXEC)) {
        if (mode == Mode::Client) {
            m_transport = std::make_unique<VpcdClient>(host, std::to_string(port), m_stop);
        } else {
            auto reversed = std::make_unique<VpcdReversed>(host, std::to_string(port), m_stop);
            m_listening = reversed->localAddress();
            m_transport = std::move(reversed);
        }
        config.typeName = "test";
        config.stopFd = m_stop;
        config.backoffMinMs = 10;
        config.backoffMaxMs = 80;
        m_session = std::make_unique<Session>(card, *m_transport, std::move(config));
        m_thread = std::thread([this] { m_session->run(); });
    }
    ~Runner() { stop(); ::close(m_stop); }
    // Returns once run() has returned.
    void stop() {
        if (!m_thread.joinable()) return;
        const std::uint64_t one = 1;
        (void)!::write(m_stop, &one, sizeof one);
        m_thread.join();
    }
    int listeningPort() const { return std::stoi(m_listening.substr(m_listening.rfind(':') + 1)); }

    TestCard card;

private:
    int m_stop;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<Session> m_session;
    std::thread m_thread;
    std::string m_listening;
};

const Bytes kReadBinary = {0x00, 0xB0, 0x00, 0x00, 0x00};
const Bytes kOk = {0x90, 0x00};

std::string tempPath(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("vicc-session-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

}  // namespace

TEST_CASE("client: power on, GET ATR, APDUs, control bytes get no answer", "[session]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    Runner vicc(Runner::Mode::Client, reader.port());
    REQUIRE(reader.accept());
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    CHECK(reader.transmit(Bytes{0x00, 0xD6, 0x00, 0x00, 0x02, 0xCA, 0xFE}) == kOk);
    CHECK(reader.transmit(kReadBinary) == Bytes{0xCA, 0xFE, 0x90, 0x00});
    CHECK(reader.transmit(Bytes{0x00, 0x12, 0x00, 0x00}) == Bytes{0x6D, 0x00});
    // Power off and reset are silent: the next frame vicc sends is the ATR.
    REQUIRE(reader.sendRaw(vpcd::encodeControl(vpcd::Control::PowerOff)));
    REQUIRE(reader.sendRaw(vpcd::encodeControl(vpcd::Control::Reset)));
    REQUIRE(reader.sendRaw(vpcd::encodeControl(vpcd::Control::GetAtr)));
    CHECK(reader.receiveFrame() == kTestAtr);
    vicc.stop();
    CHECK(vicc.card.powerOns() == 1);
}

TEST_CASE("client: several frames in one segment, and a frame split byte by byte", "[session]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    Runner vicc(Runner::Mode::Client, reader.port());
    REQUIRE(reader.accept());
    Bytes both = vpcd::encodeControl(vpcd::Control::GetAtr);
    append(both, vpcd::encodeFrame(kReadBinary));
    REQUIRE(reader.sendRaw(both));
    CHECK(reader.receiveFrame() == kTestAtr);
    CHECK(reader.receiveFrame() == kOk);
    for (std::uint8_t b : vpcd::encodeFrame(kReadBinary)) {
        REQUIRE(reader.sendRaw(ByteView(&b, 1)));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(reader.receiveFrame() == kOk);
}

TEST_CASE("--atr and image ATR override the card's", "[session]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    SessionConfig config;
    config.atr = Bytes{0x3B, 0x02, 0x14, 0x50};
    Runner vicc(Runner::Mode::Client, reader.port(), config);
    REQUIRE(reader.accept());
    CHECK(reader.powerOnAndGetAtr() == Bytes{0x3B, 0x02, 0x14, 0x50});
}

TEST_CASE("a card that throws still answers, with 6F 00", "[session]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    Runner vicc(Runner::Mode::Client, reader.port());
    REQUIRE(reader.accept());
    CHECK(reader.transmit(Bytes{0x00, 0xFF, 0x00, 0x00}) == Bytes{0x6F, 0x00});
    CHECK(reader.transmit(kReadBinary) == kOk);
}

TEST_CASE("malformed frames drop the connection and vicc comes back", "[session]") {
    LogCapture logs;
    FakeReader reader;
    REQUIRE(reader.listen());
    Runner vicc(Runner::Mode::Client, reader.port());
    SECTION("zero-length frame") {
        REQUIRE(reader.accept());
        REQUIRE(reader.sendRaw(Bytes{0x00, 0x00}));
    }
    SECTION("unknown control byte") {
        REQUIRE(reader.accept());
        REQUIRE(reader.sendRaw(Bytes{0x00, 0x01, 0x03}));
    }
    SECTION("EOF inside a frame") {
        REQUIRE(reader.accept());
        REQUIRE(reader.sendRaw(Bytes{0x00, 0x10, 0x00, 0xA4}));
        reader.closeConnection();
    }
    SECTION("a 1-byte frame header, then EOF") {
        REQUIRE(reader.accept());
        REQUIRE(reader.sendRaw(Bytes{0x00}));
        reader.closeConnection();
    }
    reader.waitClosed(2000);
    REQUIRE(reader.accept());  // vicc reconnected by itself
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    CHECK(logs.count("malformed frame") + logs.count("connection lost") == 1);
}

TEST_CASE("reader restart: vicc reconnects, and logs the outage once", "[session]") {
    LogCapture logs;
    auto reader = std::make_unique<FakeReader>();
    REQUIRE(reader->listen());
    const int port = reader->port();
    Runner vicc(Runner::Mode::Client, port);
    REQUIRE(reader->accept());
    CHECK(reader->powerOnAndGetAtr() == kTestAtr);
    reader.reset();  // pcscd goes away
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // several retries
    CHECK(logs.count("cannot reach") == 1);
    CHECK(logs.count("pcscd running with ifd-vpcd") == 1);
    reader = std::make_unique<FakeReader>();
    REQUIRE(reader->listen("127.0.0.1", port));
    REQUIRE(reader->accept(2000));  // backoff is capped at 80 ms in tests (5 s in vicc)
    CHECK(reader->powerOnAndGetAtr() == kTestAtr);
    CHECK(logs.count("reachable now") == 1);
}

TEST_CASE("vicc started before the reader connects when it comes up", "[session]") {
    int port;
    {
        FakeReader probe;  // find a free port, then free it
        REQUIRE(probe.listen());
        port = probe.port();
    }
    Runner vicc(Runner::Mode::Client, port);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    FakeReader reader;
    REQUIRE(reader.listen("127.0.0.1", port));
    REQUIRE(reader.accept(2000));
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
}

TEST_CASE("stop wakes a blocked read, a blocked connect retry and a blocked accept", "[session]") {
    using Clock = std::chrono::steady_clock;
    FakeReader reader;
    REQUIRE(reader.listen());
    SECTION("connected and idle") {
        Runner vicc(Runner::Mode::Client, reader.port());
        REQUIRE(reader.accept());
        const auto t0 = Clock::now();
        vicc.stop();
        CHECK(Clock::now() - t0 < std::chrono::milliseconds(500));
        CHECK(reader.waitClosed());
    }
    SECTION("waiting for a reader (reversed)") {
        Runner vicc(Runner::Mode::Reversed, 0);
        const auto t0 = Clock::now();
        vicc.stop();
        CHECK(Clock::now() - t0 < std::chrono::milliseconds(500));
    }
}

TEST_CASE("persistence: saved after every change, before the answer, and at stop", "[session]") {
    const std::string path = tempPath("persist.json");
    std::filesystem::remove(path);
    FakeReader reader;
    REQUIRE(reader.listen());
    SessionConfig config;
    config.imagePath = path;
    Runner vicc(Runner::Mode::Client, reader.port(), config);
    REQUIRE(reader.accept());
    CHECK(reader.transmit(kReadBinary) == kOk);
    CHECK_FALSE(std::filesystem::exists(path));  // nothing changed yet
    CHECK(reader.transmit(Bytes{0x00, 0xD6, 0x00, 0x00, 0x01, 0x42}) == kOk);
    auto image = loadImage(path);
    REQUIRE(image);
    CHECK((*image)["type"] == "test");
    CHECK((*image)["atr"] == "3B 80 80 01 01");
    CHECK((*image)["data"] == "42");
    vicc.stop();
    CHECK(loadImage(path)->at("data") == "42");
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("--trace: every command and response, PIN masked, status word named", "[session]") {
    std::mutex m;
    std::vector<std::string> lines;
    FakeReader reader;
    REQUIRE(reader.listen());
    SessionConfig config;
    config.trace = [&](std::string_view l) {
        std::lock_guard lock(m);
        lines.emplace_back(l);
    };
    Runner vicc(Runner::Mode::Client, reader.port(), config);
    REQUIRE(reader.accept());
    CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    CHECK(reader.transmit(Bytes{0x00, 0x20, 0x00, 0x01, 0x04, '1', '2', '3', '4'}) == kOk);
    CHECK(reader.transmit(Bytes{0x00, 0x20, 0x00, 0x01, 0x04, '9', '9', '9', '9'}) == Bytes{0x63, 0xC2});
    vicc.stop();
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    INFO(all);
    CHECK(all.find("> POWER ON") != std::string::npos);
    CHECK(all.find("< ATR 3B 80 80 01 01") != std::string::npos);
    CHECK(all.find("> 00 20 00 01 04 **  VERIFY") != std::string::npos);
    CHECK(all.find("31 32") == std::string::npos);
    CHECK(all.find("< 90 00  9000") != std::string::npos);
    CHECK(all.find("< 63 C2  63C2") != std::string::npos);
}

TEST_CASE("trace lines name unknown instructions and short commands", "[session]") {
    CHECK(traceCommand(Bytes{0x80, 0x5A, 0x00, 0x00}) == "> 80 5A 00 00  INS 5A");
    CHECK(traceCommand(Bytes{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00}) == "> 00 A4 00 0C 02 3F 00  SELECT");
    CHECK(traceCommand(Bytes{0x00, 0xA4}).find("shorter") != std::string::npos);
    CHECK(traceResponse(Bytes{0x61, 0x1A}).find("26") != std::string::npos);
}

TEST_CASE("reversed: the reader connects, is served, goes, comes again", "[session]") {
    Runner vicc(Runner::Mode::Reversed, 0);
    for (int round = 0; round < 3; ++round) {
        FakeReader reader;
        REQUIRE(reader.connect("127.0.0.1", vicc.listeningPort()));
        CHECK(reader.powerOnAndGetAtr() == kTestAtr);
        CHECK(reader.transmit(kReadBinary) == kOk);
    }
    FakeReader bad;
    REQUIRE(bad.connect("127.0.0.1", vicc.listeningPort()));
    REQUIRE(bad.sendRaw(Bytes{0x00, 0x01, 0x07}));
    CHECK(bad.waitClosed());
    FakeReader good;
    REQUIRE(good.connect("127.0.0.1", vicc.listeningPort()));
    CHECK(good.powerOnAndGetAtr() == kTestAtr);
}

TEST_CASE("IPv6 loopback, both transports", "[session]") {
    FakeReader reader;
    if (!reader.listen("::1")) {
        VPCSC_SKIP("no IPv6 loopback here; skipped");
        return;
    }
    {
        Runner vicc(Runner::Mode::Client, reader.port(), {}, "::1");
        REQUIRE(reader.accept());
        CHECK(reader.powerOnAndGetAtr() == kTestAtr);
    }
    Runner vicc(Runner::Mode::Reversed, 0, {}, "::1");
    FakeReader r2;
    REQUIRE(r2.connect("::1", vicc.listeningPort()));
    CHECK(r2.powerOnAndGetAtr() == kTestAtr);
}

TEST_CASE("largest frames: a 257-byte response, a 65535-byte command", "[session]") {
    FakeReader reader;
    REQUIRE(reader.listen());
    Runner vicc(Runner::Mode::Client, reader.port());
    REQUIRE(reader.accept());
    Bytes update = {0x00, 0xD6, 0x00, 0x00, 0xFF};
    update.resize(5 + 255, 0xAB);
    CHECK(reader.transmit(update) == kOk);
    auto r = reader.transmit(kReadBinary);
    REQUIRE(r);
    CHECK(r->size() == 257);
    // An APDU of the maximal frame size reaches the card (and gets 6D 00 from the test card).
    Bytes big(vpcd::kMaxPayload, 0x00);
    big[1] = 0x12;
    CHECK(reader.transmit(big) == Bytes{0x6D, 0x00});
}
