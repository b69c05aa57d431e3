// Driver-level tests: the built libifdvpcd.so, loaded with dlopen, driven through IFDH* against
// scripted vpcd cards on loopback (tests/ifd/fake_card.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <thread>

#include "tests/ifd/driver.hpp"
#include "tests/ifd/fake_card.hpp"

using namespace vpcsc;
using namespace vpcsc::test;
using namespace std::chrono;
using Ms = milliseconds;

namespace {

// Each test uses its own pcscd reader number, so Luns never collide inside the one registry.
DWORD nextReader() {
    static DWORD n = 0;
    return (++n % 0x100) << 16;
}

std::string server(std::uint16_t port, const std::string& options = "") {
    return "/dev/null:" + std::to_string(port) + options;
}

const Bytes kSelectMf = fromHex("00 A4 00 0C 02 3F 00");

struct Powered {  // a reader with one card connected and powered
    Driver& d = Driver::get();
    DWORD lun = nextReader();
    std::uint16_t port = freePorts(2);
    std::unique_ptr<Channel> channel;
    std::unique_ptr<FakeCard> card;

    explicit Powered(Script script = {}, const std::string& options = "", bool powerUp = true) {
        REQUIRE(d.open(lun, server(port, options)) == IFD_SUCCESS);
        channel.reset(new Channel{lun});  // no temporary: its destructor would close the channel
        card = FakeCard::connect(port, std::move(script));
        REQUIRE(d.waitPresent(lun, true, 2000));
        if (powerUp) {
            Bytes atr;
            REQUIRE(d.powerUp(lun, atr) == IFD_SUCCESS);
        }
    }
};

// A malformed answer must fail the call, empty the slot, close the card's connection and log.
void expectDropped(Powered& p, const std::string& logNeedle, bool cardClosedFirst = false) {
    CHECK_FALSE(p.d.present(p.lun));
    if (!cardClosedFirst) CHECK(p.card->waitClosedByDriver(2000));
    CHECK(logContains(logNeedle));
}

}  // namespace

TEST_CASE("only IFDH* are exported and log_msg binds to the host process", "[ifd]") {
    Driver& d = Driver::get();
    clearLog();
    CHECK(d.open(nextReader(), "/dev/null:notaport") == IFD_COMMUNICATION_ERROR);
    CHECK(logContains("bad port 'notaport'"));  // reached us through log_msg, as in pcscd
}

TEST_CASE("DEVICENAME rejects fail CreateChannel with a clear log line", "[ifd][devicename]") {
    Driver& d = Driver::get();
    const std::uint16_t port = freePorts(2);
    for (const std::string bad : {"/dev/null:0", "/dev/null:70000", ":35963", "::1:35963", "/dev/null:1;slots=0",
                                  "/dev/null:1;bogus=1", "/dev/null:1;timeout=soon", "[::1:5"}) {
        INFO(bad);
        clearLog();
        const DWORD lun = nextReader();
        CHECK(d.open(lun, bad) == IFD_COMMUNICATION_ERROR);
        CHECK(logContains("cannot open Lun"));
        CHECK(d.iccPresence(lun) == IFD_NO_SUCH_DEVICE);
    }
    clearLog();
    CHECK(d.open(nextReader(), server(port, ";bind=not-an-address")) == IFD_COMMUNICATION_ERROR);
    CHECK(logContains("not-an-address"));

    // A port already in use (here by another reader) is reported, not silently shared.
    const DWORD a = nextReader(), b = nextReader();
    REQUIRE(d.open(a, server(port)) == IFD_SUCCESS);
    Channel ca{a};
    clearLog();
    CHECK(d.open(b, server(port)) == IFD_COMMUNICATION_ERROR);
    CHECK(logContains("bind"));
    // The same Lun twice is refused.
    CHECK(d.open(a, server(port)) == IFD_COMMUNICATION_ERROR);
}

TEST_CASE("IFDHCreateChannel: CHANNELID is the port", "[ifd]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    const std::uint16_t port = freePorts(1);
    REQUIRE(d.createChannel(lun, port) == IFD_SUCCESS);
    Channel c{lun};
    auto card = FakeCard::connect(port);
    CHECK(d.waitPresent(lun, true, 2000));
    CHECK(d.createChannel(nextReader(), 0) == IFD_COMMUNICATION_ERROR);
}

