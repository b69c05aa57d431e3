#!/bin/bash
# Reversed mode (DEVICENAME HOST:PORT): the driver connects out to a listening card (vicc -R
# style). pcscd survives slots with nobody listening, and reconnects when the card comes back.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 8
R0="Virtual PCD 00 00" R1="Virtual PCD 00 01"
pcscd_reader "Virtual PCD" "127.0.0.1:0x8C7B"
check "pcscd starts" pcscd_start 2

sleep 1   # let the driver try and fail to connect a few times
check "pcscd alive with nobody listening" pcscd_alive
check "slot 1 (nobody listening) is empty" reader_wait "$R1" empty 2000
card_start listener "$BENCH_PEER" -R -p $VPCD_PORT
check "listening card found" reader_wait "$R0" present 5000
check "it answers" transmit_expect "$R0" 00A4000C023F00 "90 00"
card_stop listener
check "slot empty when it stops" reader_wait "$R0" empty 5000
card_start listener2 "$BENCH_PEER" -R -p $VPCD_PORT
check "a restarted listener is reconnected" reader_wait "$R0" present 5000
check "pcscd still alive" pcscd_alive
tap_done
