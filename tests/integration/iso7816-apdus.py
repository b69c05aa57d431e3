"""Every ISO 7816-4 command of vicc's iso7816 card through pcscd, with exact bytes.

Usage (by iso7816-pyscard.sh, with /usr/bin/python3): iso7816-apdus.py READER
The card is vicc -t iso7816 -f <a copy of vicc/cards/examples/iso7816-sample.json>, freshly started.
Prints 'ok - X', 'not ok - X' and '# ...' diagnostics; iso7816-pyscard.sh numbers the points.

Expected bytes follow ISO/IEC 7816-4:2020 (section numbers in the comments) and the sample image:
  MF 3F00 (compact security 07 00 00 00: create/delete freely; FMD 5F50 "https://example";
           data object 5E "ABC")
    2F00 linear variable, SFI 30, records of at most 64 bytes, 1 record (an EF.DIR entry)
    2F02 transparent, SFI 2, 5A 0A 12 34 56 78 90 12 34 56 78 9F
    1000 DF "A0 00 00 00 01 01" (everything on it needs PIN 81)
      1001 transparent 64 bytes, SFI 1, "Hello" then 00; update needs PIN 81, read is free
      1002 linear fixed, SFI 2, 3 records of 4 bytes: 01020304 FFFFFFFF FFFFFFFF
      1003 cyclic, SFI 3, 4 records of 2 bytes, most recent first: 0004 0003 0002 0001
      1004 BER-TLV EF: 5F20 05 "Doe J"
      1005 transparent, deactivated, DEAD
  PIN 81 = "1234" (3 tries), PIN 82 = "12345678" (5 tries, PUK "87654321" with 3 tries)
  keys: 01 AES-128 000102..0F (authenticate), 10 RSA-2048 (sign, decipher, authenticate, verify;
        PIN 81)
"""
import hashlib
import json
import os
import sys

from Cryptodome.Cipher import AES, PKCS1_v1_5
from Cryptodome.Hash import SHA256
from Cryptodome.PublicKey import RSA
from Cryptodome.Signature import pkcs1_15

from smartcard.scard import (SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1,
                             SCARD_S_SUCCESS, SCARD_SCOPE_USER, SCARD_SHARE_SHARED,
                             SCardConnect, SCardDisconnect, SCardEstablishContext,
                             SCardGetErrorMessage, SCardReleaseContext, SCardTransmit)

N = 0
FAILED = 0


def out(line):
    print(line, flush=True)


def h(text):
    """'00 A4 ...' -> list of ints (spaces optional)."""
    text = text.replace(" ", "")
    return [int(text[i:i + 2], 16) for i in range(0, len(text), 2)]


def hx(data):
    return " ".join("%02X" % b for b in data)


def norm(text):
    return hx(h(text))


class Card:
    def __init__(self, reader):
        hr, self.ctx = SCardEstablishContext(SCARD_SCOPE_USER)
        if hr != SCARD_S_SUCCESS:
            raise RuntimeError("SCardEstablishContext: " + SCardGetErrorMessage(hr))
        hr, self.handle, self.proto = SCardConnect(self.ctx, reader, SCARD_SHARE_SHARED,
                                                   SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        if hr != SCARD_S_SUCCESS:
            raise RuntimeError("SCardConnect: " + SCardGetErrorMessage(hr))

    def tx(self, apdu):
        data = h(apdu) if isinstance(apdu, str) else apdu
        hr, resp = SCardTransmit(self.handle, self.proto, data)
        if hr != SCARD_S_SUCCESS:
            return "SCardTransmit: " + SCardGetErrorMessage(hr)
        return hx(resp)

    def close(self):
        SCardDisconnect(self.handle, SCARD_LEAVE_CARD)
        SCardReleaseContext(self.ctx)


def point(good, desc, todo=None, detail=None):
    global FAILED
    if good:
        out("ok - " + desc)
    elif todo:
        out("todo - %s # %s" % (desc, todo))
    else:
        FAILED += 1
        out("not ok - " + desc)
    if not good and detail:
        for line in detail.splitlines():
            out("#   " + line)


def t(card, apdu, expect, desc, todo=None):
    """One APDU, one point: the whole response (data + SW) must be `expect`."""
    got = card.tx(apdu)
    want = norm(expect)
    point(got == want, "%s: %s -> %s" % (desc, norm(apdu) if isinstance(apdu, str) else "(%d bytes)" % len(apdu),
                                         want if len(want) <= 60 else want[:57] + "..."),
          todo, "expected %s\nactual   %s" % (want, got))
    return got


def setup(card, apdu, expect="90 00"):
    """A step whose answer is checked but which is not a point of its own (it fails the next)."""
    got = card.tx(apdu)
    if got != norm(expect):
        out("# setup %s answered %s, expected %s" % (norm(apdu), got, norm(expect)))
    return got


ASCII = lambda s: hx(s.encode())  # noqa: E731

# The sample image's keys: 01 AES-128 (authenticate), 10 RSA-2048 (PIN 81; the key of
# iso7816-keys.json), read from the image so that signatures are checked byte for byte.
_SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vicc", "cards", "examples",
                       "iso7816-sample.json")
