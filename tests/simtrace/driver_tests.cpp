// Driver-level tests of ifd-simtrace: the built libifdsimtrace.so, dlopen'ed as pcscd does, with
// its real libusb code path talking to a simulated SIMtrace2 behind umockdev (sim_st2.hpp).
// Run by simtrace-driver.sh under umockdev-wrapper.
#include <cstdarg>
#include <cstdio>

#include "tests/simtrace/driver_harness.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;
using vpcsc::test::Board;
using vpcsc::test::SimSimtrace;
using namespace vpcsc::test::drv;

extern "C" __attribute__((visibility("default"))) void log_msg(const int priority, const char* fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (std::getenv("SIMTRACE_TEST_VERBOSE")) std::fprintf(stderr, "[pcscd log %d] %s\n", priority, buf);
    std::lock_guard lock(g_logMutex);
    g_log.emplace_back(buf);
}

TEST_CASE("simtrace: enumeration by interface; DFU refused; nothing sent before ARM", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel ch{0x10000};
    CHECK(d.open(0x20000, sim.deviceName(1)) == IFD_NO_SUCH_DEVICE);  // DFU runtime interface
    CHECK(logContains("is not a SIMtrace2 trace or cardem function"));
    CHECK(d.open(0x30000, "usb:1d50/60e3:libudev:0:/dev/bus/usb/001/250") == IFD_NO_SUCH_DEVICE);
    CHECK(d.open(0x30000, "usb:garbage") == IFD_NO_SUCH_DEVICE);
    CHECK(d.open(0x30000, std::string(600, 'x')) == IFD_NO_SUCH_DEVICE);

    // 4 bulk IN and 1 interrupt IN transfers always pending.
    CHECK(sim.waitPendingIn(0x85, 4));
    CHECK(sim.waitPendingIn(0x86, 1));

    Bytes info;
    REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_GET_INFO, {}, info) == IFD_SUCCESS);
    REQUIRE(info.size() >= 9);
    CHECK(info[0] == 2);  // cardem
    CHECK(info[1] == 0);  // not armed
    CHECK(toHex(ByteView(info).subspan(9)) == "3B 80 80 81 1F C7 59");  // the firmware's default ATR
    CHECK(d.iccPresence(0x10000) == IFD_ICC_NOT_PRESENT);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(sim.received(0x04).empty());  // never cut the phone off its SIM at hot-plug

    DWORD len = 1;
    UCHAR v[8] = {};
    CHECK(d.getCapabilities(0x10000, TAG_IFD_SIMULTANEOUS_ACCESS, &len, v) == IFD_SUCCESS);
    CHECK(v[0] >= 2);
    len = sizeof v;
    CHECK(d.getCapabilities(0x10000, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT, &len, v) == IFD_SUCCESS);
    CHECK(len == sizeof(void*));
    UCHAR rx[64];
    DWORD rxLen = sizeof rx;
    UCHAR tx[] = {0x00, 0xA4, 0x00, 0x00};
    SCARD_IO_HEADER pci{SCARD_PROTOCOL_T0, 8};
    CHECK(d.transmitToICC(0x10000, pci, tx, 4, rx, &rxLen, nullptr) == IFD_ERROR_NOT_SUPPORTED);
    CHECK(rxLen == 0);
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_PUT_RESPONSE, fromHex("90 00")) == IFD_COMMUNICATION_ERROR);
    CHECK(d.ctl(0x10000, 0x42000000 + 3599) == IFD_ERROR_NOT_SUPPORTED);
}

TEST_CASE("simtrace: a DFU-mode board gives no reader", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    SimSimtrace sim(Board::DfuMode);
    CHECK(Drv::get().open(0x40000, sim.deviceName(0)) == IFD_NO_SUCH_DEVICE);
}

