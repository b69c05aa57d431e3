"""Helpers for iso7816-persistence.sh (run with /usr/bin/python3).

  iso7816-persist.py write READER FID       select EF FID, then UPDATE BINARY its 8 bytes with a
                                            counter (2 bytes, 4 times) 1, 2, 3 ... until the card
                                            goes away; prints "started" once the EF is selected,
                                            then the last value acknowledged by 90 00
  iso7816-persist.py image IMAGE FID        parse the card image (JSON) and print EF FID's data
                                            (hex) and PIN 81's triesLeft: "DATA TRIES"; exit 1 with
                                            a message when the image does not parse
"""
import json
import sys
import time


def write(reader, fid):
    from smartcard.scard import (SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1,
                                 SCARD_S_SUCCESS, SCARD_SCOPE_USER, SCARD_SHARE_SHARED,
                                 SCardConnect, SCardDisconnect, SCardEstablishContext,
                                 SCardGetErrorMessage, SCardTransmit)
    _, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    for _ in range(40):  # the card may still be coming up (power on after insertion)
        hr, card, proto = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        if hr == SCARD_S_SUCCESS:
            break
        time.sleep(0.05)
    else:
        print("connect failed: %s" % SCardGetErrorMessage(hr), flush=True)
        return 1
    f = int(fid, 16)
    hr, resp = SCardTransmit(card, proto, [0x00, 0xA4, 0x00, 0x0C, 0x02, f >> 8, f & 0xFF])
    if hr != SCARD_S_SUCCESS or resp != [0x90, 0x00]:
        print("select failed: %s" % (SCardGetErrorMessage(hr) if hr != SCARD_S_SUCCESS else resp), flush=True)
        return 1
    print("started", flush=True)
    last = 0
    for i in range(1, 65536):
        hr, resp = SCardTransmit(card, proto, [0x00, 0xD6, 0x00, 0x00, 0x08] + [i >> 8, i & 0xFF] * 4)
        if hr != SCARD_S_SUCCESS or resp != [0x90, 0x00]:
            break
        last = i
    print(last, flush=True)
    try:
        SCardDisconnect(card, SCARD_LEAVE_CARD)
    except SystemError:
        pass
    return 0


def find(node, fid):
    if node.get("fid", "").upper() == fid.upper():
        return node
    for child in node.get("children", []):
        found = find(child, fid)
        if found:
            return found
    return None


def image(path, fid):
    try:
        with open(path) as f:
            img = json.load(f)
    except Exception as e:  # noqa: BLE001 - any failure to parse is the finding
        print("image does not parse: %s" % e)
        return 1
    node = find(img.get("fileSystem", {}), fid)
    tries = [p.get("triesLeft") for p in img.get("pins", []) if p.get("reference", "").upper() == "81"]
    data = node.get("data", "").upper().replace(" ", "") if node else "-"
    print("%s %s" % (data or "-", tries[0] if tries else "-"))
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    sys.exit(write(*sys.argv[2:4]) if mode == "write" else image(*sys.argv[2:4]))