_KEYS = {k["reference"]: k for k in json.load(open(_SAMPLE))["keys"]}
AES_KEY = bytes.fromhex(_KEYS["01"]["value"])
RSA_KEY = RSA.import_key(_KEYS["10"]["pem"])
# DigestInfo(SHA-256, SHA-256("abc")), RFC 8017 §9.2
DIGEST_INFO = h("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20") + list(hashlib.sha256(b"abc").digest())
RSA_SIG_ABC = pkcs1_15.new(RSA_KEY).sign(SHA256.new(b"abc"))  # deterministic

MF_FCP = "62 10 82 01 38 83 02 3F 00 8A 01 05 8C 04 07 00 00 00"
FMD_DO = "5F 50 0F " + ASCII("https://example")
MF_FCI = "6F 22 82 01 38 83 02 3F 00 8A 01 05 8C 04 07 00 00 00 " + FMD_DO
MF_FMD = "64 12 " + FMD_DO
EF1001_FCP = "62 17 82 02 01 21 83 02 10 01 80 02 00 40 88 01 08 8A 01 05 8C 03 03 11 00"
DF1000_FCI = "6F 1C 82 01 38 83 02 10 00 84 06 A0 00 00 00 01 01 8A 01 05 8C 08 7F" + " 11" * 7
EF2F02 = "5A 0A 12 34 56 78 90 12 34 56 78 9F"
DIR_RECORD = "61 13 4F 06 A0 00 00 00 01 01 50 09 " + ASCII("Developer")


def select_tests(c):
    # §11.2.2: P2 b4-b3 = 00 FCI, 01 FCP, 10 FMD, 11 no data.
    t(c, "00 A4 00 04 02 3F 00 00", MF_FCP + " 90 00", "SELECT MF, FCP (62) in the response")
    t(c, "00 A4 00 00 02 3F 00 00", MF_FCI + " 90 00", "SELECT MF, FCI (6F = FCP + FMD objects)")
    t(c, "00 A4 00 08 02 3F 00 00", MF_FMD + " 90 00", "SELECT MF, FMD (64)")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF, no response data")
    t(c, "00 A4 00 0C", "90 00", "SELECT with P1=00 and no data selects the MF")
    # §5.3.4 / §11.2.2: no Le on a command with response data: 61xx and GET RESPONSE (T=0 style).
    t(c, "00 A4 00 00 02 3F 00", "61 24", "SELECT MF FCI without Le: 61 24 (36 bytes waiting)")
    t(c, "00 C0 00 00 24", MF_FCI + " 90 00", "GET RESPONSE 36 bytes returns the FCI")
    t(c, "00 C0 00 00 24", "69 85", "a second GET RESPONSE: nothing left, 69 85")
    # §5.6.2: Le shorter than the data: Ne bytes and 61xx, the rest by GET RESPONSE.
    t(c, "00 A4 00 04 02 3F 00 05", "62 10 82 01 38 61 0D", "SELECT MF FCP with Le=5: 5 bytes and 61 0D")
    t(c, "00 C0 00 00 0D", "83 02 3F 00 8A 01 05 8C 04 07 00 00 00 90 00", "GET RESPONSE: the other 13")
    t(c, "00 A4 08 04 04 10 00 10 01 00", EF1001_FCP + " 90 00", "SELECT by path from the MF (P1=08)")
    t(c, "00 A4 03 0C", "90 00", "SELECT parent DF (P1=03) of EF 1001's DF: the MF")
    t(c, "00 A4 03 0C", "6A 82", "SELECT parent of the MF: 6A 82")
    t(c, "00 A4 04 00 06 A0 00 00 00 01 01 00", DF1000_FCI + " 90 00", "SELECT by DF name/AID (P1=04), FCI")
    t(c, "00 A4 04 0C 04 A0 00 00 00", "90 00", "SELECT by right-truncated DF name")
    t(c, "00 A4 04 0E 04 A0 00 00 00", "6A 82", "SELECT DF name, next occurrence: there is none")
    t(c, "00 A4 09 0C 02 10 02", "90 00", "SELECT by path from the current DF (P1=09)")
    t(c, "00 A4 02 0C 02 10 01", "90 00", "SELECT EF under the current DF (P1=02)")
    t(c, "00 A4 01 0C 02 10 01", "6A 82", "SELECT child DF (P1=01) of an EF id: 6A 82")
    t(c, "00 A4 00 0C 02 12 34", "6A 82", "SELECT an absent FID: 6A 82")
    t(c, "00 A4 00 0C 01 3F", "6A 87", "SELECT FID with 1 data byte: 6A 87")
    t(c, "00 A4 08 0C 04 10 00 10 05", "62 83", "SELECT a deactivated EF: 62 83 (§5.6.1)")
    t(c, "00 A4 05 0C 02 3F 00", "6A 86", "SELECT with P1=05: 6A 86")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "back to the MF")
    t(c, "00 A4 01 0C 02 10 00", "90 00", "SELECT child DF (P1=01)")