TEST_CASE("simtrace: ARM, then a phone sends SELECT, GET RESPONSE, READ RECORD, VERIFY, AUTHENTICATE", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel ch{0x10000};
    REQUIRE(sim.waitPendingIn(0x85, 4));

    REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_SET_ATR, fromHex("3B 02 14 50")) == IFD_SUCCESS);
    CHECK(sim.received(0x04).empty());
    REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_ARM) == IFD_SUCCESS);
    CHECK(toHex(sim.waitReceived(0x04)) == "01 08 00 00 00 00 0C 00 01 00 00 00");
    CHECK(toHex(sim.waitReceived(0x04)) == "01 02 00 00 00 00 0D 00 04 3B 02 14 50");
    CHECK(toHex(sim.waitReceived(0x04)) == "01 05 00 00 00 00 09 00 01");
    CHECK(toHex(sim.waitReceived(0x04)) == "02 02 00 00 00 00 09 00 01");
    CHECK(toHex(sim.waitReceived(0x04)) == "01 04 00 00 00 00 08 00");
    CHECK(d.iccPresence(0x10000) == IFD_ICC_NOT_PRESENT);  // VCC still off

    // The phone powers the SIM: STATUS on the interrupt endpoint wakes the polling function.
    using PollFn = RESPONSECODE (*)(DWORD, int);
    PollFn poll = nullptr;
    DWORD len = sizeof poll;
    REQUIRE(d.getCapabilities(0x10000, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT, &len, reinterpret_cast<PUCHAR>(&poll)) == IFD_SUCCESS);
    std::thread power([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        sim.send(0x86, statusMsg(STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE));
    });
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(poll(0x10000, 5000) == IFD_SUCCESS);
    power.join();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2000));
    CHECK(d.waitPresence(0x10000, IFD_ICC_PRESENT));
    // TAG_IFD_STOP_POLLING_THREAD only wakes the polling function once (pcscd uses it on
    // SCardDisconnect too, and keeps polling afterwards).
    using StopFn = RESPONSECODE (*)(DWORD);
    StopFn stop = nullptr;
    len = sizeof stop;
    REQUIRE(d.getCapabilities(0x10000, TAG_IFD_STOP_POLLING_THREAD, &len, reinterpret_cast<PUCHAR>(&stop)) == IFD_SUCCESS);
    CHECK(stop(0x10000) == IFD_SUCCESS);
    auto t1 = std::chrono::steady_clock::now();
    CHECK(poll(0x10000, 5000) == IFD_SUCCESS);
    CHECK(std::chrono::steady_clock::now() - t1 < std::chrono::milliseconds(500));
    t1 = std::chrono::steady_clock::now();
    CHECK(poll(0x10000, 200) == IFD_SUCCESS);
    CHECK(std::chrono::steady_clock::now() - t1 >= std::chrono::milliseconds(150));
    UCHAR atr[MAX_ATR_SIZE];
    DWORD atrLen = sizeof atr;
    REQUIRE(d.powerICC(0x10000, IFD_POWER_UP, atr, &atrLen) == IFD_SUCCESS);
    CHECK(toHex(ByteView(atr, atrLen)) == "3B 02 14 50");
    CHECK(d.powerICC(0x10000, IFD_POWER_DOWN, nullptr, nullptr) == IFD_SUCCESS);
    CHECK(sim.received(0x04).empty());  // power actions never touch the link
    gsmtapPackets(100);

    SimApp app(0x10000, simAnswer);
    // GSM SELECT MF: case 3 on the wire, 9F17, then GET RESPONSE.
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("A0 A4 00 00 02"), fromHex("3F 00"))) == "A4 9F 17");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("A0 C0 00 00 17"), {})) == "C0 " + toHex(kFci) + " 90 00");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B2 01 04 04"), {})) == "B2 DE AD BE EF 90 00");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 20 00 01 08"), fromHex("31 32 33 34 FF FF FF FF"))) == "20 90 00");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 20 00 01 08"), fromHex("39 39 39 39 FF FF FF FF"))) == "20 63 C2");
    // USIM AUTHENTICATE: case 4 -> 61xx, GET RESPONSE.
    const Bytes rand16(16, 0xAB);
    Bytes authData{0x10};
    append(authData, rand16);
    Bytes authHdr = fromHex("00 88 00 81");
    authHdr.push_back(static_cast<std::uint8_t>(authData.size()));
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, authHdr, authData)) == "88 61 0A");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 C0 00 00 0A"), {})) == "C0 DB 08 11 22 33 44 55 66 77 88 90 00");

    const auto seen = app.seen();
    REQUIRE(seen.size() == 5);  // GET RESPONSEs are answered by the driver
    CHECK(toHex(seen[0]) == "A0 A4 00 00 02 3F 00 00");
    CHECK(toHex(seen[1]) == "00 B2 01 04 04");
    CHECK(toHex(seen[2]) == "00 20 00 01 08 31 32 33 34 FF FF FF FF");
    CHECK(toHex(seen[4]).rfind("00 88 00 81 11 10 AB", 0) == 0);
    CHECK(seen[4].back() == 0x00);  // Le added for the case-4 command
    CHECK(app.sawEvent(VPCSC_SIMTRACE_EV_POWER_ON));

    // Every exchange went to GSMTAP as an APDU (C-APDU + R-APDU).
    const auto packets = gsmtapPackets();
    REQUIRE(packets.size() >= 5);
    CHECK(toHex(ByteView(packets[1]).first(16)) == "02 04 04 00 00 00 00 00 00 00 00 00 00 00 00 00");
    CHECK(toHex(ByteView(packets[1]).subspan(16)) == "00 B2 01 04 04 DE AD BE EF 90 00");
    // The pcap file holds the same packets, last in the same order.
    const auto inPcap = pcapGsmtapPackets();
    REQUIRE(inPcap.size() >= packets.size());
    CHECK(std::vector<Bytes>(inPcap.end() - static_cast<std::ptrdiff_t>(packets.size()), inPcap.end()) == packets);
    CHECK(toHex(ByteView(inPcap.front()).first(4)) == "02 04 04 00");

    // Trace records: the APDU exchanges.
    Bytes trace;
    REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_READ_TRACE, {}, trace) == IFD_SUCCESS);
    const auto records = vpcsc::simtrace::decodeRecords(trace);
    int apdus = 0;
    for (const auto& r : records) apdus += r.type == VPCSC_SIMTRACE_REC_APDU;
    CHECK(apdus == 5);
}

