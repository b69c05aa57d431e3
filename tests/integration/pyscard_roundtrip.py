"""pyscard against our driver in a private pcscd (run by pyscard.sh with /usr/bin/python3).

Usage: pyscard_roundtrip.py READER CARD-COMMAND...
Starts the card itself so that it can time insertion and removal. Prints one 'ok - ...' or
'not ok - ...' line per check (pyscard.sh numbers them) and '# ...' diagnostics.
"""
import subprocess
import sys
import time

from smartcard.scard import (SCARD_ATTR_ATR_STRING, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1,
                             SCARD_S_SUCCESS, SCARD_SCOPE_USER, SCARD_SHARE_SHARED,
                             SCARD_STATE_EMPTY, SCARD_STATE_PRESENT, SCARD_STATE_UNAWARE,
                             SCARD_UNPOWER_CARD, SCardConnect, SCardDisconnect,
                             SCardEstablishContext, SCardGetAttrib, SCardGetErrorMessage,
                             SCardGetStatusChange, SCardListReaders, SCardReleaseContext,
                             SCardTransmit)

MAX_FRAME = 0xFFFF  # a vpcd frame carries at most 65535 bytes


def report(good, what, detail=None):
    print(("ok - " if good else "not ok - ") + what, flush=True)
    if not good and detail:
        print("# " + str(detail), flush=True)


def wait_state(ctx, reader, bit, timeout_s, t0=None):
    """SCardGetStatusChange until `bit` is set; returns seconds since t0 (default: now) or None."""
    t0 = time.monotonic() if t0 is None else t0
    state = SCARD_STATE_UNAWARE
    while True:
        left = int((timeout_s - (time.monotonic() - t0)) * 1000)
        if left <= 0:
            return None
        hr, states = SCardGetStatusChange(ctx, left, [(reader, state)])
        if hr != SCARD_S_SUCCESS:
            return None
        state = states[0][1]
        if state & bit:
            return time.monotonic() - t0


def transmit(card, proto, apdu):
    hr, resp = SCardTransmit(card, proto, apdu)
    if hr != SCARD_S_SUCCESS:
        raise RuntimeError(SCardGetErrorMessage(hr))
    return resp


def extended_echo(n, with_le):
    data = [(i * 13 + 5) & 0xFF for i in range(n)]
    apdu = [0x80, 0x10, 0x00, 0x00, 0x00, n >> 8, n & 0xFF] + data
    return apdu + ([0x00, 0x00] if with_le else []), data


def disconnect(card):
    try:  # pyscard raises SystemError for a handle pcscd already dropped
        SCardDisconnect(card, SCARD_UNPOWER_CARD)
    except SystemError:
        pass


def main():
    want, card_cmd = sys.argv[1], sys.argv[2:]
    hr, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    assert hr == SCARD_S_SUCCESS, SCardGetErrorMessage(hr)
    hr, readers = SCardListReaders(ctx, [])
    reader = next((r for r in readers if want in r), None)
    report(reader is not None, "reader '%s' listed" % want, readers)
    if reader is None:
        return
    report(wait_state(ctx, reader, SCARD_STATE_EMPTY, 3) is not None, "slot empty before the card starts")

    t0 = time.monotonic()
    card_proc = subprocess.Popen(card_cmd)
    try:
        dt = wait_state(ctx, reader, SCARD_STATE_PRESENT, 5, t0)
        report(dt is not None, "insertion seen by SCardGetStatusChange")
        if dt is not None:
            print("# insertion seen after %.1f ms" % (dt * 1000), flush=True)

        hr, card, proto = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        report(hr == SCARD_S_SUCCESS, "SCardConnect", SCardGetErrorMessage(hr))
        hr, atr = SCardGetAttrib(card, SCARD_ATTR_ATR_STRING)
        report(hr == SCARD_S_SUCCESS and bytes(atr) == bytes.fromhex("3B80800101"),
               "SCARD_ATTR_ATR_STRING is the card's ATR", (SCardGetErrorMessage(hr), atr))

        short = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]
        try:
            resp = transmit(card, proto, short)
            report(resp == [0x3F, 0x00, 0x90, 0x00], "short APDU echoed", resp)
        except RuntimeError as e:
            report(False, "short APDU echoed", e)

        # The largest extended APDUs a vpcd frame can carry, both directions, byte for byte.
        for n, with_le in ((MAX_FRAME - 9, True), (MAX_FRAME - 7, False)):
            apdu, data = extended_echo(n, with_le)
            what = "extended APDU with %d data bytes (%s) echoed exactly" % (n, "case 4E" if with_le else "case 3E")
            try:
                resp = transmit(card, proto, apdu)
                report(resp == data + [0x90, 0x00], what, "got %d bytes" % len(resp))
            except RuntimeError as e:
                report(False, what, e)

        # 65,535 data bytes make a 65,544-byte command: more than any vpcd frame. It must be refused
        # cleanly, and the card must still answer afterwards.
        apdu, _ = extended_echo(65535, True)
        try:
            resp = transmit(card, proto, apdu)
            report(False, "65535-data-byte APDU refused (cannot fit a vpcd frame)", "answered %d bytes" % len(resp))
        except RuntimeError as e:
            report(True, "65535-data-byte APDU refused (cannot fit a vpcd frame)")
            print("# refused with: %s" % e, flush=True)
        try:
            ok = transmit(card, proto, short) == [0x3F, 0x00, 0x90, 0x00]
        except RuntimeError:
            ok = False
            disconnect(card)
            hr, card, proto = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
            try:
                ok = hr == SCARD_S_SUCCESS and transmit(card, proto, short) == [0x3F, 0x00, 0x90, 0x00]
                print("# (needed a reconnect)", flush=True)
            except RuntimeError:
                pass
        report(ok, "card still answers after the oversized APDU")
        disconnect(card)

        t0 = time.monotonic()
        card_proc.terminate()
        card_proc.wait(5)
        dt = wait_state(ctx, reader, SCARD_STATE_EMPTY, 5, t0)
        report(dt is not None, "removal seen by SCardGetStatusChange")
        if dt is not None:
            print("# removal seen after %.1f ms" % (dt * 1000), flush=True)
    finally:
        if card_proc.poll() is None:
            card_proc.kill()
        SCardReleaseContext(ctx)


if __name__ == "__main__":
    main()
