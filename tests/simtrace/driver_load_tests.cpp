// ifd-simtrace under load, against the simulated SIMtrace2 (driver_harness.hpp): thousands of phone
// TPDUs through a card-emulation reader, and a sniffer stream at the rate the host takes it and
// faster than the client reads it. Nothing may be lost, duplicated or reordered where the driver
// is the bottleneck; where the firmware or the ring buffer overflows, the loss is counted.
#include "tests/simtrace/driver_harness.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;
using vpcsc::test::Board;
using vpcsc::test::SimSimtrace;
using namespace vpcsc::test::drv;

namespace {

// The content of the emulated file at `offset`: what READ BINARY returns and UPDATE BINARY must send.
Bytes pattern(unsigned offset, std::size_t n) {
    Bytes b(n);
    for (std::size_t k = 0; k < n; ++k) b[k] = static_cast<std::uint8_t>(offset * 31 + k * 7 + (offset >> 8));
    return b;
}

Bytes header(std::uint8_t ins, unsigned offset, std::size_t p3) {
    return Bytes{0x00, ins, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset), static_cast<std::uint8_t>(p3)};
}

// The SIM: READ BINARY answers the pattern at P1P2; UPDATE BINARY checks that the data is the pattern
// (6A 80 otherwise), so a corrupted or misrouted command shows in what the phone gets.
Bytes fileAnswer(const Bytes& c) {
    if (c.size() < 5) return fromHex("67 00");
    const unsigned offset = c[2] << 8 | c[3];
    if (c[1] == 0xB0) {
        Bytes r = pattern(offset, c[4] ? c[4] : 256);
        append(r, fromHex("90 00"));
        return r;
    }
    if (c[1] == 0xD6) return c.size() == 5u + c[4] && Bytes(c.begin() + 5, c.end()) == pattern(offset, c[4]) ? fromHex("90 00") : fromHex("6A 80");
    return fromHex("6D 00");
}

std::uint16_t droppedRecords(Drv& d, DWORD lun) {
    Bytes info;
    REQUIRE(d.ctl(lun, VPCSC_SIMTRACE_GET_INFO, {}, info) == IFD_SUCCESS);
    REQUIRE(info.size() >= 9);
    return static_cast<std::uint16_t>(info[6] | info[7] << 8);
}

Bytes sniffedTpdu(unsigned i) {
    Bytes t = header(0xB0, i, 4);
    append(t, pattern(i, 4));
    append(t, fromHex("90 00"));
    return t;
}

Bytes sniffMsg(std::uint8_t type, ByteView payload) { return encodeMessage(MsgClass::Sniff, type, payload); }

// A board whose interface 0 is open in the driver as `lun`, with the host's IN transfers pending.
struct OpenBoard {
    Drv& d = Drv::get();
    SimSimtrace sim;
    DWORD lun;
    Channel ch;
    OpenBoard(Board board, DWORD l, std::uint8_t inEp) : sim(board), lun(l), ch{l} {
        REQUIRE(vpcsc::test::umockdevAvailable());
        gsmtapSocket();
        REQUIRE(d.open(lun, sim.deviceName(0)) == IFD_SUCCESS);
        REQUIRE(sim.waitPendingIn(inEp, 4));
    }
    ~OpenBoard() { gsmtapPackets(50); }  // what the kernel kept of the GSMTAP stream: not for the next test
};

// How many of the pcap file's last want.size() GSMTAP packets do not carry want[i] after the
// 16-byte GSMTAP header.
unsigned pcapTailMismatches(const std::vector<Bytes>& want) {
    const auto inPcap = pcapGsmtapPackets();
    if (inPcap.size() < want.size()) return static_cast<unsigned>(want.size());
    unsigned bad = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const Bytes& p = inPcap[inPcap.size() - want.size() + i];
        bad += p.size() < 16 || Bytes(p.begin() + 16, p.end()) != want[i];
    }
    return bad;
}

}  // namespace