TEST_CASE("simtrace: 6Cxx and the repeat, phone reset, DISARM", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel ch{0x10000};
    REQUIRE(sim.waitPendingIn(0x85, 4));
    armAndPower(d, 0x10000, sim);
    sim.received(0x04);
    SimApp app(0x10000, simAnswer);
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B0 00 00 00"), {})) == "6C 03");
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B0 00 00 03"), {})) == "B0 01 02 03 90 00");
    CHECK(app.seen().size() == 1);  // the repeat came from the driver

    // Phone reset: RST asserted -> card gone, RESET event; released -> present again.
    sim.send(0x86, statusMsg(STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE | STATUS_F_RESET_ACTIVE));
    CHECK(d.waitPresence(0x10000, IFD_ICC_NOT_PRESENT));
    sim.send(0x86, statusMsg(STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE));
    CHECK(d.waitPresence(0x10000, IFD_ICC_PRESENT));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(app.sawEvent(VPCSC_SIMTRACE_EV_RESET));
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B2 01 04 04"), {})) == "B2 DE AD BE EF 90 00");

    // PPS reported by the firmware reaches the client.
    Pts pts;
    pts.length = 4;
    pts.request = {0xFF, 0x10, 0x94, 0x7B, 0, 0};
    pts.response = pts.request;
    sim.send(0x85, encodeMessage(MsgClass::Cardem, cardem::DO_PTS, encodePts(pts)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(app.sawEvent(VPCSC_SIMTRACE_EV_PPS));

    REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_DISARM) == IFD_SUCCESS);
    CHECK(toHex(sim.waitReceived(0x04)) == "01 05 00 00 00 00 09 00 00");
    CHECK(toHex(sim.waitReceived(0x04)) == "02 02 00 00 00 00 09 00 00");
    CHECK(d.iccPresence(0x10000) == IFD_ICC_NOT_PRESENT);
}

