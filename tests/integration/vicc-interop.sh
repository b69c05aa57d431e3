#!/bin/bash
# Interoperability: vsmartcard's own Python vicc (Debian package, iso7816 card) through our
# driver. Debian's vicc 0.8 needs its module dir on PYTHONPATH and a Crypto -> Cryptodome shim.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
VICC=$(command -v vicc) || tap_skip_all "vicc (vsmartcard-vpicc) not installed"
VICC_MODULES=/usr/lib/python3/site-packages/virtualsmartcard
CRYPTODOME=/usr/lib/python3/dist-packages/Cryptodome
[ -d "$VICC_MODULES" ] || tap_skip_all "python3-virtualsmartcard not installed"
[ -d "$CRYPTODOME" ] || tap_skip_all "python3-pycryptodome not installed"
command -v opensc-tool >/dev/null || tap_skip_all "opensc-tool not installed"
pcscd_enter "$@"
tap_plan 6
R="Virtual PCD 00 00"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2

mkdir -p "$PCSCD_WORK/shim" && ln -s "$CRYPTODOME" "$PCSCD_WORK/shim/Crypto"
card_start vicc env PYTHONPATH="$VICC_MODULES:$PCSCD_WORK/shim" /usr/bin/python3 "$VICC" \
    -t iso7816 -H 127.0.0.1 -P $VPCD_PORT
check "vicc iso7816 seen present" reader_wait "$R" present 10000
expect_eq "opensc-tool -r 0 -a shows vicc's iso7816 ATR" "3b:95:13:81:01:80:73:ff:01:00:0b" \
    "$(timeout 10 opensc-tool -r 0 -a 2>&1)"
check "SELECT MF (P2=0C) answered 90 00" transmit_expect "$R" 00A4000C023F00 "90 00"
expect_match "GET CHALLENGE returns 8 bytes + 90 00" '^([0-9A-F]{2} ){8}90 00$' \
    "$(pcsc_tool transmit -r "$R" 0084000008 2>&1)"
card_stop vicc
check "slot empty after vicc exits" reader_wait "$R" empty 5000
tap_done
