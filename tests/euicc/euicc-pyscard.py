"""The euicc card through pcscd as lpac drives it (research notes §2.3): connect T=0 only,
TERMINAL CAPABILITIES, MANAGE CHANNEL, SELECT ISD-R on the new channel, ES10 over STORE DATA in
120-byte blocks (P1 11/91, P2 block number, no Le) with 61xx answered by GET RESPONSE 8x C0, then
MANAGE CHANNEL close. euicc-pyscard.sh runs it with /usr/bin/python3.

Then, with an image of two profiles (vicc -f, written by `image`), lpac's profile list, enable,
disable, delete, nickname and notification requests (research notes §2.3), the REFRESH that
refreshFlag TRUE asks for, and after a vicc restart what the image kept (`persisted`).

Usage: euicc-pyscard.py READER EID [profiles|persisted]
       euicc-pyscard.py image FILE EID
One 'ok - ' / 'not ok - ' line per check.
"""
import json
import sys

from smartcard.System import readers
from smartcard.scard import SCARD_PROTOCOL_T0, SCARD_SHARE_EXCLUSIVE

ISD_R = bytes.fromhex("A0000005591010FFFFFFFF8900000100")


def report(good, what, detail=None):
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good and detail is not None:
        print("# " + str(detail), flush=True)


def tlv_value(data, tag):
    """The value of the first TLV with a 1- or 2-byte tag at the start of data (no nesting)."""
    t = bytes.fromhex(tag)
    if not data.startswith(t):
        raise ValueError("tag %s expected in %s" % (tag, data.hex()))
    i = len(t)
    n = data[i]
    i += 1
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[i:i + k], "big")
        i += k
    return data[i:i + n]


ICCID1 = "98001032547698103214"  # lpac's vectors: 89000123456789012341
ICCID2 = "98001032547698103230"
AID1 = "A0000005591010FFFFFFFF8900001000"
AID2 = "A0000005591010FFFFFFFF8900001100"
ADDR = b"smdp.example.com:1"


def tlv(tag, value):
    n = len(value)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF])
    return bytes.fromhex(tag) + length + value


def write_image(path, eid):
    """Two disabled profiles (no SAIP package behind them: no USIM) asking for enable, disable and
    delete notifications, in vicc's euicc image format."""
    nci = tlv("30", tlv("80", bytes.fromhex("0470")) + tlv("81", ADDR))
    profiles = []
    for iccid, aid, name in ((ICCID1, AID1, b"One"), (ICCID2, AID2, b"Two")):
        meta = tlv("BF25", tlv("5A", bytes.fromhex(iccid)) + tlv("91", b"OP") + tlv("92", name) +
                   tlv("95", b"\x02") + tlv("B6", nci))
        profiles.append({"isdpAid": aid, "metadata": meta.hex(), "enabled": False,
                         "smdpAddress": ADDR.decode(), "smdpOid": "", "usim": None})
    image = {"type": "euicc", "eid": eid, "euicc": {
        "profiles": profiles, "notifications": [], "lastSeqNumber": 0,
        "defaultDpAddress": "", "rootDsAddress": "lpa.ds.gsma.com"}}
    with open(path, "w") as f:
        json.dump(image, f)


