"""A USIM session through pcscd (sim-usim.sh runs it with /usr/bin/python3): EF.DIR -> ADF.USIM,
EF.IMSI, AUTHENTICATE in the 3G context with RES/CK/IK checked against MILENAGE computed here
(TS 35.206, on pycryptodome's AES), a replayed SQN answered with AUTS, and the GSM context.

Usage: sim-usim.py READER KI OPC IMSI
One 'ok - ' / 'not ok - ' line per check.
"""
import sys

from Cryptodome.Cipher import AES
from smartcard.System import readers


def report(good, what, detail=None):
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good and detail is not None:
        print("# " + str(detail), flush=True)


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def rot(x, r_bytes):
    return x[r_bytes:] + x[:r_bytes]


class Milenage:
    """TS 35.206 §4.1 with r1..r5 = 64, 0, 32, 64, 96 and c1..c5 = 0, 1, 2, 4, 8."""

    def __init__(self, k, opc):
        self.e = AES.new(k, AES.MODE_ECB).encrypt
        self.opc = opc

    def _out(self, temp, r, c):
        x = bytearray(rot(xor(temp, self.opc), r))
        x[15] ^= c
        return xor(self.e(bytes(x)), self.opc)

    def f1(self, rand, sqn, amf):
        temp = self.e(xor(rand, self.opc))
        in1 = sqn + amf + sqn + amf
        out1 = xor(self.e(xor(temp, rot(xor(in1, self.opc), 8))), self.opc)
        return out1[:8], out1[8:]

    def f2345(self, rand):
        temp = self.e(xor(rand, self.opc))
        out2 = self._out(temp, 0, 1)
        return out2[8:], self._out(temp, 4, 2), self._out(temp, 8, 4), out2[:6]

    def f5star(self, rand):
        return self._out(self.e(xor(rand, self.opc)), 12, 8)[:6]


def imsi_digits(ef):
    nibbles = "".join("%x%x" % (b & 0x0F, b >> 4) for b in ef[1:1 + ef[0]])
    return nibbles[1:].rstrip("f")


def main():
    name, ki, opc, imsi = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]), sys.argv[4]
    reader = next((r for r in readers() if str(r) == name), None)
    if reader is None:
        report(False, "reader found", [str(r) for r in readers()])
        return
    conn = reader.createConnection()
    conn.connect()

    def apdu(hexstr):
        data, sw1, sw2 = conn.transmit(list(bytes.fromhex(hexstr.replace(" ", ""))))
        data, sw = bytes(data), sw1 << 8 | sw2
        if sw1 == 0x61:  # T=0 style: fetch the response
            data, sw1, sw2 = conn.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
            data, sw = bytes(data), sw1 << 8 | sw2
        return data, sw

    fcp, sw = apdu("00A40004023F00")
    report(sw == 0x9000 and fcp[:1] == b"\x62", "SELECT MF returns an FCP template", (hex(sw), fcp.hex()))
    fcp, sw = apdu("00A40004022F00")
    reclen = fcp[fcp.index(b"\x82") + 4] if sw == 0x9000 else 0
    aid = None
    for rec in range(1, 10):
        data, sw = apdu("00B2%02X04%02X" % (rec, reclen))
        if sw != 0x9000:
            break
        if data[0] == 0x61 and data[2] == 0x4F and data[4:4 + 7] == bytes.fromhex("A0000000871002"):
            aid = data[4:4 + data[3]]
    report(aid is not None, "EF.DIR lists the USIM application", aid.hex() if aid else None)
    if aid is None:
        return
    fcp, sw = apdu("00A40404%02X%s" % (len(aid), aid.hex()))
    report(sw == 0x9000 and aid in fcp, "SELECT ADF.USIM by AID", (hex(sw), fcp.hex()))
    _, sw = apdu("00B0870009")
    report(sw == 0x6982, "EF.IMSI needs PIN1", hex(sw))
    _, sw = apdu("0020000108" + b"1234".hex() + "FFFFFFFF")
    report(sw == 0x9000, "VERIFY PIN1", hex(sw))
    ef, sw = apdu("00A40004026F07")
    ef, sw = apdu("00B0000009")
    report(sw == 0x9000 and imsi_digits(ef) == imsi, "EF.IMSI reads %s" % imsi, (hex(sw), ef.hex()))

    m = Milenage(ki, opc)
    rand = bytes(range(0x10, 0x20))
    sqn, amf = (0x20 * 7).to_bytes(6, "big"), b"\x80\x00"
    mac_a, _ = m.f1(rand, sqn, amf)
    res, ck, ik, ak = m.f2345(rand)
    autn = xor(sqn, ak) + amf + mac_a
    cmd = "008800812210" + rand.hex() + "10" + autn.hex()
    data, sw = apdu(cmd)
    kc = xor(xor(ck[:8], ck[8:]), xor(ik[:8], ik[8:]))
    expected = b"\xdb\x08" + res + b"\x10" + ck + b"\x10" + ik + b"\x08" + kc
    report(sw == 0x9000 and data == expected, "AUTHENTICATE 3G: RES, CK, IK (and Kc) match MILENAGE",
           (hex(sw), data.hex(), expected.hex()))
    data, sw = apdu(cmd)
    ok = sw == 0x9000 and data[:2] == b"\xdc\x0e"
    if ok:
        sqn_ms = xor(data[2:8], m.f5star(rand))
        ok = sqn_ms == sqn and data[8:16] == m.f1(rand, sqn_ms, b"\x00\x00")[1]
    report(ok, "a replayed SQN gives AUTS with SQN_MS and MAC-S", (hex(sw), data.hex()))
    data, sw = apdu("008800801110" + rand.hex())
    sres = xor(res[:4], res[4:])
    report(sw == 0x9000 and data == b"\x04" + sres + b"\x08" + kc, "AUTHENTICATE GSM context: SRES, Kc",
           (hex(sw), data.hex()))
    conn.disconnect()


if __name__ == "__main__":
    main()
