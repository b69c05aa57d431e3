"""APDUs on one PC/SC connection, with exact expected answers, and a check of vicc's --pcap file.

Usage (by relay-pcscd.sh, with /usr/bin/python3):
  relay-check.py READER [--pcap FILE] [--label TEXT] APDU[=EXPECT] ...

Each APDU is sent in order on one SCardConnect; with =EXPECT (hex bytes separated by spaces, ??
for any byte) the whole response must match.
With --pcap, the file is then read back with the small pcap parser below (classic pcap,
LINKTYPE_ETHERNET, IPv4, UDP to 4729, GSMTAP v2 type SIM) and its APDU records must be exactly
the commands sent (data of VERIFY/CHANGE/RESET RETRY COUNTER masked with FF) followed by their
responses, in order; its ATR records must all be the card's ATR. Prints 'ok - X' / 'not ok - X'.
"""
import struct
import sys
import time

from smartcard.scard import (SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1,
                             SCARD_S_SUCCESS, SCARD_SCOPE_USER, SCARD_SHARE_SHARED,
                             SCardConnect, SCardDisconnect, SCardEstablishContext,
                             SCardGetErrorMessage, SCardReleaseContext, SCardStatus, SCardTransmit)

FAILED = 0


def point(good, desc, detail=None):
    global FAILED
    print(("ok - " if good else "not ok - ") + desc, flush=True)
    if not good:
        FAILED += 1
        for line in (detail or "").splitlines():
            print("#   " + line, flush=True)


def h(text):
    text = text.replace(" ", "")
    return bytes(int(text[i:i + 2], 16) for i in range(0, len(text), 2))


def hx(data):
    return " ".join("%02X" % b for b in data)


def mask(cmd):
    """vicc/trace/gsmtap_trace.cpp maskSecretData(): PIN/key data replaced by FF."""
    if len(cmd) <= 5 or cmd[1] not in (0x20, 0x21, 0x24, 0x2C, 0xD8):
        return cmd
    start, nc = 5, cmd[4]
    if cmd[4] == 0 and len(cmd) >= 7:
        start, nc = 7, cmd[5] << 8 | cmd[6]
    out = bytearray(cmd)
    for i in range(start, min(len(out), start + nc)):
        out[i] = 0xFF
    return bytes(out)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def read_pcap(path):
    """[(sub_type, payload)] of every GSMTAP SIM packet; raises ValueError on anything malformed."""
    data = open(path, "rb").read()
    if len(data) < 24:
        raise ValueError("shorter than a pcap file header")
    magic, vmaj, vmin, _, _, snaplen, linktype = struct.unpack("<IHHiIII", data[:24])
    if magic != 0xA1B2C3D4 or (vmaj, vmin) != (2, 4) or linktype != 1:
        raise ValueError("file header %s" % data[:24].hex())
    out, off = [], 24
    while off < len(data):
        if len(data) - off < 16:
            raise ValueError("truncated record header at %d" % off)
        _, _, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        off += 16
        if incl != orig or incl > snaplen or len(data) - off < incl:
            raise ValueError("bad record lengths at %d" % off)
        frame, off = data[off:off + incl], off + incl
        if len(frame) < 14 + 20 + 8 + 16 or frame[12:14] != b"\x08\x00":
            raise ValueError("not Ethernet/IPv4")
        ip = frame[14:]
        if ip[0] != 0x45 or ip[9] != 17 or checksum(ip[:20]) != 0:
            raise ValueError("IPv4 header %s" % ip[:20].hex())
        total = struct.unpack("!H", ip[2:4])[0]
        if total != len(ip):
            raise ValueError("IPv4 length %d, frame has %d" % (total, len(ip)))
        sport, dport, ulen, _ = struct.unpack("!HHHH", ip[20:28])
        if dport != 4729 or ulen != len(ip) - 20:
            raise ValueError("UDP port %d length %d" % (dport, ulen))
        pseudo = ip[12:20] + struct.pack("!HH", 17, ulen)
        if checksum(pseudo + ip[20:]) != 0:
            raise ValueError("UDP checksum")
        g = ip[28:]
        if g[0] != 2 or g[1] != 4 or g[2] != 4:
            raise ValueError("GSMTAP header %s" % g[:16].hex())
        out.append((g[12], g[16:]))
    return out


def main():
    args = sys.argv[1:]
    reader, pcap, label = args.pop(0), None, ""
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--pcap":
            pcap = args.pop(0)
        elif opt == "--label":
            label = args.pop(0) + ": "
    hr, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    hr, card, proto = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
    if hr != SCARD_S_SUCCESS:
        point(False, label + "SCardConnect " + reader, SCardGetErrorMessage(hr))
        return 1
    hr, _, _, _, atr = SCardStatus(card)
    sent = []
    for spec in args:
        apdu, _, expect = spec.partition("=")
        hr, resp = SCardTransmit(card, proto, list(h(apdu)))
        got = hx(resp) if hr == SCARD_S_SUCCESS else "SCardTransmit: " + SCardGetErrorMessage(hr)
        if hr == SCARD_S_SUCCESS:
            sent.append((h(apdu), bytes(resp)))
        if expect:
            want = expect.split()
            good = len(want) == len(got.split()) and all(w in ("??", g) for w, g in zip(want, got.split()))
            point(good, "%s%s -> %s" % (label, hx(h(apdu)), " ".join(want)), "got " + got)
    SCardDisconnect(card, SCARD_LEAVE_CARD)
    SCardReleaseContext(ctx)
    if pcap:
        time.sleep(0.2)
        try:
            records = read_pcap(pcap)
        except (OSError, ValueError) as e:
            point(False, label + "pcap file parses", str(e))
            return 1
        point(True, label + "pcap file parses: %d GSMTAP SIM records, every header and checksum right" % len(records))
        apdus = [p for t, p in records if t == 0]
        want = [mask(c) + r for c, r in sent]
        point(apdus == want, label + "pcap holds exactly the %d APDUs sent, in order, PINs masked" % len(want),
              "pcap: %s\nsent: %s" % ([hx(a) for a in apdus], [hx(a) for a in want]))
        atrs = [p for t, p in records if t == 1]
        point(atrs and all(a == bytes(atr) for a in atrs), label + "pcap ATR records are the card's ATR",
              "ATRs %s, card %s" % ([hx(a) for a in atrs], hx(atr)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