def main():
    if sys.argv[1] == "image":
        write_image(sys.argv[2], sys.argv[3])
        return
    name, eid = sys.argv[1], sys.argv[2]
    phase = sys.argv[3] if len(sys.argv) > 3 else "basic"
    reader = [r for r in readers() if name in str(r)][0]
    conn = reader.createConnection()
    conn.connect(protocol=SCARD_PROTOCOL_T0, mode=SCARD_SHARE_EXCLUSIVE)
    report(True, "connected with T=0 only, exclusive")

    def tx(apdu):
        data, sw1, sw2 = conn.transmit(list(apdu))
        return bytes(data), (sw1 << 8) | sw2

    _, sw = tx(bytes.fromhex("80AA00000AA9088100820101830107"))
    report(sw == 0x9000, "TERMINAL CAPABILITIES answered 90 00", "%04X" % sw)
    data, sw = tx(bytes.fromhex("0070000001"))
    report(sw == 0x9000 and len(data) == 1 and 1 <= data[0] <= 3, "MANAGE CHANNEL opens a channel", data.hex())
    ch = data[0]
    _, sw = tx(bytes([ch, 0xA4, 0x04, 0x00, len(ISD_R)]) + ISD_R)
    report(sw >> 8 in (0x61, 0x90), "SELECT ISD-R on channel %d (no Le)" % ch, "%04X" % sw)

    def es10(cmd, mss=120):
        block, sw, data = 0, 0, b""
        for off in range(0, len(cmd), mss):
            part = cmd[off:off + mss]
            last = off + mss >= len(cmd)
            data, sw = tx(bytes([0x80 | ch, 0xE2, 0x91 if last else 0x11, block, len(part)]) + part)
            block += 1
            if not last and sw != 0x9000:
                return data, sw
        out = data
        while sw >> 8 == 0x61:
            data, sw = tx(bytes([0x80 | ch, 0xC0, 0x00, 0x00, sw & 0xFF]))
            out += data
        return out, sw

    if phase == "profiles":
        profiles(tx, es10)
    elif phase == "persisted":
        persisted(es10)
    if phase != "basic":
        tx(bytes([0x00, 0x70, 0x80, ch, 0x00]))
        conn.disconnect()
        return

    data, sw = es10(bytes.fromhex("BF3E035C015A"))
    report(sw == 0x9000 and tlv_value(tlv_value(data, "BF3E"), "5A").hex().upper() == eid,
           "GetEID returns the EID of the eUICC certificate", data.hex())
    data, sw = es10(bytes.fromhex("BF2E00"))
    ch1 = tlv_value(tlv_value(data, "BF2E"), "80")
    data, sw = es10(bytes.fromhex("BF2E00"))
    ch2 = tlv_value(tlv_value(data, "BF2E"), "80")
    report(len(ch1) == 16 and ch1 != ch2, "GetEuiccChallenge: 16 fresh bytes each time", ch1.hex())
    data, sw = es10(bytes.fromhex("BF2000"))
    info1 = tlv_value(data, "BF20")
    report(sw == 0x9000 and info1.startswith(bytes.fromhex("8203")) and b"\xA9\x16\x04\x14" in info1,
           "GetEuiccInfo1: svn and one CI key id", data.hex())
    data, sw = es10(bytes.fromhex("BF2200"))
    report(sw == 0x9000 and data.startswith(bytes.fromhex("BF22")) and b"VPCSC-TEST-ONLY" in data and len(data) > 60,
           "GetEuiccInfo2 arrives through 61xx / GET RESPONSE (%d bytes)" % len(data), data.hex())
    # the same GetEID in 2-byte blocks (LPAC_CUSTOM_ES10X_MSS=2)
    data, sw = es10(bytes.fromhex("BF3E035C015A"), mss=2)
    report(sw == 0x9000 and eid.lower() in data.hex(), "GetEID in 2-byte STORE DATA blocks", data.hex())
    data, sw = es10(bytes.fromhex("BF4300"))
    # SGP.22 §2.9.2.2: one rule, PPR1 and PPR2 (80 05 60) for any operator (mccMnc EEEEEE), consent required (82 07 80)
    report(sw == 0x9000 and data.hex().upper() == "BF4315A013301180020560A10730058003EEEEEE82020780", "GetRAT: vicc's default Rules Authorisation Table",
           "%s %04X" % (data.hex(), sw))
    _, sw = tx(bytes([0x00, 0x70, 0x80, ch, 0x00]))
    report(sw == 0x9000, "MANAGE CHANNEL closes channel %d" % ch, "%04X" % sw)
    _, sw = tx(bytes([0x80 | ch, 0xE2, 0x91, 0x00, 0x03]) + bytes.fromhex("BF2000"))
    report(sw == 0x6881, "the closed channel is refused", "%04X" % sw)
    conn.disconnect()