def binary_tests(c):
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 B0 82 00 02", "5A 0A 90 00", "READ BINARY by SFI 2 in P1 (§11.3.3)")
    t(c, "00 B0 00 00 00", EF2F02 + " 90 00", "READ BINARY Le=00: the whole of the current EF (selected by SFI)")
    t(c, "00 B0 00 02 03", "12 34 56 90 00", "READ BINARY offset 2, 3 bytes")
    t(c, "00 B0 00 0A 04", "78 9F 62 82", "READ BINARY past the end: the rest and 62 82")
    t(c, "00 B0 00 0C 01", "6B 00", "READ BINARY at offset = size: 6B 00")
    t(c, "00 B0 00 00", "61 0C", "READ BINARY without Le: 61 0C")
    t(c, "00 C0 00 00 0C", EF2F02 + " 90 00", "GET RESPONSE after 61 0C")
    t(c, "00 B1 00 02 03 54 01 0A 00", "53 02 78 9F 90 00", "READ BINARY odd INS, SFI 2 in P2, offset DO 54")
    t(c, "00 B1 2F 02 03 54 01 00 04", "53 02 5A 0A 90 00", "READ BINARY odd INS by FID 2F02, Ne 4 incl. 53 02")
    t(c, "00 D6 00 00 02 AA BB", "90 00", "UPDATE BINARY 2 bytes at 0")
    t(c, "00 B0 00 00 03", "AA BB 12 90 00", "read back")
    t(c, "00 D6 82 02 01 CC", "90 00", "UPDATE BINARY by SFI 2, offset 2")
    t(c, "00 D7 00 00 07 54 01 03 53 02 DD EE", "90 00", "UPDATE BINARY odd INS (54 offset, 53 data)")
    t(c, "00 B0 00 00 06", "AA BB CC DD EE 78 90 00", "read back both")
    t(c, "00 D6 00 0B 02 01 02", "6A 84", "UPDATE BINARY past the end: 6A 84")
    t(c, "00 0E 00 0A", "90 00", "ERASE BINARY from offset 10 to the end (§11.3.7)")
    t(c, "00 B0 00 08 04", "34 56 00 00 90 00", "erased bytes read as 00")
    t(c, "00 0F 00 00 06 54 01 00 54 01 01", "90 00", "ERASE BINARY odd INS, offsets 0 to 1")
    t(c, "00 B0 00 00 02", "00 BB 90 00", "first byte erased")
    # WRITE BINARY (§11.3.4): data coding byte b7-b6 = 10 OR, 11 AND.
    t(c, "00 E0 00 00 0D 62 0B 82 02 01 41 83 02 60 10 80 01 02", "90 00", "CREATE EF 6010 with write = OR")
    t(c, "00 D6 00 00 02 0F 0F", "90 00", "UPDATE BINARY 0F 0F")
    t(c, "00 D0 00 00 02 F0 01", "90 00", "WRITE BINARY F0 01")
    t(c, "00 B0 00 00 02", "FF 0F 90 00", "WRITE ORed the data in")
    t(c, "00 E0 00 00 0D 62 0B 82 02 01 61 83 02 60 11 80 01 02", "90 00", "CREATE EF 6011 with write = AND")
    setup(c, "00 D6 00 00 02 0F 0F")
    t(c, "00 D1 00 00 07 54 01 00 53 02 F0 01", "90 00", "WRITE BINARY odd INS F0 01")
    t(c, "00 B0 00 00 02", "00 01 90 00", "WRITE ANDed the data in")
    t(c, "00 D0 00 00 01", "67 00", "WRITE BINARY without data: 67 00")
    t(c, "00 A4 00 0C 02 10 00", "90 00", "SELECT DF 1000")
    t(c, "00 B0 00 00 01", "69 86", "READ BINARY with no current EF: 69 86")
    t(c, "00 B0 82 00 01", "69 81", "READ BINARY by SFI of a record EF: 69 81")
    t(c, "00 B0 81 00 05", "48 65 6C 6C 6F 90 00", "READ BINARY SFI 1 (read is free)")
    t(c, "00 D6 00 00 01 41", "69 82", "UPDATE BINARY on EF 1001 before VERIFY: 69 82")


