"""Helpers of lpa-e2e.sh (run with /usr/bin/python3): what a TS.48 UPP holds, read independently of
the C++ code, and a USIM session through pcscd checked against it.

  lpa-e2e.py upp FILE           prints: ICCID IMSI ALGORITHM K OPC PINS  (from the SAIP DER;
                                PINS = REF:VALUE:ATTRIBUTES,... in hex, e.g. 01:30303030FFFFFFFF:06)
  lpa-e2e.py usim READER IMSI ALGORITHM K OPC PINS
        resets the card (SCardReconnect with SCARD_RESET_CARD), selects ADF.USIM through EF.DIR,
        checks that PIN1 is enabled or disabled as its pinAttributes b1 says, verifies PIN1 (and
        the ADF's local PIN 81) as a handset would when they are enabled,
        reads EF.IMSI and runs AUTHENTICATE (3G context) with RES/CK/IK checked against the
        algorithm computed here: 'milenage' (TS 35.206, tests/integration/sim-usim.py's class) or
        'xor' (the test algorithm of TS 34.108 §8.1.2 that the TS.48 profiles use).
        One 'ok - ' / 'not ok - ' line per check.
"""
import importlib.util
import os
import sys

# SAIP (PEDefinitions) ProfileElement choices by their context tags: header [0], usim [19],
# akaParameter [4], pinCodes [2]; inside PE-USIM ef-imsi is [3]; a File's fillFileContent is [3].
PE_HEADER, PE_USIM, PE_AKA, PE_PIN = 0xA0, 0xB3, 0xA4, 0xA2


def tlvs(b):
    off = 0
    while off < len(b):
        tag = b[off]
        off += 1
        if tag & 0x1F == 0x1F:
            while True:
                tag = tag << 8 | b[off]
                off += 1
                if not b[off - 1] & 0x80:
                    break
        n = b[off]
        off += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[off:off + k], "big")
            off += k
        if off + n > len(b):
            raise ValueError("TLV past the end")
        yield tag, b[off:off + n]
        off += n


def child(b, tag):
    return next((v for t, v in tlvs(b) if t == tag), None)


def swapped_digits(b):
    return "".join("%x%x" % (x & 0x0F, x >> 4) for x in b).rstrip("f")


def upp_info(path):
    data = open(path, "rb").read()
    iccid = imsi = None
    aka = None
    pins = {}
    for tag, pe in tlvs(data):
        if tag == PE_HEADER and iccid is None:
            iccid = child(pe, 0x83).hex().rstrip("f")  # ProfileHeader iccid [3]: the digits in order
        elif tag == PE_USIM and imsi is None:
            content = child(child(pe, 0xA3), 0x83)  # ef-imsi [3] → fillFileContent [3]
            imsi = swapped_digits(content[1:1 + content[0]])[1:]  # TS 31.102 §4.2.2: skip the parity nibble
        elif tag == PE_AKA and aka is None:
            # akaParameter: algoConfiguration [1] → algoParameter [1] { algorithmID [0], options [1], key [2], opc [3] }
            p = child(child(pe, 0xA1), 0xA1)
            alg = {1: "milenage", 3: "xor"}.get(child(p, 0x80)[0], "unsupported")
            aka = (alg, child(p, 0x82).hex(), child(p, 0x83).hex())
        elif tag == PE_PIN:
            # pinCodes [1] → pinconfig [0] SEQUENCE OF { keyReference [0], pinValue [1],
            # unblockingPINReference [2], pinAttributes [3] DEFAULT 7, ... }
            lst = child(child(pe, 0xA1), 0xA0)
            for _, conf in tlvs(lst or b""):
                ref = int.from_bytes(child(conf, 0x80), "big")
                attrs = child(conf, 0x83)
                pins.setdefault(ref, "%s:%02x" % (child(conf, 0x81).hex(), attrs[-1] if attrs else 7))
    print(iccid, imsi, *aka, ",".join("%02x:%s" % kv for kv in sorted(pins.items())))


