// T=0 card-side engine (ifd-simtrace/t0_engine.hpp): what the firmware is told to send to the
// phone for every TPDU shape, byte for byte.
#include <catch2/catch.hpp>

#include "ifd-simtrace/st2_protocol.hpp"
#include "ifd-simtrace/t0_engine.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;
using Tx = T0Engine::TxRequest;

namespace {

constexpr std::uint32_t kSw = DATA_F_PB_AND_TX | DATA_F_FINAL;

T0Engine::Result header(T0Engine& e, const char* hex) { return e.onRxData(DATA_F_TPDU_HDR, fromHex(hex)); }

std::string txHex(const std::vector<Tx>& tx) {
    std::string out;
    for (const Tx& t : tx) out += describeFlags(t.flags, MsgClass::Cardem, cardem::DT_TX_DATA) + ":" + toHex(t.data) + ";";
    return out;
}

}  // namespace

TEST_CASE("T=0: the CLA/INS table decides whether P3 is Lc or Le", "[t0]") {
    CHECK(classifyTpdu(0xA0, 0xA4, 0, 0).p3 == P3Meaning::Lc);
    CHECK(classifyTpdu(0xA0, 0xA4, 0, 0).case4);
    CHECK(classifyTpdu(0x00, 0xA4, 0x00, 0x04).case4);
    CHECK_FALSE(classifyTpdu(0x00, 0xA4, 0x00, 0x0C).case4);  // TS 102 221: no data returned
    CHECK(classifyTpdu(0xA0, 0xB2, 1, 4).p3 == P3Meaning::Le);
    CHECK(classifyTpdu(0x00, 0xB0, 0, 0).p3 == P3Meaning::Le);
    CHECK(classifyTpdu(0x80, 0xF2, 0, 0).p3 == P3Meaning::Le);
    CHECK(classifyTpdu(0x00, 0x20, 0, 1).p3 == P3Meaning::Lc);
    CHECK_FALSE(classifyTpdu(0x00, 0x20, 0, 1).case4);
    CHECK(classifyTpdu(0x00, 0x88, 0, 0x81).case4);
    CHECK(classifyTpdu(0x80, 0xE2, 0x91, 0).case4);
    CHECK_FALSE(classifyTpdu(0x00, 0xE2, 0, 0).case4);
    CHECK(classifyTpdu(0x00, 0x70, 0x00, 0x00).p3 == P3Meaning::Le);
    CHECK(classifyTpdu(0x00, 0x70, 0x80, 0x01).p3 == P3Meaning::Lc);
    CHECK_FALSE(classifyTpdu(0x00, 0x5A, 0, 0).known);
    CHECK(classifyTpdu(0x00, 0x5A, 0, 0).p3 == P3Meaning::Lc);
}

TEST_CASE("T=0: GSM SELECT is case 3 on the wire, 9Fxx + GET RESPONSE", "[t0]") {
    T0Engine e;
    auto r = header(e, "A0 A4 00 00 02");
    CHECK(txHex(r.tx) == "PB_AND_RX:A4;");
    CHECK_FALSE(r.command);
    CHECK(e.state() == T0Engine::State::WaitData);
    r = e.onRxData(DATA_F_FINAL, fromHex("3F 00"));
    REQUIRE(r.command);
    CHECK(toHex(*r.command) == "A0 A4 00 00 02 3F 00 00");  // Le 00 added: the application returns the FCI
    CHECK(e.state() == T0Engine::State::WaitResponse);
    const Bytes fci = fromHex("00 00 00 00 3F 00 01 00 00 00 00 00 0D 13 00 0A 04 00 83 8A 83 8A 00");
    Bytes rapdu = fci;
    append(rapdu, fromHex("90 00"));
    CHECK(txHex(e.onResponse(rapdu)) == "FINAL|PB_AND_TX:9F 17;");
    CHECK(e.state() == T0Engine::State::WaitHeader);
    // GET RESPONSE is answered by the engine, not the application.
    r = header(e, "A0 C0 00 00 17");
    CHECK_FALSE(r.command);
    CHECK(txHex(r.tx) == "FINAL|PB_AND_TX:C0 " + toHex(fci) + " 90 00;");
    // Nothing pending any more: the next GET RESPONSE goes to the application.
    r = header(e, "A0 C0 00 00 17");
    REQUIRE(r.command);
    CHECK(toHex(*r.command) == "A0 C0 00 00 17");
}

TEST_CASE("T=0: READ RECORD (case 2) exact, shorter (6Cxx and the repeat), longer (61xx)", "[t0]") {
    T0Engine e;
    auto r = header(e, "00 B2 01 04 04");
    REQUIRE(r.command);
    CHECK(toHex(*r.command) == "00 B2 01 04 04");
    CHECK(r.tx.empty());
    CHECK(txHex(e.onResponse(fromHex("DE AD BE EF 90 00"))) == "FINAL|PB_AND_TX:B2 DE AD BE EF 90 00;");

    r = header(e, "00 B2 01 04 00");  // Le 256, record has 3 bytes
    REQUIRE(r.command);
    CHECK(txHex(e.onResponse(fromHex("01 02 03 90 00"))) == "FINAL|PB_AND_TX:6C 03;");
    r = header(e, "00 B2 01 04 03");  // the phone repeats with P3 = 3: served from the cache
    CHECK_FALSE(r.command);
    CHECK(txHex(r.tx) == "FINAL|PB_AND_TX:B2 01 02 03 90 00;");
    // The cache is used once only.
    r = header(e, "00 B2 01 04 03");
    CHECK(r.command);
    CHECK(txHex(e.onResponse(fromHex("6A 83"))) == "FINAL|PB_AND_TX:6A 83;");

    r = header(e, "00 B0 00 00 02");
    REQUIRE(r.command);
    CHECK(txHex(e.onResponse(fromHex("01 02 03 04 05 62 82"))) == "FINAL|PB_AND_TX:B0 01 02 61 03;");
    r = header(e, "00 C0 00 00 05");  // too long: 6C 03
    CHECK(txHex(r.tx) == "FINAL|PB_AND_TX:6C 03;");
    r = header(e, "00 C0 00 00 03");
    CHECK(txHex(r.tx) == "FINAL|PB_AND_TX:C0 03 04 05 62 82;");
}