def extended_tests(c):
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 E0 00 00 0D 62 0B 82 01 01 83 02 50 01 80 02 10 00", "90 00", "CREATE EF 5001 of 4096 bytes")
    data = [(i * 7 + 3) & 0xFF for i in range(4096)]
    t(c, h("00 D6 00 00 00 10 00") + data, "90 00", "extended UPDATE BINARY of 4096 bytes (Lc 00 10 00)")
    t(c, "00 B0 00 00 00 00 00", hx(data) + " 90 00", "extended READ BINARY Le 00 00: all 4096 bytes")
    t(c, "00 B0 00 00 00", hx(data[:256]) + " 90 00", "short READ BINARY Le 00: 256 bytes")
    t(c, "00 B0 0F F0 00 00 20", hx(data[4080:]) + " 62 82", "extended Le 32 at offset 4080: 16 bytes, 62 82")
    # Command chaining, CLA b5 (§5.3.3): the chain is one command.
    t(c, "10 D6 00 00 02 11 22", "90 00", "chained UPDATE BINARY, first part")
    t(c, "10 D6 00 00 01 33", "90 00", "chained UPDATE BINARY, middle part")
    t(c, "00 D6 00 00 01 44", "90 00", "chained UPDATE BINARY, last part")
    t(c, "00 B0 00 00 05", "11 22 33 44 %02X 90 00" % data[4], "the chain wrote 11 22 33 44 at offset 0")


def record_tests(c):
    t(c, "00 A4 08 0C 02 10 00", "90 00", "SELECT DF 1000 by path")
    t(c, "00 B2 01 14 00", "01 02 03 04 90 00", "READ RECORD 1 of SFI 2 (§11.4.3)")
    t(c, "00 B2 02 04 00", "FF FF FF FF 90 00", "READ RECORD 2 of the current EF")
    t(c, "00 B2 02 04 02", "6C 04", "READ RECORD with Le 2 of a 4-byte record: 6C 04")
    t(c, "00 B2 04 04 00", "6A 83", "READ RECORD 4 of 3: 6A 83")
    t(c, "00 B2 01 05 00", "01 02 03 04 FF FF FF FF FF FF FF FF 90 00", "READ RECORDS 1 to the last (P2 b3-b1 = 101)")
    t(c, "00 DC 02 04 04 AA BB CC DD", "90 00", "UPDATE RECORD 2 (§11.4.5)")
    t(c, "00 B2 02 04 00", "AA BB CC DD 90 00", "read back")
    t(c, "00 D2 03 04 04 01 00 00 01", "90 00", "WRITE RECORD 3 (§11.4.4)")
    t(c, "00 B2 03 04 00", "01 00 00 01 90 00", "read back")
    t(c, "00 A2 01 04 02 BB CC 00", "02 90 00", "SEARCH RECORD for BB CC from record 1 on: record 2 (§11.4.8)")
    t(c, "00 A2 01 04 01 01 00", "01 03 90 00", "SEARCH RECORD for 01: records 1 and 3")
    t(c, "00 E2 00 10 04 01 02 03 04", "6A 84", "APPEND RECORD to a full linear fixed EF: 6A 84")
    t(c, "00 0C 02 04", "90 00", "ERASE RECORD 2 (§11.4.7)")
    t(c, "00 B2 01 05 00", "01 02 03 04 00 00 00 00 01 00 00 01 90 00", "only record 2 is erased (to 00)")
    t(c, "00 0C 02 05", "90 00", "ERASE RECORDS from 2 to the last (P2 b3-b1 = 101)")
    t(c, "00 B2 01 05 00", "01 02 03 04 00 00 00 00 00 00 00 00 90 00", "records 2 and 3 are erased")
    t(c, "00 B2 01 1C 00", "00 04 90 00", "cyclic EF SFI 3: record 1 is the most recent")
    t(c, "00 E2 00 18 02 00 05", "90 00", "APPEND RECORD to the cyclic EF")
    t(c, "00 B2 01 1D 00", "00 05 00 04 00 03 00 02 90 00", "the new record is record 1, the oldest is gone")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 B2 01 F4 00", DIR_RECORD + " 90 00", "READ RECORD 1 of EF.DIR (SFI 30)")
    t(c, "00 E2 00 F0 03 01 02 03", "90 00", "APPEND RECORD to the linear variable EF")
    t(c, "00 B2 02 F4 00", "01 02 03 90 00", "the appended record is record 2")
    t(c, "00 B2 02 F4 02", "6C 03", "READ RECORD Le 2 of a 3-byte record: 6C 03")
    t(c, "00 B2 01 F4", "61 15", "READ RECORD without Le: 61 15")
    t(c, "00 C0 00 00 15", DIR_RECORD + " 90 00", "GET RESPONSE")
    t(c, "00 B2 01 84 00", "69 81", "READ RECORD SFI 16 = EF 6010 (SFI from its FID, §7.4.3): 69 81")
    t(c, "00 B2 01 CC 00", "6A 82", "READ RECORD of an absent SFI 25: 6A 82")
    t(c, "00 B2 01 14 00", "69 81", "READ RECORD of a transparent EF (SFI 2): 69 81")