TEST_CASE("simtrace: malformed and oversize device messages are logged and dropped", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel ch{0x10000};
    REQUIRE(sim.waitPendingIn(0x85, 4));
    armAndPower(d, 0x10000, sim);
    sim.received(0x04);
    const std::vector<Bytes> bad = {
        fromHex("01"),                                                      // shorter than a header
        fromHex("01 06 00 00 00 00 FF 00 01 00 00 00 05 00 A0"),             // msg_len past the transfer
        fromHex("01 06 00 00 00 00 0E 00 01 00 00 00 05 00"),                // data_len 5, no data
        fromHex("01 06 00 00 00 00 11 00 01 00 00 00 03 00 A0 A4 00"),       // 3-byte TPDU header
        fromHex("01 06 00 00 00 00 0E 00 02 00 00 00 00 00"),                // data with no header before
        fromHex("01 04 00 00 00 00 0A 00 01 00"),                            // short STATUS
        fromHex("07 01 00 00 00 00 08 00"),                                  // unknown class
        fromHex("03 04 00 00 00 00 08 00"),                                  // sniff message on cardem
        Bytes(300, 0x01),                                                    // longer than 280
        Bytes(5000, 0x01),                                                   // overflows the 4096-byte transfer
    };
    for (const Bytes& b : bad) sim.send(0x85, b);
    sim.send(0x86, Bytes(100, 0xFF));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(logContains("dropping malformed message"));
    CHECK(d.iccPresence(0x10000) == IFD_ICC_PRESENT);
    CHECK(sim.waitPendingIn(0x85, 4));  // every IN transfer was resubmitted
    // The driver still works.
    SimApp app(0x10000, simAnswer);
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B2 01 04 04"), {})) == "B2 DE AD BE EF 90 00");
    // Bad client input through SCardControl.
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_SET_ATR, Bytes(34, 0x3B)) == IFD_COMMUNICATION_ERROR);
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_SET_ATR, {}) == IFD_COMMUNICATION_ERROR);
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_PUT_RESPONSE, fromHex("90")) == IFD_COMMUNICATION_ERROR);
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_GET_EVENT, fromHex("01 02 03")) == IFD_COMMUNICATION_ERROR);
    Bytes small;
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_READ_TRACE, {}, small, 4) == IFD_ERROR_INSUFFICIENT_BUFFER);
}

TEST_CASE("simtrace: unplug during a TPDU", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    REQUIRE(sim.waitPendingIn(0x85, 4));
    armAndPower(d, 0x10000, sim);
    sim.send(0x85, encodeMessage(MsgClass::Cardem, cardem::DO_RX_DATA, encodeData({DATA_F_TPDU_HDR, fromHex("00 B0 00 00 10")})));
    Bytes ev;
    for (int i = 0; i < 10 && (ev.empty() || ev[0] != VPCSC_SIMTRACE_EV_APDU); ++i)
        REQUIRE(d.ctl(0x10000, VPCSC_SIMTRACE_GET_EVENT, {}, ev) == IFD_SUCCESS);
    REQUIRE(toHex(ev) == "01 00 B0 00 00 10");
    sim.unplug();
    CHECK(d.waitPresence(0x10000, IFD_NO_SUCH_DEVICE));
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_PUT_RESPONSE, fromHex("90 00")) == IFD_NO_SUCH_DEVICE);
    CHECK(d.ctl(0x10000, VPCSC_SIMTRACE_GET_EVENT) == IFD_NO_SUCH_DEVICE);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(d.closeChannel(0x10000) == IFD_SUCCESS);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    CHECK(d.iccPresence(0x10000) == IFD_NO_SUCH_DEVICE);
}