TEST_CASE("capabilities pcscd asks for", "[ifd]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    REQUIRE(d.open(lun, server(freePorts(3), ";slots=3")) == IFD_SUCCESS);
    Channel c{lun};
    auto byteTag = [&](DWORD tag) {
        UCHAR v[8] = {0xAA};
        DWORD len = sizeof v;
        REQUIRE(d.getCapabilities(lun, tag, &len, v) == IFD_SUCCESS);
        REQUIRE(len == 1);
        return int(v[0]);
    };
    CHECK(byteTag(TAG_IFD_SLOTS_NUMBER) == 3);
    CHECK(byteTag(TAG_IFD_SIMULTANEOUS_ACCESS) == 16);
    CHECK(byteTag(TAG_IFD_THREAD_SAFE) == 1);
    CHECK(byteTag(TAG_IFD_SLOT_THREAD_SAFE) == 1);
    CHECK(byteTag(TAG_IFD_POLLING_THREAD_KILLABLE) == 0);
    CHECK(d.pollFunction(lun) != nullptr);
    CHECK(d.stopFunction(lun) != nullptr);

    UCHAR v[64];
    DWORD len = sizeof v;
    CHECK(d.getCapabilities(lun, 0x12345, &len, v) == IFD_ERROR_TAG);
    CHECK(len == 0);
    len = 0;  // too small for a pointer
    CHECK(d.getCapabilities(lun, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT, &len, v) == IFD_ERROR_INSUFFICIENT_BUFFER);
    len = sizeof v;
    CHECK(d.getCapabilities(lun, TAG_IFD_ATR, &len, v) == IFD_SUCCESS);
    CHECK(len == 0);  // no card, no ATR
    CHECK(d.setCapabilities(lun, TAG_IFD_ATR, 1, v) == IFD_ERROR_TAG);
}

TEST_CASE("power up, ATR, reset, power down: control bytes on the wire", "[ifd]") {
    Powered p;
    Driver& d = p.d;
    const Bytes iso = fromHex("3B 95 13 81 01 80 73 FF 01 00 0B");
    UCHAR v[64];
    DWORD len = sizeof v;
    REQUIRE(d.getCapabilities(p.lun, TAG_IFD_ATR, &len, v) == IFD_SUCCESS);
    CHECK(Bytes(v, v + len) == iso);
    len = sizeof v;
    REQUIRE(d.getCapabilities(p.lun, SCARD_ATTR_ATR_STRING, &len, v) == IFD_SUCCESS);
    CHECK(Bytes(v, v + len) == iso);
    len = 4;
    CHECK(d.getCapabilities(p.lun, TAG_IFD_ATR, &len, v) == IFD_ERROR_INSUFFICIENT_BUFFER);
    CHECK(len == 0);

    DWORD atrLen = MAX_ATR_SIZE;
    CHECK(d.powerICC(p.lun, IFD_RESET, v, &atrLen) == IFD_SUCCESS);
    CHECK(Bytes(v, v + atrLen) == iso);
    CHECK(d.powerICC(p.lun, IFD_POWER_DOWN, nullptr, nullptr) == IFD_SUCCESS);  // pcscd passes NULLs
    atrLen = MAX_ATR_SIZE;
    CHECK(d.powerICC(p.lun, 4711, v, &atrLen) == IFD_ERROR_NOT_SUPPORTED);
    CHECK(atrLen == 0);

    // Presence answered from state: no GET ATR per poll.
    std::this_thread::sleep_for(Ms(20));  // let the card record the POWER OFF first
    const auto before = p.card->messages().size();
    for (int i = 0; i < 20; ++i) CHECK(d.present(p.lun));
    std::this_thread::sleep_for(Ms(20));
    const auto msgs = p.card->messages();
    CHECK(msgs.size() == before);
    REQUIRE(msgs.size() == 5);
    CHECK(msgs[0] == Bytes{0x01});  // power up: 01 then 04
    CHECK(msgs[1] == Bytes{0x04});
    CHECK(msgs[2] == Bytes{0x02});  // reset: 02 then 04
    CHECK(msgs[3] == Bytes{0x04});
    CHECK(msgs[4] == Bytes{0x00});  // power down
}