def data_object_tests(c):
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 CA 00 5E 00", "41 42 43 90 00", "GET DATA 5E of the MF (§11.5.3)")
    t(c, "00 DA 00 5E 02 58 59", "90 00", "PUT DATA 5E (§11.5.6)")
    t(c, "00 CA 00 5E 00", "58 59 90 00", "read back")
    t(c, "00 CA 00 5D 00", "6A 88", "GET DATA of an absent tag: 6A 88")
    t(c, "00 CA 00 FF 00", "5E 02 58 59 90 00", "GET DATA 00FF: all objects")
    t(c, "00 A4 00 0C 02 10 00", "90 00", "SELECT DF 1000")
    t(c, "00 CB 10 04 04 5C 02 5F 20 00", "5F 20 05 " + ASCII("Doe J") + " 90 00",
      "GET DATA odd INS on BER-TLV EF 1004, tag list 5C")
    t(c, "00 DB 10 04 04 5F 21 01 4B", "90 00", "PUT DATA odd INS into EF 1004")
    t(c, "00 CA 5F 21 00", "4B 90 00", "GET DATA 5F21 of the (now current) BER-TLV EF")
    t(c, "00 CB 10 01 02 5C 00 00", "69 81", "GET DATA odd INS on a transparent EF: 69 81")


def file_management_tests(c):
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 E0 00 00 0C 62 0A 82 01 01 83 02 60 01 80 01 04", "90 00", "CREATE FILE EF 6001 (ISO 7816-9 §6.1)")
    t(c, "00 B0 00 00 00", "00 00 00 00 90 00", "the new EF is current and reads as zeros")
    t(c, "00 E0 00 00 0C 62 0A 82 01 01 83 02 60 01 80 01 04", "6A 89", "CREATE the same FID again: 6A 89")
    t(c, "00 E0 00 00 05 62 03 82 01 01", "6A 80", "CREATE without FID: 6A 80")
    t(c, "00 04 00 00", "90 00", "DEACTIVATE FILE the current EF (7816-9 §6.4)")
    t(c, "00 B0 00 00 01", "69 85", "READ BINARY of a deactivated EF: 69 85")
    t(c, "00 A4 00 04 02 60 01 00", "62 11 82 02 01 21 83 02 60 01 80 02 00 04 88 00 8A 01 04 62 83",
      "SELECT it: FCP with life cycle 04 and 62 83")
    t(c, "00 44 00 00", "90 00", "ACTIVATE FILE (7816-9 §6.3)")
    t(c, "00 B0 00 00 01", "00 90 00", "readable again")
    t(c, "00 E8 00 00", "90 00", "TERMINATE EF (7816-9 §6.6)")
    t(c, "00 B0 00 00 01", "69 85", "READ BINARY of a terminated EF: 69 85")
    t(c, "00 A4 00 0C 02 60 01", "62 85", "SELECT a terminated EF: 62 85")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 E4 00 00 02 60 01", "90 00", "DELETE FILE 6001 (7816-9 §6.2)")
    t(c, "00 A4 00 0C 02 60 01", "6A 82", "it is gone")
    t(c, "00 E0 00 00 11 62 0F 82 01 38 83 02 70 00 84 06 A0 00 00 00 02 01", "90 00", "CREATE DF 7000 with a name")
    t(c, "00 E0 00 00 0C 62 0A 82 01 01 83 02 70 01 80 01 02", "90 00", "CREATE EF 7001 inside it")
    t(c, "00 A4 04 0C 06 A0 00 00 00 02 01", "90 00", "SELECT the new DF by name")
    t(c, "00 A4 02 0C 02 70 01", "90 00", "its EF")
    t(c, "00 A4 04 0C 06 A0 00 00 00 02 01", "90 00", "the DF again")
    t(c, "00 E6 00 00", "90 00", "TERMINATE DF (7816-9 §6.5)")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 A4 00 0C 02 70 00", "62 85", "SELECT the terminated DF: 62 85 (§5.6.1)")
    # ISO 7816-9 §6.5: a terminated DF is unusable, and so is what it contains.
    t(c, "00 A4 02 0C 02 70 01", "62 85", "SELECT an EF inside the terminated DF: 62 85 like the DF")
    t(c, "00 D6 00 00 01 01", "69 85", "UPDATE BINARY of an EF inside a terminated DF: 69 85")
    t(c, "00 B0 00 00 01", "69 85", "READ BINARY of it: 69 85")
    t(c, "00 44 00 00", "69 85", "ACTIVATE FILE of it: 69 85")
    t(c, "00 A4 08 0C 04 70 00 70 01", "62 85", "SELECT it by path from the MF: 62 85")
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF")
    t(c, "00 E4 00 00 02 70 00", "90 00", "DELETE the terminated DF")
    t(c, "00 A4 04 0C 06 A0 00 00 00 02 01", "6A 82", "its name is gone")
    t(c, "00 A4 00 0C 02 10 00", "90 00", "SELECT DF 1000")
    t(c, "00 E0 00 00 0C 62 0A 82 01 01 83 02 10 09 80 01 02", "69 82",
      "CREATE in DF 1000 before VERIFY PIN 81: 69 82")


