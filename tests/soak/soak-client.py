"""Load/soak helpers for tests/soak/*.sh (run with /usr/bin/python3, pyscard).

  soak-client.py image ID PATH
      write the iso7816 card image of card ID (0-255): EF 6001 holds 240 bytes that only card ID
      has (content(ID) below), so every READ BINARY answer proves which card produced it.

  soak-client.py drive READER ID SECONDS [--tolerate-removal]   (SIGTERM ends it early)
      connect to READER and, for SECONDS, SELECT EF 6001 then READ BINARY at pseudo-random offsets
      and lengths; every answer must be exactly content(ID)[off:off+len] + 90 00 (the routing,
      loss and staleness check: an answer from another card, to an earlier command or to another
      client's command does not match). Prints one line:
        slot=ID apdus=N ok=N mismatch=N errors=N removals=N reconnects=N max_ms=N seconds=S
      --tolerate-removal: a card that goes away (removal errors, no card) is waited for and
      reconnected (bounded), counted in removals/reconnects; without it any error ends the run.
      Exit status 1 on any mismatch (or any error without --tolerate-removal).
"""
import hashlib
import json
import signal
import sys
import time

FID = 0x6001
SIZE = 240


def content(card_id):
    out = b""
    block = 0
    while len(out) < SIZE:
        out += hashlib.sha256(b"vpcsc-soak-%d-%d" % (card_id, block)).digest()
        block += 1
    # The first bytes name the card in clear, for people reading traces.
    return (b"CARD%04d" % card_id + out)[:SIZE]


def image(card_id, path):
    img = {
        "format": "vpcsc card image", "version": 1, "type": "iso7816",
        "fileSystem": {"fid": "3F00", "structure": "DF", "children": [
            {"fid": "6001", "structure": "transparent", "data": content(card_id).hex().upper()}]},
    }
    with open(path, "w") as f:
        json.dump(img, f)
    return 0


def drive(reader, card_id, seconds, tolerate):
    from smartcard import scard as s
    expect = content(card_id)
    _, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    stats = dict(apdus=0, ok=0, mismatch=0, errors=0, removals=0, reconnects=0)
    max_ms = 0.0
    deadline = time.monotonic() + seconds
    card = None
    proto = None
    seed = card_id * 7919 + 1
    first_error = None
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(1))  # SIGTERM: stop and print the summary

    def connect(limit):
        nonlocal card, proto, ctx
        while time.monotonic() < limit and not stopped:
            hr, h, p = s.SCardConnect(ctx, reader, s.SCARD_SHARE_SHARED, s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1)
            if hr in (s.SCARD_E_NO_SERVICE, s.SCARD_E_INVALID_HANDLE, s.SCARD_E_SERVICE_STOPPED):
                # pcscd went away (restart): a new context once it is back
                try:
                    s.SCardReleaseContext(ctx)
                except SystemError:
                    pass
                time.sleep(0.05)
                hr2, c2 = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
                if hr2 == s.SCARD_S_SUCCESS:
                    ctx = c2
                continue
            if hr == s.SCARD_S_SUCCESS:
                hr, resp = s.SCardTransmit(h, p, [0x00, 0xA4, 0x00, 0x0C, 0x02, FID >> 8, FID & 0xFF])
                if hr == s.SCARD_S_SUCCESS and resp == [0x90, 0x00]:
                    card, proto = h, p
                    return True
                try:
                    s.SCardDisconnect(h, s.SCARD_LEAVE_CARD)
                except SystemError:
                    pass
            time.sleep(0.02)
        return False

    if not connect(time.monotonic() + 20):
        print("slot=%d connect failed" % card_id, flush=True)
        return 1
    while time.monotonic() < deadline and not stopped:
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        off = seed % (SIZE - 1)
        n = 1 + (seed >> 8) % min(64, SIZE - off)
        t0 = time.monotonic()
        hr, resp = s.SCardTransmit(card, proto, [0x00, 0xB0, off >> 8, off & 0xFF, n])
        ms = (time.monotonic() - t0) * 1000
        max_ms = max(max_ms, ms)
        stats["apdus"] += 1
        if hr == s.SCARD_S_SUCCESS:
            if bytes(resp) == expect[off:off + n] + b"\x90\x00":
                stats["ok"] += 1
            else:
                stats["mismatch"] += 1
                if stats["mismatch"] <= 3:
                    print("# slot %d: READ BINARY off=%d len=%d got %s" % (card_id, off, n, bytes(resp).hex()),
                          flush=True)
            continue
        stats["errors"] += 1
        if first_error is None:
            first_error = s.SCardGetErrorMessage(hr)
        if not tolerate:
            break
        if hr in (s.SCARD_W_REMOVED_CARD, s.SCARD_E_NO_SMARTCARD, s.SCARD_W_RESET_CARD,
                  s.SCARD_E_READER_UNAVAILABLE, s.SCARD_E_NOT_TRANSACTED, s.SCARD_W_UNRESPONSIVE_CARD,
                  s.SCARD_E_COMM_DATA_LOST, s.SCARD_E_INVALID_HANDLE, s.SCARD_E_NO_SERVICE,
                  s.SCARD_E_SERVICE_STOPPED, s.SCARD_F_COMM_ERROR):
            stats["removals"] += 1
        try:
            s.SCardDisconnect(card, s.SCARD_LEAVE_CARD)
        except SystemError:
            pass
        if not connect(deadline + 15):
            if stopped:
                break
            print("# slot %d: the card never came back" % card_id, flush=True)
            stats["errors"] += 1
            break
        stats["reconnects"] += 1
    try:
        s.SCardDisconnect(card, s.SCARD_LEAVE_CARD)
    except SystemError:
        pass
    print("slot=%d %s max_ms=%d seconds=%d%s" % (
        card_id, " ".join("%s=%d" % kv for kv in stats.items()), max_ms, seconds,
        "" if first_error is None else " first_error=%s" % first_error.replace(" ", "_")), flush=True)
    if stats["mismatch"] or stats["ok"] == 0:
        return 1
    if not tolerate and stats["errors"]:
        return 1
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "image":
        return image(int(argv[2]), argv[3])
    if len(argv) >= 5 and argv[1] == "drive":
        return drive(argv[2], int(argv[3]), float(argv[4]), "--tolerate-removal" in argv[5:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