TEST_CASE("SetProtocolParameters follows the ATR", "[ifd]") {
    Powered p;  // iso7816 ATR offers T=1 only
    CHECK(p.d.setProtocolParameters(p.lun, SCARD_PROTOCOL_T1, 0, 0, 0, 0) == IFD_SUCCESS);
    CHECK(p.d.setProtocolParameters(p.lun, SCARD_PROTOCOL_T0, 0, 0, 0, 0) == IFD_PROTOCOL_NOT_SUPPORTED);
    Script t0;
    t0.atr = fromHex("3B E2 00 00 40 20 49 06");  // cryptoflex, no TD1: T=0
    Powered q(t0);
    CHECK(q.d.setProtocolParameters(q.lun, SCARD_PROTOCOL_T0, 0, 0, 0, 0) == IFD_SUCCESS);
    CHECK(q.d.setProtocolParameters(q.lun, SCARD_PROTOCOL_T1, 0, 0, 0, 0) == IFD_PROTOCOL_NOT_SUPPORTED);
    CHECK(q.d.setProtocolParameters(q.lun, SCARD_PROTOCOL_RAW, 0, 0, 0, 0) == IFD_PROTOCOL_NOT_SUPPORTED);
}

TEST_CASE("transmit: short APDU", "[ifd]") {
    Script s;
    s.onApdu = [](ByteView apdu) {
        Bytes r(apdu.begin(), apdu.end());
        append(r, fromHex("90 00"));
        return answer(r);
    };
    Powered p(s);
    Bytes rsp;
    REQUIRE(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);
    Bytes expect = kSelectMf;
    append(expect, fromHex("90 00"));
    CHECK(rsp == expect);
    CHECK(p.card->messages().back() == kSelectMf);
    // A 1-byte command cannot be expressed in vpcd (it would be a control byte).
    CHECK(p.d.transmit(p.lun, fromHex("00"), rsp) == IFD_COMMUNICATION_ERROR);
    CHECK(rsp.empty());
    CHECK(p.d.present(p.lun));
}

TEST_CASE("transmit: 65535-byte frames both ways (extended APDUs)", "[ifd]") {
    // Extended case 3 with Nc = 65528 fills the 65535-byte frame: 4 + 3 + 65528.
    Bytes cmd = fromHex("00 D6 00 00 00 FF F8");
    for (std::size_t i = 0; i < 65528; ++i) cmd.push_back(static_cast<std::uint8_t>(i * 7));
    REQUIRE(cmd.size() == 65535);
    Script s;
    std::atomic<bool> intact{false};
    s.onApdu = [&](ByteView apdu) {
        intact = Bytes(apdu.begin(), apdu.end()) == cmd;
        Bytes r;
        for (std::size_t i = 0; i < 65533; ++i) r.push_back(static_cast<std::uint8_t>(i * 13));
        append(r, fromHex("90 00"));
        return answer(r);
    };
    Powered p(s);
    Bytes rsp;
    REQUIRE(p.d.transmit(p.lun, cmd, rsp) == IFD_SUCCESS);
    CHECK(intact);
    REQUIRE(rsp.size() == 65535);
    CHECK(rsp[65532] == static_cast<std::uint8_t>(65532 * 13));
    CHECK(rsp[65533] == 0x90);

    // One byte more does not fit the length field: refused, the card stays.
    cmd.push_back(0);
    clearLog();
    CHECK(p.d.transmit(p.lun, cmd, rsp) == IFD_COMMUNICATION_ERROR);
    CHECK(rsp.empty());
    CHECK(p.d.present(p.lun));
    CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);
}

