"""A phonebook dumper as they are written against pyscard, run against vicc -t sim through pcscd
(sim-phonebook.sh runs it with /usr/bin/python3).

Usage: sim-phonebook.py READER
CLA A0 throughout: SELECT 3F00, 7F10, 6F3A; GET RESPONSE with the length from 9Fxx; the record
length from byte 15 of the EF's response; VERIFY CHV1; READ RECORD every record; decode the alpha
identifiers (GSM default alphabet and UCS2 form 81) and the BCD numbers, print the entries and
compare them with the card's sample phonebook. One 'ok - ' / 'not ok - ' line per check.
"""
import sys

from smartcard.System import readers

GSM = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
       "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
EXPECTED = [("Alice", "+4930123456"), ("Bob", "0301234567"), ("Voicemail", "*100#"),
            ("Łukasz", "+48221234567"), ("Δημήτρης", "+302101234567")]


def report(good, what, detail=None):
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good and detail is not None:
        print("# " + str(detail), flush=True)


def decode_alpha(b):
    if b and b[0] == 0x80:
        out = ""
        for i in range(1, len(b) - 1, 2):
            if b[i] == 0xFF and b[i + 1] == 0xFF:
                break
            out += chr(b[i] << 8 | b[i + 1])
        return out
    if b and b[0] == 0x81:
        base = b[2] << 7
        return "".join(chr(base + (c & 0x7F)) if c & 0x80 else GSM[c] for c in b[3:3 + b[1]])
    if b and b[0] == 0x82:
        base = b[2] << 8 | b[3]
        return "".join(chr(base + (c & 0x7F)) if c & 0x80 else GSM[c] for c in b[4:4 + b[1]])
    return "".join(GSM[c] for c in b if c != 0xFF)


def decode_number(b):
    if b[0] in (0x00, 0xFF):
        return None
    digits = ""
    for byte in b[2:1 + b[0]]:
        for nibble in (byte & 0x0F, byte >> 4):
            if nibble == 0x0F:
                break
            digits += "0123456789*#pwe"[nibble]
    return ("+" if (b[1] & 0x70) == 0x10 else "") + digits


def main():
    name = sys.argv[1]
    reader = next((r for r in readers() if str(r) == name), None)
    if reader is None:
        report(False, "reader found", [str(r) for r in readers()])
        return
    conn = reader.createConnection()
    conn.connect()

    def apdu(hexstr):
        data, sw1, sw2 = conn.transmit(list(bytes.fromhex(hexstr.replace(" ", ""))))
        return bytes(data), sw1 << 8 | sw2

    _, sw = apdu("00A40004023F0000")
    report(sw == 0x6E00, "CLA 00 is refused with 6E00 (a 2G SIM, not a UICC)", hex(sw))
    header = None
    for fid in ("3F00", "7F10", "6F3A"):
        _, sw = apdu("A0A4000002" + fid)
        if sw >> 8 != 0x9F:
            report(False, "SELECT %s answers 9Fxx" % fid, hex(sw))
            return
        header, sw2 = apdu("A0C00000%02X" % (sw & 0xFF))
        if sw2 != 0x9000:
            report(False, "GET RESPONSE after SELECT %s" % fid, hex(sw2))
            return
    report(True, "SELECT 3F00 / 7F10 / 6F3A answer 9Fxx, GET RESPONSE 9000")
    report(header[6] == 0x04 and header[13] == 0x01, "EF.ADN is a linear fixed EF", header.hex())
    size, reclen = header[2] << 8 | header[3], header[14]
    report(reclen == 28 and size % reclen == 0, "record length %d, %d records" % (reclen, size // max(reclen, 1)))
    _, sw = apdu("A0B2010400" if reclen == 0 else "A0B20104%02X" % reclen)
    report(sw == 0x9804, "READ RECORD before VERIFY CHV1 is 9804", hex(sw))
    _, sw = apdu("A020000108" + b"1234".hex() + "FFFFFFFF")
    report(sw == 0x9000, "VERIFY CHV1", hex(sw))
    entries = []
    for rec in range(1, size // reclen + 1):
        data, sw = apdu("A0B2%02X04%02X" % (rec, reclen))
        if sw != 0x9000 or len(data) != reclen:
            report(False, "READ RECORD %d" % rec, hex(sw))
            return
        number = decode_number(data[reclen - 14:reclen - 2])
        if number is not None:
            entries.append((decode_alpha(data[:reclen - 14]), number))
            print("# %2d  %-14s %s" % (rec, entries[-1][0], number), flush=True)
    report(entries == EXPECTED, "the phonebook reads back (%d entries)" % len(entries), entries)
    conn.disconnect()


if __name__ == "__main__":
    main()
