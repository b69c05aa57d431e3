// SIMtrace2 message codec (ifd-simtrace/st2_protocol.hpp) against the byte layouts of the
// firmware's packed structs (doc/simtrace.md): every vector below is a message as it crosses USB.
#include <catch2/catch.hpp>

#include "ifd-simtrace/st2_protocol.hpp"

using namespace vpcsc;
using namespace vpcsc::st2;

TEST_CASE("st2: host->device start-up messages of a card-emulation session", "[st2]") {
    CHECK(toHex(config({FEAT_F_STATUS_IRQ, {}, {}})) == "01 08 00 00 00 00 0C 00 01 00 00 00");
    CHECK(toHex(config({FEAT_F_STATUS_IRQ, 0, 0})) == "01 08 00 00 00 00 0E 00 01 00 00 00 00 00");
    CHECK(toHex(cardInsert(true)) == "01 05 00 00 00 00 09 00 01");
    CHECK(toHex(cardInsert(false)) == "01 05 00 00 00 00 09 00 00");
    CHECK(toHex(simSelect(true)) == "02 02 00 00 00 00 09 00 01");
    CHECK(toHex(simSelect(false)) == "02 02 00 00 00 00 09 00 00");
    CHECK(toHex(modemReset({2, 300})) == "02 01 00 00 00 00 0B 00 02 2C 01");
    CHECK(toHex(statusRequest()) == "01 04 00 00 00 00 08 00");
    CHECK(toHex(setAtr(fromHex("3B 80 80 81 1F C7 59"))) == "01 02 00 00 00 00 10 00 07 3B 80 80 81 1F C7 59");
}

TEST_CASE("st2: T=0 data messages", "[st2]") {
    CHECK(toHex(txData(DATA_F_PB_AND_RX, fromHex("A4"))) == "01 01 00 00 00 00 0F 00 08 00 00 00 01 00 A4");
    CHECK(toHex(txData(DATA_F_PB_AND_TX | DATA_F_FINAL, fromHex("9F 17"))) ==
          "01 01 00 00 00 00 10 00 06 00 00 00 02 00 9F 17");

    const Bytes hdr = fromHex("01 06 00 00 00 00 13 00 01 00 00 00 05 00 A0 A4 00 00 02");
    const Message m = parseMessage(hdr);
    CHECK(m.is(MsgClass::Cardem, cardem::DO_RX_DATA));
    CHECK(m.header.msgLen == 19);
    CHECK(std::string(messageName(m.header)) == "CEMU RX_DATA");
    const DataPayload d = decodeData(m.payload);
    CHECK(d.flags == DATA_F_TPDU_HDR);
    CHECK(toHex(d.data) == "A0 A4 00 00 02");
    CHECK(describeFlags(d.flags, MsgClass::Cardem, cardem::DO_RX_DATA) == "TPDU_HDR");

    const Bytes fin = fromHex("01 06 00 00 00 00 10 00 02 00 00 00 02 00 3F 00");
    const DataPayload f = decodeData(parseMessage(fin).payload);
    CHECK(f.flags == DATA_F_FINAL);
    CHECK(toHex(f.data) == "3F 00");
    CHECK(encodeMessage(MsgClass::Cardem, cardem::DO_RX_DATA, encodeData(f)) == fin);

    // Largest TX: PB + 256 data + SW fits 280 - 8 - 6 = 266.
    CHECK(txData(DATA_F_PB_AND_TX | DATA_F_FINAL, Bytes(259, 0x55)).size() == 8 + 6 + 259);
    CHECK_THROWS_AS(txData(0, Bytes(267, 0)), ParseError);
    CHECK(txData(0, Bytes(266, 0)).size() == 280);
}

TEST_CASE("st2: STATUS, PTS and CONFIG payloads", "[st2]") {
    const Bytes irq = fromHex("01 04 00 00 00 00 15 00 03 00 00 00 B8 0B 01 01 0A 80 25 00 00");
    const Message m = parseMessage(irq);
    REQUIRE(m.is(MsgClass::Cardem, cardem::BD_STATUS));
    const Status s = decodeStatus(m.payload);
    CHECK(s.flags == (STATUS_F_VCC_PRESENT | STATUS_F_CLK_ACTIVE));
    CHECK(s.voltageMv == 3000);
    CHECK(s.fIndex == 1);
    CHECK(s.dIndex == 1);
    CHECK(s.wi == 10);
    CHECK(s.waitingTime == 9600);
    CHECK(encodeMessage(MsgClass::Cardem, cardem::BD_STATUS, encodeStatus(s)) == irq);
    CHECK(describeFlags(0x13, MsgClass::Cardem, cardem::BD_STATUS) == "VCC|CLK|RESET");
    CHECK_THROWS_AS(decodeStatus(m.payload.first(12)), ParseError);

    Pts p;
    p.length = 4;
    p.request = {0xFF, 0x10, 0x94, 0x7B, 0, 0};
    p.response = p.request;
    const Bytes pts = encodePts(p);
    CHECK(toHex(pts) == "04 FF 10 94 7B 00 00 FF 10 94 7B 00 00");
    CHECK(decodePts(pts) == p);
    Bytes bad = pts;
    bad[0] = 7;
    CHECK_THROWS_WITH(decodePts(bad), "st2: pts_len 7 > 6");

    const Config c = decodeConfig(fromHex("01 00 00 00 00 03"));
    CHECK(c.features == FEAT_F_STATUS_IRQ);
    CHECK(c.slotMux == 0);
    CHECK(c.presPol == 3);
    CHECK(decodeConfig(fromHex("01 00 00 00")).slotMux == std::nullopt);
    CHECK_THROWS_AS(decodeConfig(fromHex("01 00 00")), ParseError);
}