TEST_CASE("T=0: the application's own 6Cxx/61xx pass through (relay of a real card)", "[t0]") {
    T0Engine e;
    header(e, "00 B0 00 00 10");
    CHECK(txHex(e.onResponse(fromHex("6C 08"))) == "FINAL|PB_AND_TX:6C 08;");
    auto r = header(e, "00 B0 00 00 08");
    CHECK(r.command);  // not cached: the application said 6C itself
    e.onResponse(fromHex("90 00"));
    r = header(e, "00 A4 00 04 02");
    CHECK(txHex(r.tx) == "PB_AND_RX:A4;");
    r = e.onRxData(DATA_F_FINAL, fromHex("2F E2"));
    CHECK(txHex(e.onResponse(fromHex("61 1C"))) == "FINAL|PB_AND_TX:61 1C;");
    r = header(e, "00 C0 00 00 1C");
    CHECK(r.command);  // forwarded
}

TEST_CASE("T=0: VERIFY (case 3, masked data), case 1, P3=0 with Lc meaning, 256-byte responses", "[t0]") {
    T0Engine e;
    auto r = header(e, "00 20 00 01 08");
    CHECK(txHex(r.tx) == "PB_AND_RX:20;");
    r = e.onRxData(0, fromHex("31 32 33 34"));  // a partial flush without FINAL
    CHECK_FALSE(r.command);
    r = e.onRxData(DATA_F_FINAL, fromHex("FF FF FF FF"));
    REQUIRE(r.command);
    CHECK(toHex(*r.command) == "00 20 00 01 08 31 32 33 34 FF FF FF FF");
    CHECK(txHex(e.onResponse(fromHex("90 00"))) == "FINAL|PB_AND_TX:90 00;");

    r = header(e, "00 20 00 01 00");  // retry counter query: case 1
    REQUIRE(r.command);
    CHECK(toHex(*r.command) == "00 20 00 01");
    CHECK(txHex(e.onResponse(fromHex("63 C3"))) == "FINAL|PB_AND_TX:63 C3;");

    r = header(e, "00 B0 00 00 00");
    REQUIRE(r.command);
    Bytes big(256, 0xAA);
    append(big, fromHex("90 00"));
    const auto tx = e.onResponse(big);
    REQUIRE(tx.size() == 1);
    CHECK(tx[0].data.size() == 259);
    CHECK(txData(tx[0].flags, tx[0].data).size() <= kMaxMessage);

    // 300 bytes of data to a case-3 command: 61 00 (256) then 61 2C.
    r = header(e, "00 88 00 81 02");
    e.onRxData(DATA_F_FINAL, fromHex("01 02"));
    Bytes huge(300, 0x11);
    append(huge, fromHex("90 00"));
    CHECK(txHex(e.onResponse(huge)) == "FINAL|PB_AND_TX:61 00;");
    r = header(e, "00 C0 00 00 00");
    REQUIRE(r.tx.size() == 1);
    CHECK(r.tx[0].data.size() == 1 + 256 + 2);
    CHECK(toHex(ByteView(r.tx[0].data).last(2)) == "61 2C");
    r = header(e, "00 C0 00 00 2C");
    CHECK(r.tx[0].data.size() == 1 + 44 + 2);
    CHECK(toHex(ByteView(r.tx[0].data).last(2)) == "90 00");
}

TEST_CASE("T=0: invalid INS, protocol violations and reset", "[t0]") {
    T0Engine e;
    CHECK(txHex(header(e, "00 60 00 00 00").tx) == "FINAL|PB_AND_TX:6D 00;");
    CHECK(txHex(header(e, "00 9A 00 00 00").tx) == "FINAL|PB_AND_TX:6D 00;");
    CHECK_THROWS_WITH(e.onRxData(DATA_F_TPDU_HDR, fromHex("00 A4 00")), "T=0: TPDU header of 3 bytes");
    CHECK_THROWS_AS(e.onRxData(DATA_F_FINAL, fromHex("01")), ParseError);
    CHECK_THROWS_AS(e.onResponse(fromHex("90 00")), ParseError);
    header(e, "00 D6 00 00 02");
    CHECK_THROWS_WITH(e.onRxData(DATA_F_FINAL, fromHex("01 02 03")), "T=0: more command data than Lc 2");
    CHECK(e.state() == T0Engine::State::WaitHeader);
    header(e, "00 D6 00 00 02");
    CHECK_THROWS_WITH(e.onRxData(DATA_F_FINAL, fromHex("01")), "T=0: command data ended after 1 of 2 bytes");
    header(e, "00 B0 00 00 02");
    CHECK_THROWS_AS(e.onResponse(fromHex("90")), ParseError);
    CHECK(e.state() == T0Engine::State::WaitResponse);
    // A new header drops the unanswered command.
    auto r = header(e, "00 B0 00 00 01");
    CHECK(r.command);
    e.onResponse(fromHex("01 02 03 90 00"));  // 6C pending
    e.reset();
    CHECK(header(e, "00 B0 00 00 03").command);  // cache gone after reset
    CHECK(e.state() == T0Engine::State::WaitResponse);
}
