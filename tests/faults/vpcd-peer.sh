#!/bin/bash
# Hostile vpcd cards through a real pcscd, beyond tests/integration/card-hang.sh (silent card) and
# garbage.sh (bogus length) and the unit-level cases of tests/ifd (truncated frames): DEVICENAME
# ;timeout=2, and on slot 0 a card (tests/faults/fault-card.py) whose 2nd answer is
#   drip     sent one byte every 0.1 s (0.5 s in all): the APDU succeeds;
#   drip     one byte every 1.5 s (7.5 s in all): the timeout is for the whole answer, not per
#            byte, so the transmit fails after ~2 s (a slowloris card cannot hold the slot);
#   midframe header and half the payload, then silence: fails after ~2 s;
#   late     the whole answer after 3 s: fails after ~2 s, and the late answer never reaches the
#            next command (the next card on that slot answers its own 90 00);
#   deaf     a card that stops reading (4 KiB receive buffer) sent a 60,000-byte extended APDU:
#            fails after ~2 s, no hang in send.
# After each: pcscd alive, slot 1 (a bench-peer card) still answers, slot 0 empties and takes a
# new card that answers correctly.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
export PCSCD_TEST_TIMEOUT=120
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
pcscd_enter "$@"
FAULT_CARD=$top_srcdir/tests/faults/fault-card.py
tap_plan 31
R0="Virtual PCD 00 00" R1="Virtual PCD 00 01"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;timeout=2"
check "pcscd starts" pcscd_start 2
card_start other "$BENCH_PEER" -p $((VPCD_PORT + 1))
check "bystander card on slot 1" reader_wait "$R1" present

# timed_fail DESC APDUHEX: the transmit on slot 0 fails, between 1.8 and 6 s after it was sent
timed_fail() {
    local t0 ms out
    t0=$(date +%s%N)
    if out=$(timeout -k 1 20 "$VPCSC_BENCH" transmit -r "$R0" "$2" 2>&1); then
        not_ok "$1: the APDU fails"; diag "answer: $out"
    else ok "$1: the APDU fails"; fi
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    check "$1: ... after the 2 s timeout (${ms} ms), not before, not much later" test "$ms" -ge 1800 -a "$ms" -le 6000
}

# after_fault NAME: pcscd alive, slot 1 answers, slot 0 empties once the card is gone, a new card works
after_fault() {
    check "$1: pcscd alive, the other slot answers" eval 'pcscd_alive && transmit_expect "$R1" 00A4000C023F00 "90 00"'
    card_stop "$1" KILL
    check "$1: slot 0 empty once the card is gone" reader_wait "$R0" empty 5000
    card_start "good-$1" "$BENCH_PEER" -p $VPCD_PORT
    check "$1: a new card on slot 0 answers its own 90 00" eval \
        'reader_wait "$R0" present && transmit_expect "$R0" 00A4000C023F00 "90 00"'
    card_stop "good-$1" TERM
    reader_wait "$R0" empty 5000 >/dev/null 2>&1
}

fault_card() {  # NAME MODE DELAY
    card_start "$1" /usr/bin/python3 "$FAULT_CARD" $VPCD_PORT "$2" "${3:-1}"
    reader_wait "$R0" present && transmit_expect "$R0" 00A4000C023F00 "01 90 00"
}

check "drip-fast: card present, first APDU answered" fault_card dripfast drip 0.1
check "drip-fast: an answer dripped over 0.5 s arrives whole" transmit_expect "$R0" 00A4000C023F00 "02 90 00"
check "drip-fast: the card goes on answering" transmit_expect "$R0" 00A4000C023F00 "03 90 00"
card_stop dripfast KILL
reader_wait "$R0" empty 5000 >/dev/null 2>&1

check "drip-slow: card present, first APDU answered" fault_card drip drip 1.5
timed_fail "drip-slow (1 byte / 1.5 s)" 00A4000C023F00
after_fault drip

check "midframe: card present, first APDU answered" fault_card midframe midframe
timed_fail "midframe" 00A4000C023F00
after_fault midframe

check "late: card present, first APDU answered" fault_card late late 3
timed_fail "late (3 s)" 00A4000C023F00
sleep 1.5  # the late answer has been sent (or refused) by now
check "late: the driver dropped the late card (slot 0 empty, the card saw the close)" eval \
    'reader_wait "$R0" empty 3000 && grep -q "closed by the reader" "$PCSCD_WORK/late.log"'
after_fault late

check "deaf: card present, first APDU answered" fault_card deaf deaf
big=$(printf '00D6000000EA60%0120000d' 0)
timed_fail "deaf (60,000-byte APDU to a card that does not read)" "$big"
after_fault deaf
check "pcscd survived every fault" pcscd_alive
tap_done
