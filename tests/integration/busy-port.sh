#!/bin/bash
# A second card connecting to an occupied slot is refused (connection closed), and the first
# card is not disturbed.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 6
R="Virtual PCD 00 00"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2

card_start first "$BENCH_PEER" -p $VPCD_PORT -a 3B80800101
check "first card present" reader_wait "$R" present
card_start second "$BENCH_PEER" -p $VPCD_PORT -a 3B8180011111
refused=no
for _ in $(seq 50); do card_running second || { refused=yes; break; }; sleep 0.1; done
expect_eq "second card on the same port is disconnected within 5 s" yes "$refused"
check "first card still there" transmit_expect "$R" 00A4000C023F00 "90 00"
expect_eq "slot still shows the first card's ATR" "3B 80 80 01 01" "$(pcsc_tool atr -r "$R" 2>&1)"
card_stop first
check "slot empty after the first card leaves (the refused one never took over)" reader_wait "$R" empty 3000
tap_done