def channel_tests(c):
    t(c, "00 A4 00 0C 02 3F 00", "90 00", "SELECT MF on channel 0")
    t(c, "00 70 00 00 01", "01 90 00", "MANAGE CHANNEL open: channel 1 (§11.1.2)")
    t(c, "01 A4 08 0C 04 10 00 10 01", "90 00", "channel 1: SELECT EF 1001")
    t(c, "00 A4 00 0C 02 2F 02", "90 00", "channel 0: SELECT EF 2F02")
    t(c, "01 B0 00 00 05", "48 65 6C 6C 6F 90 00", "channel 1 reads its own current EF (1001)")
    t(c, "00 B0 00 00 01", "00 90 00", "channel 0 reads its own current EF (2F02)")
    t(c, "01 A4 02 0C 02 2F 02", "6A 82", "channel 1's current DF is 1000 (2F02 is not in it)")
    t(c, "00 70 00 05", "90 00", "MANAGE CHANNEL open channel 5 explicitly")
    t(c, "41 A4 00 0C 02 2F 02", "90 00", "channel 5 (CLA 41, further interindustry): SELECT 2F02")
    t(c, "41 B0 00 01 01", "BB 90 00", "channel 5 reads 2F02")
    t(c, "00 70 00 05", "69 85", "open channel 5 again: 69 85")
    t(c, "00 70 80 05", "90 00", "MANAGE CHANNEL close channel 5")
    t(c, "41 B0 00 00 01", "68 81", "a closed channel: 68 81")
    t(c, "01 70 80 00", "90 00", "channel 1 closes itself")
    t(c, "01 B0 00 00 01", "68 81", "channel 1 closed: 68 81")
    t(c, "00 70 80 00", "6A 81", "the basic channel cannot be closed")
    t(c, "00 70 00 14", "6A 86", "channel 20 does not exist: 6A 86")


def unknown_tests(c):
    t(c, "00 A4 00", "67 00", "a 3-byte command: 67 00")
    t(c, "FF A4 00 0C 02 3F 00", "6E 00", "CLA FF: 6E 00")
    t(c, "00 6A 00 00", "6D 00", "unknown INS 6A: 6D 00")


