#!/bin/bash
# A card that stops answering: with DEVICENAME ;timeout=2 the transmit fails after about 2 s
# instead of blocking forever; pcscd survives, the other slot keeps working, the slot recovers.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
tap_plan 9
R0="Virtual PCD 00 00" R1="Virtual PCD 00 01"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;timeout=2"
check "pcscd starts" pcscd_start 2

card_start hung "$BENCH_PEER" -p $VPCD_PORT --hang-after 1
card_start other "$BENCH_PEER" -p $((VPCD_PORT + 1))
check "both cards present" eval 'reader_wait "$R0" present && reader_wait "$R1" present'
check "first APDU answered" transmit_expect "$R0" 00A4000C023F00 "90 00"
t0=$(date +%s%N)
if timeout -k 1 15 "$VPCSC_BENCH" transmit -r "$R0" 00A4000C023F00 >/dev/null 2>&1; then
    not_ok "APDU to the hung card fails"; else ok "APDU to the hung card fails"; fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "transmit to the hung card returned after $ms ms"
check "... after the 2 s timeout, not before and not much later" test "$ms" -ge 1800 -a "$ms" -le 6000
check "pcscd still alive" pcscd_alive
check "the other slot still answers" transmit_expect "$R1" 00A4000C023F00 "90 00"
card_stop hung KILL
check "slot 0 empty once the hung card is gone" reader_wait "$R0" empty 5000
card_start fresh "$BENCH_PEER" -p $VPCD_PORT
check "a new card on slot 0 answers" eval 'reader_wait "$R0" present && transmit_expect "$R0" 00A4000C023F00 "90 00"'
tap_done
