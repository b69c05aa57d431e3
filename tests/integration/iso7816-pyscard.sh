#!/bin/bash
# Every ISO 7816-4 command of our vicc (iso7816 card, the sample image) through a real pcscd with
# our ifd-vpcd, from python3-pyscard, with exact bytes (iso7816-apdus.py), security commands
# included (RSA signatures and deciphering checked with pycryptodome).
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/integration/iso7816-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0   # -a would log every APDU in hex
R="Virtual PCD 00 00"
IMG=$PCSCD_WORK/sample.json
cp "$top_srcdir/vicc/cards/examples/iso7816-sample.json" "$IMG"

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
vicc_start vicc -f "$IMG"
check "vicc with the sample image is present" reader_wait "$R" present 8000
relay_points timeout -k 2 30 /usr/bin/python3 "$top_srcdir/tests/integration/iso7816-apdus.py" "$R"
check "vicc is still running" card_running vicc
echo "1..$TAP_N"
tap_done