def load_milenage():
    top = os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", ".."))
    spec = importlib.util.spec_from_file_location("sim_usim", os.path.join(top, "tests", "integration", "sim-usim.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Milenage


class TestXor:
    """TS 34.108 §8.1.2.1: XDOUT = K xor RAND; RES = XDOUT (all 128 bits here), CK = XDOUT bits
    8..127,0..7 (rotated one byte), IK rotated two bytes, AK = bits 24..71; XMAC = XDOUT bits 0..63
    xor (SQN || AMF)."""

    def __init__(self, k, rand):
        self.xdout = bytes(a ^ b for a, b in zip(k, rand))

    def res_ck_ik(self):
        x = self.xdout
        return x, x[1:] + x[:1], x[2:] + x[:2]

    def ak(self):
        return self.xdout[3:9]

    def mac(self, sqn, amf):
        return bytes(a ^ b for a, b in zip(self.xdout[:8], sqn + amf))


def report(good, what, detail=None):
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good and detail is not None:
        print("# " + str(detail), flush=True)


def usim(reader_name, imsi, alg, k, opc, pins):
    from smartcard.scard import SCARD_RESET_CARD
    from smartcard.System import readers

    reader = next((r for r in readers() if str(r) == reader_name), None)
    if reader is None:
        report(False, "reader found", [str(r) for r in readers()])
        return
    conn = reader.createConnection()
    conn.connect()
    # The eUICC presents the enabled profile after a reset (SGP.22 §3.2.1 with refreshFlag FALSE:
    # the device resets the card).
    conn.reconnect(disposition=SCARD_RESET_CARD)

    def apdu(hexstr):
        data, sw1, sw2 = conn.transmit(list(bytes.fromhex(hexstr.replace(" ", ""))))
        if sw1 == 0x61:
            data, sw1, sw2 = conn.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
        return bytes(data), sw1 << 8 | sw2

    # EF.DIR (2F00) record 1 holds the USIM's AID (TS 102 221 §13.1).
    fcp, sw = apdu("00A40004022F00")
    reclen = fcp[fcp.index(b"\x82") + 5] if sw == 0x9000 else 0
    rec, sw = apdu("00B20104%02X" % reclen)
    aid = None
    if sw == 0x9000 and b"\x4F" in rec:
        i = rec.index(b"\x4F")
        aid = rec[i + 2:i + 2 + rec[i + 1]]
    report(aid is not None and aid[:7] == bytes.fromhex("A0000000871002"), "EF.DIR names the USIM application",
           (hex(sw), rec.hex()))
    if aid is None:
        return
    _, sw = apdu("00A40404%02X%s" % (len(aid), aid.hex()))
    report(sw == 0x9000, "SELECT ADF.USIM by AID", hex(sw))
    # TS 102 221 §11.1.9: VERIFY without data tells whether a PIN is still to be presented (63Cx);
    # a PIN the package installs disabled (pinAttributes b1 = 0) answers 9000.
    pins = [p.split(":") for p in pins.split(",") if p]
    pin1 = next((int(a, 16) for r, _, a in pins if int(r, 16) == 1), None)
    _, sw = apdu("00200001")
    want = 0x9000 if pin1 is not None and not pin1 & 1 else 0x63C0
    report(sw & (0xFFFF if want == 0x9000 else 0xFFF0) == want,
           "PIN1 status %s as pinAttributes %s says" % ("9000" if want == 0x9000 else "63Cx",
                                                         "%02X" % pin1 if pin1 is not None else "-"), hex(sw))
    for ref, value, _ in pins:
        if int(ref, 16) in (0x01, 0x81):
            _, sw = apdu("002000" + ref)
            if sw >> 4 == 0x63C:
                _, sw = apdu("002000%s08%s" % (ref, value))
                if sw != 0x9000:
                    print("# VERIFY PIN %s: %04X" % (ref, sw))
    fcp, sw = apdu("00A40004026F07")
    ef, sw = apdu("00B0000009")
    got = swapped_digits(ef[1:1 + ef[0]])[1:] if sw == 0x9000 and ef else None
    report(got == imsi, "EF.IMSI is the profile's IMSI %s" % imsi, (hex(sw), ef.hex(), got))

    k, opc = bytes.fromhex(k), bytes.fromhex(opc)
    rand = bytes.fromhex("23553CBE9637A89D218AE64DAE47BF35")
    sqn, amf = bytes.fromhex("000000000041"), bytes.fromhex("8000")
    if alg == "xor":
        x = TestXor(k, rand)
        res, ck, ik = x.res_ck_ik()
        ak, mac = x.ak(), x.mac(sqn, amf)
    else:
        m = load_milenage()(k, opc)
        res, ck, ik, ak = m.f2345(rand)
        mac = m.f1(rand, sqn, amf)[0]
    autn = bytes(a ^ b for a, b in zip(sqn, ak)) + amf + mac
    out, sw = apdu("008800812210%s10%s" % (rand.hex(), autn.hex()))
    # TS 31.102 §7.1.2.1: DB | L RES | L CK | L IK | (L Kc)
    ok = sw == 0x9000 and len(out) > 1 and out[0] == 0xDB
    if ok:
        i = 1
        fields = []
        for _ in range(3):
            n = out[i]
            fields.append(out[i + 1:i + 1 + n])
            i += 1 + n
        ok = fields == [res, ck, ik]
    report(ok, "AUTHENTICATE (%s): RES, CK and IK as computed from the profile's K" % alg,
           (hex(sw), out.hex(), res.hex(), ck.hex(), ik.hex()))


def main():
    if sys.argv[1] == "upp":
        upp_info(sys.argv[2])
    elif sys.argv[1] == "usim":
        usim(*sys.argv[2:8])
    else:
        sys.exit("usage: lpa-e2e.py upp FILE | usim READER IMSI ALGORITHM K OPC")


if __name__ == "__main__":
    main()