TEST_CASE("IFDHControl: feature request and TLV properties", "[ifd]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    REQUIRE(d.open(lun, server(freePorts(2))) == IFD_SUCCESS);
    Channel c{lun};
    UCHAR out[256];
    DWORD n = 99;
    REQUIRE(d.control(lun, CM_IOCTL_GET_FEATURE_REQUEST, nullptr, 0, out, sizeof out, &n) == IFD_SUCCESS);
    REQUIRE(n == 6);
    CHECK(Bytes(out, out + n) == fromHex("12 04 42 33 00 12"));  // FEATURE_GET_TLV_PROPERTIES, IOCTL big-endian
    const DWORD ioctl = SCARD_CTL_CODE(0x330000 + FEATURE_GET_TLV_PROPERTIES);
    REQUIRE(d.control(lun, ioctl, nullptr, 0, out, sizeof out, &n) == IFD_SUCCESS);
    REQUIRE(n >= 6);
    // dwMaxAPDUDataSize = 65526 (0xFFF6) little-endian: the largest Nc of a case-4 extended APDU
    // that fits the 65535-byte vpcd frame.
    CHECK(Bytes(out, out + 6) == fromHex("0A 04 F6 FF 00 00"));
    REQUIRE(n > 8);
    CHECK(out[6] == PCSCv2_PART10_PROPERTY_sFirmwareID);
    CHECK(std::string(reinterpret_cast<char*>(out + 8), out[7]).rfind("vpcsc ifd-vpcd", 0) == 0);
    CHECK(n == 8u + out[7]);

    n = 99;
    CHECK(d.control(lun, SCARD_CTL_CODE(1), nullptr, 0, out, sizeof out, &n) == IFD_ERROR_NOT_SUPPORTED);
    CHECK(n == 0);
    n = 99;
    CHECK(d.control(lun, CM_IOCTL_GET_FEATURE_REQUEST, nullptr, 0, out, 3, &n) == IFD_ERROR_INSUFFICIENT_BUFFER);
    CHECK(n == 0);
}

TEST_CASE("two readers and both slots are independent", "[ifd]") {
    Driver& d = Driver::get();
    const DWORD a = nextReader(), b = nextReader();
    const std::uint16_t pa = freePorts(2), pb = freePorts(2);
    REQUIRE(d.open(a, server(pa)) == IFD_SUCCESS);
    REQUIRE(d.open(a + 1, server(pa)) == IFD_SUCCESS);  // slot 1 of reader a: port pa + 1
    REQUIRE(d.open(b, server(pb)) == IFD_SUCCESS);
    REQUIRE(d.open(b + 1, server(pb)) == IFD_SUCCESS);
    Channel c1{a}, c2{a + 1}, c3{b}, c4{b + 1};

    Script sa, sb;
    sa.atr = fromHex("3B 02 AA 01");
    sb.atr = fromHex("3B 02 BB 02");
    auto cardA1 = FakeCard::connect(static_cast<std::uint16_t>(pa + 1), sa);
    auto cardB0 = FakeCard::connect(pb, sb);
    CHECK(d.waitPresent(a + 1, true, 2000));
    CHECK(d.waitPresent(b, true, 2000));
    CHECK_FALSE(d.present(a));
    CHECK_FALSE(d.present(b + 1));
    Bytes atr;
    REQUIRE(d.powerUp(a + 1, atr) == IFD_SUCCESS);
    CHECK(atr == sa.atr);
    REQUIRE(d.powerUp(b, atr) == IFD_SUCCESS);
    CHECK(atr == sb.atr);
    CHECK(d.powerUp(a, atr) == IFD_ICC_NOT_PRESENT);
    CHECK(atr.empty());
    cardA1.reset();
    CHECK(d.waitPresent(a + 1, false, 2000));
    CHECK(d.present(b));
}

TEST_CASE("polling function wakes on insertion and removal", "[ifd][presence]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    const std::uint16_t port = freePorts(2);
    REQUIRE(d.open(lun, server(port)) == IFD_SUCCESS);
    Channel c{lun};
    auto poll = d.pollFunction(lun);
    REQUIRE(poll);
    CHECK_FALSE(d.present(lun));

    auto timedPoll = [&](auto&& event) {
        std::promise<steady_clock::time_point> returned;
        std::thread t([&] {
            poll(lun, 5000);
            returned.set_value(steady_clock::now());
        });
        std::this_thread::sleep_for(Ms(50));  // let it block in poll()
        const auto t0 = steady_clock::now();
        event();
        auto f = returned.get_future();
        const bool done = f.wait_for(Ms(3000)) == std::future_status::ready;
        t.join();
        return done ? duration_cast<microseconds>(f.get() - t0) : microseconds(-1);
    };

    std::unique_ptr<FakeCard> card;
    const auto insertion = timedPoll([&] { card = FakeCard::connect(port); });
    std::fprintf(stderr, "insertion seen by the polling function after %lld us\n", static_cast<long long>(insertion.count()));
    CHECK(insertion.count() >= 0);
    CHECK(insertion < Ms(500));  // generous: correctness, not performance (bench/ measures it)
    CHECK(d.present(lun));

    // Nothing happens: the polling function waits out its timeout and returns IFD_SUCCESS.
    const auto t0 = steady_clock::now();
    CHECK(poll(lun, 100) == IFD_SUCCESS);
    CHECK(steady_clock::now() - t0 >= Ms(90));

    const auto removal = timedPoll([&] { card->disconnect(); });
    std::fprintf(stderr, "removal seen by the polling function after %lld us\n", static_cast<long long>(removal.count()));
    CHECK(removal.count() >= 0);
    CHECK(removal < Ms(500));
    CHECK_FALSE(d.present(lun));
}

