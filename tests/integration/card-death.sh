#!/bin/bash
# A card that dies with an APDU outstanding: the transmit fails, the slot empties quickly, and a
# new card on the same port is picked up.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 7
R="Virtual PCD 00 00"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;timeout=5"
check "pcscd starts" pcscd_start 2

card_start dying "$BENCH_PEER" -p $VPCD_PORT --die-after 2
check "card present" reader_wait "$R" present
check "two APDUs answered in one session" pcsc_tool transmit -r "$R" 00A4000C023F00 00A4000C023F00
if pcsc_tool transmit -r "$R" 00A4000C023F00 00A4000C023F00 >/dev/null 2>&1; then
    not_ok "APDU to a card that dies while answering fails"
else ok "APDU to a card that dies while answering fails"; fi
t0=$(date +%s%N)
check "slot empty within 2 s" reader_wait "$R" empty 2000
diag "slot empty $(( ($(date +%s%N) - t0) / 1000000 )) ms after the failed transmit"
card_start fresh "$BENCH_PEER" -p $VPCD_PORT
check "new card on the same port present" reader_wait "$R" present
check "new card answers" transmit_expect "$R" 00A4000C023F00 "90 00"
tap_done
