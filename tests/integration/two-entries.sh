#!/bin/bash
# Two reader.conf entries on different ports are independent readers: each card appears in its
# own reader, and removing one does not touch the other.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 8
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
pcscd_reader "Other PCD" "/dev/null:0x9000"
check "pcscd starts with 4 readers" pcscd_start 4
# pcscd numbers readers in the order it reads the entries: "Virtual PCD 00 00" or "... 01 00".
readers=$(pcsc_tool list)
A=$(grep -m1 '^Virtual PCD .. 00$' <<<"$readers") A1=$(grep -m1 '^Virtual PCD .. 01$' <<<"$readers")
B=$(grep -m1 '^Other PCD .. 00$' <<<"$readers") B1=$(grep -m1 '^Other PCD .. 01$' <<<"$readers")

card_start a "$BENCH_PEER" -p $VPCD_PORT -a 3B80800101
card_start b "$BENCH_PEER" -p 36864 -a 3B8180011111
check "card A present in the first entry's slot 0" reader_wait "$A" present
check "card B present in the second entry's slot 0" reader_wait "$B" present
expect_eq "first reader shows A's ATR" "3B 80 80 01 01" "$(pcsc_tool atr -r "$A" 2>&1)"
expect_eq "second reader shows B's ATR" "3B 81 80 01 11 11" "$(pcsc_tool atr -r "$B" 2>&1)"
check "both slots 1 stay empty" eval 'reader_wait "$A1" empty 1000 && reader_wait "$B1" empty 1000'
card_stop a
check "removing A empties the first reader" reader_wait "$A" empty 3000
check "B is untouched and answers" transmit_expect "$B" 00A4000C023F00 "90 00"
tap_done