def expect(es10, what, cmd, want, want_sw=0x9000):
    data, sw = es10(bytes.fromhex(cmd))
    report(sw == want_sw and data.hex().upper() == want, what, "%s %04X" % (data.hex(), sw))
    return data


def profiles(tx, es10):
    data = expect(es10, "profile list: two disabled profiles", "BF2D035C015A",
                  "BF2D1EA01CE30C5A0A" + ICCID1 + "E30C5A0A" + ICCID2)
    data, sw = es10(bytes.fromhex("BF2D00"))
    report(sw == 0x9000 and data.count(bytes.fromhex("9F700100")) == 2 and b"One" in data and b"Two" in data,
           "profile list: names and states", data.hex())
    expect(es10, "enable by ICCID (lpac, refreshFlag FALSE): ok", "BF3111A00C5A0A" + ICCID1 + "810100", "BF3103800100")
    expect(es10, "the list says enabled", "BF2D13A00C5A0A" + ICCID1 + "5C035A9F70",
           "BF2D14A012E3105A0A" + ICCID1 + "9F700101")
    expect(es10, "enable it again: profileNotInDisabledState", "BF3111A00C5A0A" + ICCID1 + "810100", "BF3103800102")
    expect(es10, "delete the enabled one: profileNotInDisabledState", "BF330C5A0A" + ICCID1, "BF3303800102")
    expect(es10, "set a nickname (lpac)", "BF29125A0A" + ICCID1 + "90046E69636B", "BF2903800100")
    expect(es10, "disable (lpac): ok", "BF3211A00C5A0A" + ICCID1 + "810100", "BF3203800100")
    expect(es10, "delete (lpac, no A0 wrapper): ok", "BF330C5A0A" + ICCID1, "BF3303800100")
    expect(es10, "delete again: iccidOrAidNotFound", "BF330C5A0A" + ICCID1, "BF3303800101")
    meta = lambda seq, ev, iccid: "BF2F278001%02X8102%s0C12%s5A0A%s" % (seq, ev, ADDR.hex().upper(), iccid)
    expect(es10, "notification list (lpac): enable, disable, delete", "BF2800",
           "BF288180A07E" + meta(1, "0640", ICCID1) + meta(2, "0520", ICCID1) + meta(3, "0410", ICCID1))
    data, sw = es10(bytes.fromhex("BF2B05A003800103"))
    report(sw == 0x9000 and data.hex().upper().startswith("BF2B8") and meta(3, "0410", ICCID1) in data.hex().upper(),
           "retrieve notification 3: OtherSignedNotification (lpac's notification process)", data.hex())
    expect(es10, "notification remove 1 (lpac)", "BF3003800101", "BF3003800100")
    expect(es10, "enable by AID with refreshFlag TRUE (lpac): ok, 91 0B", "BF3117A0124F10" + AID2 + "8101FF",
           "BF3103800100", 0x910B)
    data, sw = tx(bytes.fromhex("801200000B"))
    report(sw == 0x9000 and data.hex().upper() == "D009810301010682028182", "FETCH: REFRESH eUICC Profile State Change",
           "%s %04X" % (data.hex(), sw))
    _, sw = tx(bytes.fromhex("801400000C810301010682028281830100"))
    report(sw == 0x9000, "TERMINAL RESPONSE", "%04X" % sw)
    expect(es10, "set the default SM-DP+ address (lpac)", "BF3F128010736D64702E6578616D706C652E636F6D", "BF3F03800100")


def persisted(es10):
    expect(es10, "after a vicc restart: one profile, enabled", "BF2D045C029F70", "BF2D08A006E3049F700101")
    data, sw = es10(bytes.fromhex("BF2800"))
    seqs = [data[i + 5] for i in range(len(data) - 5) if data[i:i + 5] == bytes.fromhex("BF2F278001")]
    report(sw == 0x9000 and seqs == [2, 3, 4], "after a vicc restart: notifications 2, 3, 4 pending", data.hex())
    expect(es10, "after a vicc restart: the default SM-DP+ address", "BF3C00",
           "BF3C238010736D64702E6578616D706C652E636F6D810F6C70612E64732E67736D612E636F6D")


main()