TEST_CASE("simtrace: two cardem readers on one qmod board, DFU interface refused", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::QmodCardem);
    REQUIRE(d.open(0x10000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel a{0x10000};
    REQUIRE(d.open(0x20000, sim.deviceName(1)) == IFD_SUCCESS);
    Channel b{0x20000};
    CHECK(d.open(0x30000, sim.deviceName(2)) == IFD_NO_SUCH_DEVICE);
    CHECK(sim.waitPendingIn(0x85, 4));
    CHECK(sim.waitPendingIn(0x82, 4));
    REQUIRE(d.ctl(0x20000, VPCSC_SIMTRACE_ARM) == IFD_SUCCESS);
    CHECK(!sim.waitReceived(0x01).empty());
    CHECK(sim.received(0x04).empty());  // only the second slot was armed
    sim.send(0x83, statusMsg(STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE));
    CHECK(d.waitPresence(0x20000, IFD_ICC_PRESENT));
    CHECK(d.iccPresence(0x10000) == IFD_ICC_NOT_PRESENT);
    SimApp app(0x20000, simAnswer);
    CHECK(toHex(vpcsc::test::phoneTpdu(sim, fromHex("00 B2 01 04 04"), {}, 0x82, 0x01)) == "B2 DE AD BE EF 90 00");
}

TEST_CASE("simtrace: trace reader: sniffed ATR, every error flag, records, GSMTAP byte for byte", "[simtrace][driver]") {
    REQUIRE(vpcsc::test::umockdevAvailable());
    gsmtapSocket();
    Drv& d = Drv::get();
    SimSimtrace sim(Board::SimtraceTrace);
    REQUIRE(d.open(0x50000, sim.deviceName(0)) == IFD_SUCCESS);
    Channel ch{0x50000};
    CHECK(d.open(0x60000, sim.deviceName(1)) == IFD_NO_SUCH_DEVICE);
    REQUIRE(sim.waitPendingIn(0x82, 4));
    CHECK(sim.pendingIn(0x83) == 1);
    gsmtapPackets(100);
    CHECK(d.iccPresence(0x50000) == IFD_ICC_NOT_PRESENT);
    UCHAR atr[MAX_ATR_SIZE];
    DWORD atrLen = sizeof atr;
    CHECK(d.powerICC(0x50000, IFD_POWER_UP, atr, &atrLen) == IFD_ICC_NOT_PRESENT);
    CHECK(atrLen == 0);

    auto sniff = [&](std::uint8_t type, ByteView payload) { sim.send(0x82, encodeMessage(MsgClass::Sniff, type, payload)); };
    const Bytes theAtr = fromHex("3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5");
    sniff(sniff::CHANGE, encodeU32(SNIFF_CHANGE_RESET_DEASSERT));
    sniff(sniff::ATR, encodeData({0, theAtr}));
    CHECK(d.waitPresence(0x50000, IFD_ICC_PRESENT));
    atrLen = sizeof atr;
    REQUIRE(d.powerICC(0x50000, IFD_POWER_UP, atr, &atrLen) == IFD_SUCCESS);
    CHECK(Bytes(atr, atr + atrLen) == theAtr);
    sniff(sniff::PPS, encodeData({0, fromHex("FF 10 96 79")}));
    sniff(sniff::PPS, encodeData({0, fromHex("FF 10 96 79")}));
    sniff(sniff::FIDI, encodeByte(0x96));
    const Bytes tpdu = fromHex("00 A4 00 04 02 3F 00 61 1C");
    sniff(sniff::TPDU, encodeData({0, tpdu}));
    const std::uint32_t flags[] = {SNIFF_DATA_ERROR_INCOMPLETE, SNIFF_DATA_ERROR_MALFORMED, SNIFF_DATA_ERROR_CHECKSUM,
                                   SNIFF_DATA_ERROR_OVERRUN, SNIFF_DATA_ERROR_FRAMING, SNIFF_DATA_ERROR_PARITY};
    for (std::uint32_t f : flags) {
        sniff(sniff::TPDU, encodeData({f, fromHex("00 B0 00 00 02")}));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the firmware queues only 3
    }
    sniff(sniff::CHANGE, encodeU32(SNIFF_CHANGE_TIMEOUT_WT));
    sniff(sniff::CHANGE, encodeU32(SNIFF_CHANGE_RESET_ASSERT));
    CHECK(d.waitPresence(0x50000, IFD_ICC_NOT_PRESENT));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));

    Bytes out;
    REQUIRE(d.ctl(0x50000, VPCSC_SIMTRACE_READ_TRACE, {}, out) == IFD_SUCCESS);
    const auto recs = vpcsc::simtrace::decodeRecords(out);
    std::string summary;
    for (const auto& r : recs) summary += std::to_string(r.type) + ":" + std::to_string(r.flags) + " ";
    CHECK(summary == "4:8 1:0 2:0 2:0 5:0 3:0 3:32 3:64 3:128 3:256 3:512 3:1024 4:16 4:4 ");
    REQUIRE(recs.size() == 14);
    CHECK(recs[1].data == theAtr);
    CHECK(recs[5].data == tpdu);
    CHECK(recs[4].data == fromHex("96"));
    CHECK(recs[0].timestampUs <= recs[13].timestampUs);
    Bytes again;
    REQUIRE(d.ctl(0x50000, VPCSC_SIMTRACE_READ_TRACE, {}, again) == IFD_SUCCESS);
    CHECK(again.empty());  // records are consumed

    const auto packets = gsmtapPackets();
    REQUIRE(packets.size() == 10);  // ATR, PPS req, PPS rsp, 7 TPDUs
    CHECK(toHex(packets[0]) == "02 04 04 00 00 00 00 00 00 00 00 00 01 00 00 00 " + toHex(theAtr));
    CHECK(toHex(packets[1]) == "02 04 04 00 00 00 00 00 00 00 00 00 02 00 00 00 FF 10 96 79");
    CHECK(toHex(packets[2]) == "02 04 04 00 00 00 00 00 00 00 00 00 03 00 00 00 FF 10 96 79");
    CHECK(toHex(packets[3]) == "02 04 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 A4 00 04 02 3F 00 61 1C");

    // Malformed sniffer messages are dropped; the reader carries on; nothing was ever sent.
    sim.send(0x82, fromHex("03 02 00 00 00 00 0E 00 00 00 00 00 09 00"));
    sim.send(0x82, fromHex("01 06 00 00 00 00 08 00"));
    sniff(sniff::ATR, encodeData({SNIFF_DATA_ERROR_INCOMPLETE, fromHex("3B")}));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(d.iccPresence(0x50000) == IFD_ICC_NOT_PRESENT);
    sniff(sniff::ATR, encodeData({0, theAtr}));
    CHECK(d.waitPresence(0x50000, IFD_ICC_PRESENT));
    CHECK(sim.received(0x01).empty());
    UCHAR rx[16];
    DWORD rxLen = sizeof rx;
    UCHAR tx[] = {0x00, 0xB0, 0x00, 0x00, 0x02};
    CHECK(d.transmitToICC(0x50000, SCARD_IO_HEADER{SCARD_PROTOCOL_T0, 8}, tx, 5, rx, &rxLen, nullptr) == IFD_ERROR_NOT_SUPPORTED);
    CHECK(d.powerICC(0x50000, IFD_POWER_DOWN, nullptr, nullptr) == IFD_SUCCESS);
    CHECK(sim.received(0x01).empty());
}
