#!/usr/bin/python3
# The Cryptoflex RSA operation through pcscd with raw APDUs (OpenSC >= 0.20 never sends it, see
# doc/cryptoflex.md): VERIFY CHV1, SELECT the key DF, C0 88 with byte-reversed data (CLA 10/00
# chaining at 2048 bits), GET RESPONSE; the signature and the deciphered block are checked with
# the openssl command against the public key pkcs15-tool read from the card. Also checks a wrong
# PIN's retry counter. Prints "ok - X" / "not ok - X" lines for the TAP wrapper.
#   cryptoflex-rsa.py READER PUBKEY.pem BITS KEYINDEX DF-FID... [--wrong-pin]
import hashlib
import os
import subprocess
import sys
import tempfile

from smartcard.System import readers

reader_name, pem, bits, key_index = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
path = [a for a in sys.argv[5:] if not a.startswith("--")]
wrong_pin = "--wrong-pin" in sys.argv
k = bits // 8


def report(good, what):
    print(("ok - " if good else "not ok - ") + what, flush=True)


def tx(conn, apdu):
    data, sw1, sw2 = conn.transmit(list(apdu))
    return bytes(data), (sw1 << 8) | sw2


def select(conn, fid):
    _, sw = tx(conn, bytes([0xC0, 0xA4, 0, 0, 2]) + bytes.fromhex(fid))
    return sw


def private_op(conn, block):
    data = block[::-1]
    if len(data) == 256:
        _, sw = tx(conn, bytes([0x10, 0x88, 0, key_index, 10]) + data[:10])
        if sw != 0x9000:
            return None, sw
        _, sw = tx(conn, bytes([0x00, 0x88, 0, key_index, 246]) + data[10:])
    else:
        _, sw = tx(conn, bytes([0xC0, 0x88, 0, key_index, len(data)]) + data)
    if sw >> 8 != 0x61:
        return None, sw
    out, sw = tx(conn, bytes([0xC0, 0xC0, 0, 0, sw & 0xFF]))
    return out[::-1], sw


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True)


reader = next((r for r in readers() if str(r).startswith(reader_name)), None)
if reader is None:
    report(False, "reader %s found" % reader_name)
    sys.exit(0)
conn = reader.createConnection()
conn.connect()

sws = [select(conn, "3F00")] + [select(conn, fid) for fid in path]
report(all(sw >> 8 == 0x61 for sw in sws), "SELECT 3F00/%s answered 61xx" % "/".join(path))
pin = b"1234".ljust(8, b"\0")
if wrong_pin:
    # pkcs15-tool has already presented one wrong PIN: two of three tries are left.
    _, sw = tx(conn, bytes([0xC0, 0x20, 0, 1, 8]) + b"0000".ljust(8, b"\0"))
    report(sw == 0x63C1, "second wrong PIN answered 63C1 (got %04X)" % sw)
_, sw = tx(conn, bytes([0xC0, 0x20, 0, 1, 8]) + pin)
report(sw == 0x9000, "VERIFY CHV1 (got %04X)" % sw)

with tempfile.TemporaryDirectory() as tmp:
    # Signature: EMSA-PKCS1-v1_5 with SHA-256 built here, raw RSA on the card.
    message = os.urandom(100)
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(message).digest()
    block = b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info
    sig, sw = private_op(conn, block)
    report(sig is not None and sw == 0x9000, "%d-bit RSA operation (C0 88%s) answered 9000 (got %04X)"
           % (bits, ", chained 10/00" if k == 256 else "", sw))
    if sig is not None:
        open(os.path.join(tmp, "msg"), "wb").write(message)
        open(os.path.join(tmp, "sig"), "wb").write(sig)
        r = openssl("dgst", "-sha256", "-verify", pem, "-signature", os.path.join(tmp, "sig"), os.path.join(tmp, "msg"))
        report(r.returncode == 0, "openssl verifies the %d-bit signature with the card's public key" % bits)
    else:
        report(False, "openssl verifies the %d-bit signature with the card's public key" % bits)

    # Decipher: an OpenSSL PKCS#1 v1.5 cryptogram, unpadded here.
    secret = os.urandom(24)
    r = openssl("pkeyutl", "-encrypt", "-pubin", "-inkey", pem, data=secret)
    plain, sw = private_op(conn, r.stdout) if r.returncode == 0 and len(r.stdout) == k else (None, 0)
    good = plain is not None and plain[:2] == b"\x00\x02" and plain.endswith(b"\x00" + secret)
    report(good, "%d-bit decipher of an openssl PKCS#1 cryptogram recovers the secret" % bits)
conn.disconnect()