TEST_CASE("simtrace load: 2,000 phone TPDUs back to back through a cardem reader, each answered with its own bytes", "[simtrace][driver][load]") {
    OpenBoard b(Board::SimtraceCardem, 0x70000, 0x85);
    Drv& d = b.d;
    SimSimtrace& sim = b.sim;
    const DWORD lun = b.lun;
    armAndPower(d, lun, sim);
    SimApp app(lun, fileAnswer);

    // Even i: READ BINARY of 1..250 bytes (the phone gets INS, the data, 90 00); odd i: UPDATE
    // BINARY of 1..250 bytes (INS as the procedure byte for the data, then 90 00 if it arrived intact).
    constexpr unsigned kTpdus = 2000;
    std::vector<Bytes> sent;
    unsigned wrong = 0;
    std::string firstWrong;
    for (unsigned i = 0; i < kTpdus; ++i) {
        const std::size_t n = 1 + (i * 37) % 250;
        const bool read = i % 2 == 0;
        const Bytes hdr = header(read ? 0xB0 : 0xD6, i, n);
        const Bytes data = read ? Bytes{} : pattern(i, n);
        Bytes want{hdr[1]};
        if (read) append(want, pattern(i, n));
        append(want, fromHex("90 00"));
        const Bytes got = vpcsc::test::phoneTpdu(sim, hdr, data);
        if (got != want && wrong++ == 0) firstWrong = std::to_string(i) + ": " + toHex(hdr) + " => " + toHex(got);
        Bytes cmd = hdr;
        append(cmd, data);
        sent.push_back(cmd);
    }
    CHECK(wrong == 0);
    CHECK(firstWrong == "");
    CHECK(sim.droppedIn() == 0);

    // The client saw every command once, in order, as the phone sent it (a case-2 READ BINARY keeps
    // its Le; UPDATE BINARY is case 3: no Le).
    const auto seen = app.seen();
    REQUIRE(seen.size() == kTpdus);
    unsigned misordered = 0;
    for (unsigned i = 0; i < kTpdus; ++i) misordered += seen[i] != sent[i];
    CHECK(misordered == 0);

    // Every exchange is a GSMTAP packet in the pcap file (C-APDU then R-APDU), in order.
    std::vector<Bytes> exchanges;
    for (const Bytes& c : sent) {
        exchanges.push_back(c);
        append(exchanges.back(), fileAnswer(c));
    }
    CHECK(pcapTailMismatches(exchanges) == 0);
    // The ring keeps the newest 1,024 APDU records; the older ones are counted as dropped.
    Bytes trace;
    REQUIRE(d.ctl(lun, VPCSC_SIMTRACE_READ_TRACE, {}, trace, 1 << 20) == IFD_SUCCESS);
    const auto records = vpcsc::simtrace::decodeRecords(trace);
    REQUIRE(records.size() == 1024);
    CHECK(droppedRecords(d, lun) >= kTpdus - 1024);
    CHECK(records.back().data == exchanges.back());
}