TEST_CASE("st2: sniffer stream", "[st2]") {
    // Message holds a view: keep the buffers alive.
    const Bytes chBytes = fromHex("03 00 00 00 00 00 0C 00 04 00 00 00");
    const Message ch = parseMessage(chBytes);
    CHECK(ch.is(MsgClass::Sniff, sniff::CHANGE));
    CHECK(decodeU32(ch.payload) == SNIFF_CHANGE_RESET_ASSERT);
    CHECK(describeFlags(0x7E0 | SNIFF_CHANGE_TIMEOUT_WT, MsgClass::Sniff, sniff::TPDU) ==
          "TIMEOUT_WT|INCOMPLETE|MALFORMED|CHECKSUM|OVERRUN|FRAMING|PARITY");
    const Bytes fidiBytes = fromHex("03 01 00 00 00 00 09 00 94");
    const Message fidi = parseMessage(fidiBytes);
    CHECK(decodeByte(fidi.payload) == 0x94);
    const Bytes atrBytes = fromHex("03 02 00 00 00 00 11 00 80 00 00 00 03 00 3B 00 00");
    const Message atr = parseMessage(atrBytes);
    const DataPayload a = decodeData(atr.payload);
    CHECK(a.flags == SNIFF_DATA_ERROR_CHECKSUM);
    CHECK(toHex(a.data) == "3B 00 00");
}

TEST_CASE("st2: every truncation and every bad length is rejected", "[st2]") {
    const Bytes good = fromHex("01 06 00 00 00 00 10 00 02 00 00 00 02 00 3F 00");
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
        INFO("cut " << cut);
        CHECK_THROWS_AS(decodeData(parseMessage(ByteView(good).first(cut)).payload), ParseError);
    }
    Bytes longer = good;
    longer.push_back(0);
    CHECK_THROWS_WITH(parseMessage(longer), "st2: msg_len 16 but transfer has 17 bytes");
    Bytes lenSmall = good;
    lenSmall[6] = 7;
    CHECK_THROWS_WITH(parseMessage(lenSmall), "st2: msg_len 7 < header size");
    Bytes lenHuge = good;
    lenHuge[6] = 0xFF;
    lenHuge[7] = 0xFF;
    CHECK_THROWS_WITH(parseMessage(lenHuge), "st2: msg_len 65535 > 280");
    CHECK_THROWS_AS(parseMessage(Bytes(281, 0)), ParseError);
    // data_len larger or smaller than the payload
    Bytes dl = good;
    dl[12] = 3;
    CHECK_THROWS_WITH(decodeData(parseMessage(dl).payload), "st2: data_len 3 but 2 data bytes");
    dl[12] = 0xFF;
    dl[13] = 0xFF;
    CHECK_THROWS_AS(decodeData(parseMessage(dl).payload), ParseError);
    CHECK_THROWS_AS(decodeSetAtr(fromHex("05 3B 00")), ParseError);
    CHECK_THROWS_AS(decodeSetAtr(fromHex("22")), ParseError);
    CHECK_THROWS_AS(encodeSetAtr(Bytes(34, 0x3B)), ParseError);
    CHECK_THROWS_AS(encodeSetAtr(Bytes{}), ParseError);
    CHECK(decodeSetAtr(encodeSetAtr(Bytes(33, 0x3B))) == Bytes(33, 0x3B));
    CHECK_THROWS_AS(decodeModemReset(fromHex("02 2C")), ParseError);
    CHECK(decodeModemReset(fromHex("02 2C 01")) == ModemReset{2, 300});
    CHECK_THROWS_AS(decodeByte(Bytes{}), ParseError);
}

TEST_CASE("st2: one OUT transfer may carry several messages", "[st2]") {
    Bytes out = cardInsert(true);
    append(out, simSelect(true));
    append(out, txData(DATA_F_PB_AND_RX, fromHex("A4")));
    const auto msgs = splitMessages(out);
    REQUIRE(msgs.size() == 3);
    CHECK(msgs[0].is(MsgClass::Cardem, cardem::DT_CARDINSERT));
    CHECK(msgs[1].is(MsgClass::Modem, modem::DT_SIM_SELECT));
    CHECK(decodeByte(msgs[1].payload) == 1);
    CHECK(decodeData(msgs[2].payload).data == fromHex("A4"));
    out.pop_back();
    CHECK_THROWS_WITH(splitMessages(out), "st2: msg_len 15 but only 14 bytes left");
    CHECK(splitMessages(Bytes{}).empty());
    CHECK_THROWS_AS(splitMessages(fromHex("01 05 00")), ParseError);
}