def security_tests(c):
    # §11.5.6 VERIFY: empty data = status query; 63Cx = x tries left; 6983 = blocked.
    t(c, "00 20 00 81", "63 C3", "VERIFY status query PIN 81: 3 tries left")
    t(c, "00 20 00 81 04 31 31 31 31", "63 C2", "VERIFY PIN 81 wrong: 63 C2")
    t(c, "00 20 00 81", "63 C2", "status query: 2 tries left")
    t(c, "00 20 00 81 04 31 32 33 34", "90 00", "VERIFY PIN 81 = 1234")
    t(c, "00 20 00 81", "90 00", "status query once verified: 90 00")
    t(c, "00 A4 08 0C 04 10 00 10 01", "90 00", "SELECT EF 1001")
    t(c, "00 D6 00 00 02 4A 6F", "90 00", "UPDATE BINARY on EF 1001 after VERIFY")
    t(c, "00 B0 00 00 05", "4A 6F 6C 6C 6F 90 00", "read back")
    t(c, "00 20 00 83 04 31 32 33 34", "6A 88", "VERIFY an absent PIN reference: 6A 88")
    t(c, "00 24 00 81 08 31 32 33 34 35 36 37 38", "90 00", "CHANGE REFERENCE DATA PIN 81 to 5678 (§11.5.7)")
    t(c, "00 20 00 81 04 31 32 33 34", "63 C2", "VERIFY with the old PIN fails")
    t(c, "00 20 00 81 04 35 36 37 38", "90 00", "VERIFY with the new PIN")
    t(c, "00 24 00 81 08 31 31 31 31 32 32 32 32", "63 C2", "CHANGE with a wrong old PIN: 63 C2")
    t(c, "00 20 00 81 04 35 36 37 38", "90 00", "the PIN is unchanged")
    # PIN 82: 5 tries, blocked after 5 wrong ones.
    for left in range(4, -1, -1):
        t(c, "00 20 00 82 04 30 30 30 30", "63 C%X" % left, "VERIFY PIN 82 wrong: %d left" % left)
    t(c, "00 20 00 82 08 31 32 33 34 35 36 37 38", "69 83", "a blocked PIN answers 69 83, even when right")
    t(c, "00 20 00 82", "69 83", "status query of a blocked PIN: 69 83")
    # RESET RETRY COUNTER §11.5.10 with PIN 82's PUK "87654321" (3 tries).
    t(c, "00 2C 03 82", "69 82", "RESET RETRY COUNTER P1=03 before the PUK: 69 82")
    t(c, "00 2C 01 82 08 30 30 30 30 30 30 30 30", "63 C2", "RESET RETRY COUNTER wrong PUK: 63 C2")
    t(c, "00 2C 00 82 0C " + ASCII("87654321") + " 31 31 31 31", "90 00",
      "RESET RETRY COUNTER P1=00: PUK and new PIN 1111")
    t(c, "00 20 00 82", "63 C5", "PIN 82 unblocked: 5 tries again")
    t(c, "00 20 00 82 04 31 31 31 31", "90 00", "VERIFY PIN 82 with the new value")
    t(c, "00 2C 01 82 08 " + ASCII("87654321"), "90 00", "RESET RETRY COUNTER P1=01: the PUK alone")
    t(c, "00 2C 03 82", "90 00", "RESET RETRY COUNTER P1=03 after the PUK")
    t(c, "00 2C 03 81", "69 84", "PIN 81 has no PUK: 69 84")
    t(c, "00 2C 03 83", "6A 88", "an absent PIN: 6A 88")
    t(c, "00 2C 04 82", "6A 86", "P1=04: 6A 86")
    # GET CHALLENGE §11.6.3
    r1 = c.tx("00 84 00 00 08")
    r2 = c.tx("00 84 00 00 08")
    good = all(len(r.split()) == 10 and r.endswith("90 00") for r in (r1, r2)) and r1 != r2
    point(good, "GET CHALLENGE 8 bytes twice: 8 bytes + 90 00, different each time", None,
          "got %s / %s" % (r1, r2))
    r = c.tx("00 84 00 00 20")
    point(len(r.split()) == 34 and r.endswith("90 00"), "GET CHALLENGE Le=20: 32 bytes + 90 00", None, "got " + r)
    t(c, "00 84 01 00 08", "6A 86", "GET CHALLENGE P1=01: 6A 86")
    t(c, "00 84 00 00", "67 00", "GET CHALLENGE without Le: 67 00")
    authentication_tests(c)
    pso_tests(c)
    generate_tests(c)


def aes_ecb(data):
    return AES.new(AES_KEY, AES.MODE_ECB).encrypt(bytes(data))


def authentication_tests(c):
    # §11.5.5 EXTERNAL AUTHENTICATE with AES key 01: E(K, challenge) of the last GET CHALLENGE.
    ch = h(c.tx("00 84 00 00 10"))[:-2]
    t(c, h("00 82 00 01 10") + list(aes_ecb(ch)), "90 00", "EXTERNAL AUTHENTICATE AES key 01, E(K, challenge)")
    ch = h(c.tx("00 84 00 00 10"))[:-2]
    t(c, h("00 82 00 01 10") + list(aes_ecb(bytes(16))), "63 00", "EXTERNAL AUTHENTICATE wrong cryptogram: 63 00")
    t(c, "00 82 00 01 10" + " 00" * 16, "69 85", "the challenge is used up: 69 85")
    t(c, "00 82 00 77 10" + " 00" * 16, "6A 88", "EXTERNAL AUTHENTICATE with an absent key: 6A 88")
    # §11.5.4 INTERNAL AUTHENTICATE: AES E(K, data); RSA key 10 (PIN 81): PKCS#1 v1.5 signature.
    data = list(range(16))
    t(c, h("00 88 00 01 10") + data + [0], hx(aes_ecb(data)) + " 90 00", "INTERNAL AUTHENTICATE AES key 01")
    t(c, "00 88 00 01 00", "67 00", "INTERNAL AUTHENTICATE without data: 67 00")
    t(c, "00 20 00 81 04 35 36 37 38", "90 00", "VERIFY PIN 81 (key 10 needs it)")
    t(c, h("00 88 00 10 %02X" % len(DIGEST_INFO)) + DIGEST_INFO + [0], hx(RSA_SIG_ABC) + " 90 00",
      "INTERNAL AUTHENTICATE RSA key 10: PKCS#1 v1.5 of DigestInfo(SHA-256 'abc')")


