#!/bin/bash
# A card that answers with garbage (an incomplete near-maximal frame): the transmit fails within
# the timeout, pcscd survives, and the slot takes a new card afterwards.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 7
R="Virtual PCD 00 00"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;timeout=2"
check "pcscd starts" pcscd_start 2

card_start junk "$BENCH_PEER" -p $VPCD_PORT --garbage-after 1
check "card present" reader_wait "$R" present
check "first APDU answered" transmit_expect "$R" 00A4000C023F00 "90 00"
if timeout -k 1 15 "$VPCSC_BENCH" transmit -r "$R" 00A4000C023F00 >/dev/null 2>&1; then
    not_ok "APDU answered with garbage fails"; else ok "APDU answered with garbage fails"; fi
check "pcscd still alive" pcscd_alive
card_stop junk
check "slot empty" reader_wait "$R" empty 5000
card_start fresh "$BENCH_PEER" -p $VPCD_PORT
check "a new card answers" eval 'reader_wait "$R" present && transmit_expect "$R" 00A4000C023F00 "90 00"'
tap_done