TEST_CASE("stop polling: returns promptly, once (pcscd restarts the wait after SCardDisconnect)", "[ifd][presence]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    REQUIRE(d.open(lun, server(freePorts(2))) == IFD_SUCCESS);
    Channel c{lun};
    auto poll = d.pollFunction(lun);
    auto stop = d.stopFunction(lun);
    REQUIRE(poll);
    REQUIRE(stop);
    auto fut = std::async(std::launch::async, [&] { return poll(lun, 10000); });
    std::this_thread::sleep_for(Ms(50));
    const auto t0 = steady_clock::now();
    CHECK(stop(lun) == IFD_SUCCESS);
    REQUIRE(fut.wait_for(Ms(2000)) == std::future_status::ready);
    CHECK(fut.get() == IFD_SUCCESS);
    CHECK(steady_clock::now() - t0 < Ms(500));
    // Not sticky: pcscd's event thread calls again with the new timeout and must block, or it
    // spins (IFDHICCPresence + polling function in a loop) for as long as pcscd runs.
    auto t1 = steady_clock::now();
    CHECK(poll(lun, 150) == IFD_SUCCESS);
    CHECK(steady_clock::now() - t1 >= Ms(140));
    // A stop that arrives while no polling function runs ends the next call at once, one time.
    CHECK(stop(lun) == IFD_SUCCESS);
    t1 = steady_clock::now();
    CHECK(poll(lun, 10000) == IFD_SUCCESS);
    CHECK(steady_clock::now() - t1 < Ms(100));
    t1 = steady_clock::now();
    CHECK(poll(lun, 150) == IFD_SUCCESS);
    CHECK(steady_clock::now() - t1 >= Ms(140));
    // After close the Lun is gone.
    CHECK(d.closeChannel(lun) == IFD_SUCCESS);
    CHECK(poll(lun, 10) == IFD_NO_SUCH_DEVICE);
    CHECK(d.iccPresence(lun) == IFD_NO_SUCH_DEVICE);
}

TEST_CASE("card that stops answering: IFD_RESPONSE_TIMEOUT and the slot empties", "[ifd][faults]") {
    Script s;
    s.onApdu = [](ByteView) { return Reply{{}, false, true}; };
    Powered p(s, ";timeout=1");
    clearLog();
    Bytes rsp;
    const auto t0 = steady_clock::now();
    CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_RESPONSE_TIMEOUT);
    const auto took = steady_clock::now() - t0;
    CHECK(took >= Ms(900));
    CHECK(took < Ms(3000));
    CHECK(rsp.empty());
    CHECK_FALSE(p.d.present(p.lun));
    CHECK(logContains("no answer within 1 s"));
}

TEST_CASE("card disconnects mid-APDU; a new card is picked up at once", "[ifd][faults]") {
    Script s;
    s.onApdu = [](ByteView) { return Reply{{}, true, false}; };
    Powered p(s);
    Bytes rsp;
    CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
    CHECK(rsp.empty());
    CHECK_FALSE(p.d.present(p.lun));  // at once, no poll period
    auto next = FakeCard::connect(p.port);
    const auto t0 = steady_clock::now();
    CHECK(p.d.waitPresent(p.lun, true, 2000));
    CHECK(steady_clock::now() - t0 < Ms(500));
    Bytes atr;
    CHECK(p.d.powerUp(p.lun, atr) == IFD_SUCCESS);
    CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);
}

TEST_CASE("a removal is reported even when the next card is already waiting", "[ifd][presence]") {
    Powered p;
    p.card->disconnect();
    auto next = FakeCard::connect(p.port);
    std::this_thread::sleep_for(Ms(20));
    CHECK_FALSE(p.d.present(p.lun));  // pcscd must see the first card leave ...
    CHECK(p.d.waitPresent(p.lun, true, 2000));  // ... and then the new one arrive
}