def pso_tests(c):
    # §11.5.11 MANAGE SECURITY ENVIRONMENT, ISO 7816-8 §5 PERFORM SECURITY OPERATION.
    t(c, "00 22 41 B6 06 80 01 01 84 01 10", "90 00", "MSE SET DST: PKCS#1 v1.5, key 10")
    t(c, "00 22 41 B6 03 84 01 99", "6A 88", "MSE SET an absent key: 6A 88")
    t(c, "00 22 41 B6 03 80 01 77", "6A 80", "MSE SET an unknown algorithm: 6A 80")
    t(c, "00 22 41 B7", "6A 86", "MSE SET with an unknown CRT B7: 6A 86")
    t(c, "00 22 F2 B6", "6A 81", "MSE STORE: 6A 81")
    sig = t(c, h("00 2A 9E 9A %02X" % len(DIGEST_INFO)) + DIGEST_INFO + [0], hx(RSA_SIG_ABC) + " 90 00",
            "PSO COMPUTE DIGITAL SIGNATURE, key 10: the PKCS#1 v1.5 signature")
    try:
        pkcs1_15.new(RSA_KEY.publickey()).verify(SHA256.new(b"abc"), bytes(h(sig)[:-2]))
        good = True
    except (ValueError, TypeError):
        good = False
    point(good, "the signature verifies with pycryptodome against key 10's public key")
    t(c, "00 2A 9E 9A 00", "67 00", "PSO COMPUTE DIGITAL SIGNATURE without data: 67 00")
    t(c, "00 2A 90 80 03 61 62 63 00", hx(hashlib.sha256(b"abc").digest()) + " 90 00", "PSO HASH SHA-256 of 'abc'")
    t(c, "00 22 41 B8 03 84 01 10", "90 00", "MSE SET CT: key 10")
    cryptogram = PKCS1_v1_5.new(RSA_KEY.publickey()).encrypt(b"vpcsc secret")
    t(c, h("00 2A 80 86 00 01 01 00") + list(cryptogram) + [0, 0], ASCII("vpcsc secret") + " 90 00",
      "PSO DECIPHER PKCS#1 v1.5 (extended Lc 257): the plaintext")
    t(c, h("00 2A 80 86 00 01 01 01") + list(cryptogram) + [0, 0], "6A 80", "PSO DECIPHER padding indicator 01: 6A 80")
    t(c, "00 22 F3 00", "90 00", "MSE RESTORE SE 00: the empty environment")
    t(c, h("00 2A 9E 9A %02X" % len(DIGEST_INFO)) + DIGEST_INFO + [0], "69 85", "PSO with no key in the SE: 69 85")


def generate_tests(c):
    # ISO 7816-8 §5.1 GENERATE ASYMMETRIC KEY PAIR into a new reference 21 (RSA-2048 from DO 80).
    t(c, "00 46 00 21 00", "6A 88", "GENERATE into a new reference without an algorithm: 6A 88")
    t(c, "00 47 80 21 05 B6 03 80 01 77 00", "6A 80", "GENERATE with an unknown algorithm: 6A 80")
    t(c, "00 46 01 21 00", "6A 86", "GENERATE with P1=01: 6A 86")
    r = h(c.tx("00 47 80 00 00 00 08 B6 06 80 01 01 84 01 21 00 00"))
    good = (len(r) == 272 and r[:9] == h("7F 49 82 01 09 81 82 01 00") and r[-7:] == h("82 03 01 00 01 90 00"))
    point(good, "GENERATE RSA-2048 into key 21: 7F49 {81 modulus 256 bytes, 82 01 00 01} 90 00", None,
          "got %s" % hx(r[:16]))
    n = int.from_bytes(bytes(r[9:265]), "big")
    point(n.bit_length() == 2048, "the modulus has 2048 bits")
    # The key is random: the description names it instead of showing it (the relay test compares
    # descriptions between two cards).
    got = c.tx("00 47 81 21 00 00 00")
    point(got == norm(hx(r)), "GENERATE P1=81 reads the same public key back: 00 47 81 21 00 00 00 -> "
          "the 7F49 template just generated", None, "expected %s\nactual   %s" % (norm(hx(r)), got))
    t(c, "00 22 41 B6 06 80 01 01 84 01 21", "90 00", "MSE SET DST: key 21")
    sig = h(c.tx(h("00 2A 9E 9A %02X" % len(DIGEST_INFO)) + DIGEST_INFO + [0]))
    try:
        pkcs1_15.new(RSA.construct((n, 65537))).verify(SHA256.new(b"abc"), bytes(sig[:-2]))
        good = sig[-2:] == [0x90, 0x00]
    except (ValueError, TypeError):
        good = False
    point(good, "key 21 signs, and pycryptodome verifies it with the generated public key")
    t(c, "00 47 81 00 05 B6 03 84 01 22 00", "6A 88", "read a key that does not exist: 6A 88")
    t(c, "00 46 00 01 00", "69 85", "GENERATE into the AES key 01: 69 85")


def main():
    reader = sys.argv[1]
    c = Card(reader)
    for section in (select_tests, binary_tests, extended_tests, record_tests, data_object_tests,
                    file_management_tests, channel_tests, unknown_tests, security_tests):
        out("# --- %s ---" % section.__name__)
        section(c)
    c.close()
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
