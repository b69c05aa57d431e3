"""The euicc card through pcscd as lpac drives it (research notes §2.3): connect T=0 only,
TERMINAL CAPABILITIES, MANAGE CHANNEL, SELECT ISD-R on the new channel, ES10 over STORE DATA in
120-byte blocks (P1 11/91, P2 block number, no Le) with 61xx answered by GET RESPONSE 8x C0, then
MANAGE CHANNEL close. euicc-pyscard.sh runs it with /usr/bin/python3.

Usage: euicc-pyscard.py READER EID
One 'ok - ' / 'not ok - ' line per check.
"""
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


def main():
    name, eid = sys.argv[1], sys.argv[2]
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
    _, sw = es10(bytes.fromhex("BF4300"))
    report(sw == 0x6A88, "GetRAT (not implemented yet) answers 6A88, which lpac tolerates", "%04X" % sw)
    _, sw = tx(bytes([0x00, 0x70, 0x80, ch, 0x00]))
    report(sw == 0x9000, "MANAGE CHANNEL closes channel %d" % ch, "%04X" % sw)
    _, sw = tx(bytes([0x80 | ch, 0xE2, 0x91, 0x00, 0x03]) + bytes.fromhex("BF2000"))
    report(sw == 0x6881, "the closed channel is refused", "%04X" % sw)
    conn.disconnect()


main()