TEST_CASE("second connection to an occupied slot is closed at once", "[ifd][faults]") {
    Powered p;
    clearLog();
    auto intruder = FakeCard::connect(p.port);
    auto poll = p.d.pollFunction(p.lun);
    poll(p.lun, 50);  // the polling thread services the listener too
    CHECK(intruder->waitClosedByDriver(2000));
    CHECK(logContains("refused connection"));
    Bytes rsp;
    CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);  // the first card is untouched
    CHECK(rsp == fromHex("90 00"));
}

TEST_CASE("malformed input from a card closes its connection", "[ifd][faults]") {
    clearLog();
    Bytes rsp;
    SECTION("zero-length answer to an APDU") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("00 00")}; };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
        CHECK(rsp.empty());
        expectDropped(p, "0 byte(s)");
    }
    SECTION("1-byte answer to an APDU") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("00 01 90")}; };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
        expectDropped(p, "1 byte(s)");
    }
    SECTION("truncated frame, then close") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("00 0A 01 02 03"), true}; };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
        expectDropped(p, "closed the connection", true);
    }
    SECTION("truncated frame, then silence") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("00 0A 01 02 03")}; };
        Powered p(s, ";timeout=1");
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_RESPONSE_TIMEOUT);
        expectDropped(p, "no answer");
    }
    SECTION("garbage: a length promising more than is sent") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("FF FF DE AD BE EF"), true}; };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
        expectDropped(p, "closed the connection", true);
    }
    SECTION("oversize ATR (34 bytes)") {
        Script s;
        s.atr = Bytes(34, 0x3B);
        Powered p(s, "", false);
        Bytes atr;
        CHECK(p.d.powerUp(p.lun, atr) == IFD_COMMUNICATION_ERROR);
        CHECK(atr.empty());
        expectDropped(p, "ATR must be 1..33");
    }
    SECTION("empty ATR") {
        Script s;
        s.onGetAtr = [] { return Reply{fromHex("00 00")}; };
        Powered p(s, "", false);
        Bytes atr;
        CHECK(p.d.powerUp(p.lun, atr) == IFD_COMMUNICATION_ERROR);
        expectDropped(p, "ATR must be 1..33");
    }
    SECTION("unsolicited bytes on an idle connection") {
        Powered p;
        p.card->sendRaw(fromHex("00 02 90 00"));
        CHECK(p.d.waitPresent(p.lun, false, 2000));
        expectDropped(p, "unsolicited");
    }
    SECTION("two answers to one APDU: the extra one is unsolicited") {
        Script s;
        s.onApdu = [](ByteView) { return Reply{fromHex("00 02 90 00 00 02 6A 82")}; };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);
        CHECK(rsp == fromHex("90 00"));
        std::this_thread::sleep_for(Ms(20));
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);
        expectDropped(p, "unsolicited");
    }
    SECTION("answer larger than the caller's buffer: error, but the card stays") {
        Script s;
        s.onApdu = [](ByteView) { return answer(Bytes(300, 0x61)); };
        Powered p(s);
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp, 100) == IFD_ERROR_INSUFFICIENT_BUFFER);
        CHECK(rsp.empty());
        CHECK(p.d.present(p.lun));
        CHECK(p.d.transmit(p.lun, kSelectMf, rsp) == IFD_SUCCESS);
        CHECK(rsp.size() == 300);
    }
}

TEST_CASE("errors leave *RxLength = 0", "[ifd]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    REQUIRE(d.open(lun, server(freePorts(2))) == IFD_SUCCESS);
    Channel c{lun};
    Bytes rsp;
    CHECK(d.transmit(lun, kSelectMf, rsp) == IFD_ICC_NOT_PRESENT);  // no card
    CHECK(rsp.empty());
    CHECK(d.transmit(nextReader(), kSelectMf, rsp) == IFD_NO_SUCH_DEVICE);  // no such Lun
    CHECK(rsp.empty());
    Bytes atr;
    CHECK(d.powerUp(lun, atr) == IFD_ICC_NOT_PRESENT);
    CHECK(atr.empty());
    CHECK(d.powerICC(lun, IFD_POWER_DOWN, nullptr, nullptr) == IFD_SUCCESS);  // nothing to power down
}

