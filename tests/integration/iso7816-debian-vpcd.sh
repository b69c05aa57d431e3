#!/bin/bash
# Interoperability: our vicc (iso7816, the sample image) behind Debian's vsmartcard vpcd driver
# (vsmartcard-vpcd, libifdvpcd.so) in a private pcscd: ATR through opensc-tool, SELECT through
# pcscd, then the whole of iso7816-apdus.py (every ISO INS with exact bytes) as in
# iso7816-pyscard.sh, and a pcscd-side card removal when vicc stops.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/integration/iso7816-lib.sh"
[ -f "$DEBIAN_VPCD" ] || tap_skip_all "Debian's vpcd driver not installed ($DEBIAN_VPCD, package vsmartcard-vpcd)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
command -v opensc-tool >/dev/null || tap_skip_all "opensc-tool not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0
R="Virtual PCD 00 00"
IMG=$PCSCD_WORK/sample.json
cp "$top_srcdir/vicc/cards/examples/iso7816-sample.json" "$IMG"

# pcscd_enter replaced the driver directory by a tmpfs holding only a copy of Debian's driver.
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B" "$DEBIAN_VPCD"
check "pcscd starts with Debian's vpcd driver" pcscd_start 2
vicc_start vicc -f "$IMG"
check "our vicc is seen present through Debian's driver" reader_wait "$R" present 10000
expect_eq "opensc-tool -a shows the ATR" "3b:95:13:81:01:80:73:ff:01:00:0b" \
    "$(timeout 10 opensc-tool -r 0 -a 2>&1 | tail -1)"
check "SELECT MF with FCP through pcscd" transmit_expect "$R" 00A40004023F0000 \
    "62 10 82 01 38 83 02 3F 00 8A 01 05 8C 04 07 00 00 00 90 00"
relay_points timeout -k 2 30 /usr/bin/python3 "$top_srcdir/tests/integration/iso7816-apdus.py" "$R"
check "vicc is still running" card_running vicc
card_stop vicc TERM
check "the slot is empty once vicc stops" reader_wait "$R" empty 5000
echo "1..$TAP_N"
tap_done