TEST_CASE("simtrace load: a trace reader takes 10,000 sniffed TPDUs at the host's pace, none lost", "[simtrace][driver][load]") {
    OpenBoard b(Board::SimtraceTrace, 0x80000, 0x82);
    Drv& d = b.d;
    SimSimtrace& sim = b.sim;
    const DWORD lun = b.lun;
    gsmtapPackets(50);  // what earlier tests left

    // A client drains the records while the board sends (READ_TRACE every few ms).
    std::atomic<bool> stop{false};
    std::vector<vpcsc::simtrace::TraceRecord> records;
    std::thread reader([&] {
        for (bool last = false; !last;) {
            last = stop;
            Bytes out;
            if (d.ctl(lun, VPCSC_SIMTRACE_READ_TRACE, {}, out, 1 << 20) == IFD_SUCCESS)
                for (auto& r : vpcsc::simtrace::decodeRecords(out)) records.push_back(std::move(r));
            if (!last) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    // Each message goes when the host has an IN transfer waiting for it, as a USB device sends.
    constexpr unsigned kTpdus = 10000;
    unsigned stalls = 0;
    for (unsigned i = 0; i < kTpdus; ++i) {
        stalls += !sim.waitPendingIn(0x82, 1);
        sim.send(0x82, sniffMsg(sniff::TPDU, encodeData({0, sniffedTpdu(i)})));
    }
    CHECK(stalls == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
    reader.join();
    CHECK(sim.droppedIn() == 0);
    CHECK(droppedRecords(d, lun) == 0);
    REQUIRE(records.size() == kTpdus);
    unsigned bad = 0;
    for (unsigned i = 0; i < kTpdus; ++i)
        bad += records[i].type != VPCSC_SIMTRACE_REC_TPDU || records[i].flags != 0 || records[i].data != sniffedTpdu(i);
    CHECK(bad == 0);
    std::vector<Bytes> tpdus;
    for (unsigned i = 0; i < kTpdus; ++i) tpdus.push_back(sniffedTpdu(i));
    CHECK(pcapTailMismatches(tpdus) == 0);
}

TEST_CASE("simtrace load: a sniffer stream faster than host and client: loss counted, memory bounded, reader goes on", "[simtrace][driver][load]") {
    OpenBoard b(Board::SimtraceTrace, 0x90000, 0x82);
    Drv& d = b.d;
    SimSimtrace& sim = b.sim;
    const DWORD lun = b.lun;

    // Nobody reads the ring: 3,000 messages at the host's pace, then 2,000 without waiting for it
    // (the firmware's queue of 3 drops the oldest). The ring keeps the newest 1,024 records and
    // counts the others as dropped.
    constexpr unsigned kPaced = 3000, kTpdus = 5000;
    unsigned stalls = 0;
    for (unsigned i = 0; i < kTpdus; ++i) {
        if (i < kPaced) stalls += !sim.waitPendingIn(0x82, 1);
        sim.send(0x82, sniffMsg(sniff::TPDU, encodeData({0, sniffedTpdu(i)})));
    }
    REQUIRE(stalls == 0);
    REQUIRE(sim.waitPendingIn(0x82, 4, std::chrono::milliseconds(5000)));  // the host took what was queued
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(sim.droppedIn() > 0);
    const unsigned delivered = kTpdus - static_cast<unsigned>(sim.droppedIn());
    INFO("delivered " << delivered << " of " << kTpdus);
    Bytes trace;
    REQUIRE(d.ctl(lun, VPCSC_SIMTRACE_READ_TRACE, {}, trace, 1 << 20) == IFD_SUCCESS);
    const auto records = vpcsc::simtrace::decodeRecords(trace);
    CHECK(records.size() == 1024);
    CHECK(droppedRecords(d, lun) == delivered - records.size());
    // What is kept is the newest, in order, and ends with the last message sent.
    REQUIRE(!records.empty());
    CHECK(records.back().data == sniffedTpdu(kTpdus - 1));
    unsigned order = 0;
    for (std::size_t k = 1; k < records.size(); ++k) {
        const unsigned before = records[k - 1].data[2] << 8 | records[k - 1].data[3];
        order += static_cast<unsigned>(records[k].data[2] << 8 | records[k].data[3]) <= before;
    }
    CHECK(order == 0);

    // The reader goes on: an ATR sniffed now makes a card present.
    const Bytes atr = fromHex("3B 02 14 50");
    sim.send(0x82, sniffMsg(sniff::CHANGE, encodeU32(SNIFF_CHANGE_RESET_DEASSERT)));
    sim.send(0x82, sniffMsg(sniff::ATR, encodeData({0, atr})));
    CHECK(d.waitPresence(lun, IFD_ICC_PRESENT));
}