TEST_CASE("reversed mode without a listener, then with one", "[ifd][reversed]") {
    Driver& d = Driver::get();
    const DWORD lun = nextReader();
    const std::uint16_t port = freePorts(2);
    REQUIRE(d.open(lun, "127.0.0.1:" + std::to_string(port) + ";slots=1") == IFD_SUCCESS);
    Channel c{lun};
    auto poll = d.pollFunction(lun);
    REQUIRE(poll);
    const auto t0 = steady_clock::now();
    for (int i = 0; i < 5; ++i) CHECK_FALSE(d.present(lun));  // nothing listens: no crash, no block
    CHECK(steady_clock::now() - t0 < Ms(200));
    const auto t1 = steady_clock::now();
    CHECK(poll(lun, 300) == IFD_SUCCESS);  // retries with backoff, returns at its timeout
    CHECK(steady_clock::now() - t1 < Ms(1000));

    auto card = FakeCard::listen(port);
    auto fut = std::async(std::launch::async, [&] { return poll(lun, 5000); });
    REQUIRE(fut.wait_for(Ms(2000)) == std::future_status::ready);  // backoff is at most 250 ms
    CHECK(d.present(lun));
    Bytes atr, rsp;
    CHECK(d.powerUp(lun, atr) == IFD_SUCCESS);
    CHECK(d.transmit(lun, kSelectMf, rsp) == IFD_SUCCESS);
    card.reset();
    CHECK(d.waitPresent(lun, false, 2000));
}

TEST_CASE("IPv6: bind=::1 and reversed [::1]:PORT", "[ifd][ipv6]") {
    Driver& d = Driver::get();
    const std::uint16_t port = freePorts(2);
    const DWORD s = nextReader();
    if (d.open(s, server(port, ";bind=::1")) != IFD_SUCCESS) {
        std::fprintf(stderr, "no IPv6 loopback here; IPv6 test skipped\n");
        return;
    }
    Channel cs{s};
    auto card = FakeCard::connect(port, {}, "::1");
    CHECK(d.waitPresent(s, true, 2000));

    const std::uint16_t rport = freePorts(2);
    const DWORD r = nextReader();
    REQUIRE(d.open(r, "[::1]:" + std::to_string(rport)) == IFD_SUCCESS);
    Channel cr{r};
    auto listener = FakeCard::listen(rport, {}, "::1");
    CHECK(d.waitPresent(r, true, 2000));
    Bytes atr;
    CHECK(d.powerUp(r, atr) == IFD_SUCCESS);
}

TEST_CASE("IFDHCloseChannel releases every fd", "[ifd][fds]") {
    Driver& d = Driver::get();
    Driver::get();  // library loaded before counting
    const int before = openFdCount();
    {
        const DWORD lun = nextReader();
        const std::uint16_t port = freePorts(2);
        REQUIRE(d.open(lun, server(port)) == IFD_SUCCESS);
        REQUIRE(d.open(lun + 1, server(port)) == IFD_SUCCESS);
        const DWORD rev = nextReader();
        REQUIRE(d.open(rev, "127.0.0.1:" + std::to_string(freePorts(1)) + ";slots=1") == IFD_SUCCESS);
        CHECK_FALSE(d.present(rev));
        {
            Script s;
            int n = 0;
            s.onApdu = [&n](ByteView) { return ++n == 2 ? Reply{fromHex("00 01 90")} : answer(fromHex("90 00")); };
            auto card = FakeCard::connect(port, s);
            REQUIRE(d.waitPresent(lun, true, 2000));
            auto intruder = FakeCard::connect(port);
            d.pollFunction(lun)(lun, 50);
            CHECK(intruder->waitClosedByDriver(2000));
            Bytes atr, rsp;
            CHECK(d.powerUp(lun, atr) == IFD_SUCCESS);
            CHECK(d.transmit(lun, kSelectMf, rsp) == IFD_SUCCESS);
            CHECK(d.transmit(lun, kSelectMf, rsp) == IFD_COMMUNICATION_ERROR);  // malformed → dropped
            auto again = FakeCard::connect(port);
            CHECK(d.waitPresent(lun, true, 2000));
            auto slot1 = FakeCard::connect(static_cast<std::uint16_t>(port + 1));
            CHECK(d.waitPresent(lun + 1, true, 2000));
            CHECK(d.closeChannel(lun) == IFD_SUCCESS);  // with a card connected
            CHECK(d.closeChannel(lun + 1) == IFD_SUCCESS);
            CHECK(d.closeChannel(rev) == IFD_SUCCESS);
        }
    }
    CHECK(openFdCount() == before);
}
