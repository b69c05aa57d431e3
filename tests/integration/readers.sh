#!/bin/bash
# Our driver in a private pcscd: both slots listed by pcsc_scan and opensc-tool, and a card
# (bench-peer) shows its ATR through opensc-tool and SCardGetAttrib.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 7

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts with the build-tree driver and lists 2 readers" pcscd_start 2

scan=$(timeout 10 pcsc_scan -r 2>&1)
expect_match "pcsc_scan -r lists Virtual PCD 00 00" '(^|[^0-9])0: Virtual PCD 00 00' "$scan"
expect_match "pcsc_scan -r lists Virtual PCD 00 01" '1: Virtual PCD 00 01' "$scan"

list=$(timeout 10 opensc-tool -l 2>&1)
expect_match "opensc-tool -l lists both slots" 'Virtual PCD 00 00.*
.*Virtual PCD 00 01' "$list"

card_start card1 "$BENCH_PEER" -p $((VPCD_PORT + 1)) -a "3B 80 80 01 01"
check "card on slot 1 seen present" reader_wait "Virtual PCD 00 01" present
expect_eq "opensc-tool -r 1 -a shows the card's ATR" "3b:80:80:01:01" \
    "$(timeout 10 opensc-tool -r 1 -a 2>&1)"
expect_eq "SCardGetAttrib(ATR_STRING) returns the ATR" "3B 80 80 01 01" "$(pcsc_tool atr -r "Virtual PCD 00 01" 2>&1)"
tap_done
