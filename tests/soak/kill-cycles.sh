#!/bin/bash
# Cards killed and restarted under load: 4 slots, 4 vicc cards (own images), 4 clients at full speed
# that tolerate removal (reconnect when the card is back). SOAK_KILLS times (default 60) a random
# card is SIGKILLed, the test checks now and then that its reader shows empty, and starts it again.
# Clients must never get a wrong answer (mismatch), never hang (every SCardTransmit returns within
# the driver's timeout=5 plus slack), and see removal errors; pcscd survives; at the end every slot
# answers. Then pcscd itself is restarted under load (SIGTERM, start again): every vicc reconnects
# by itself (its backoff reconnect) and the clients go on with a new PC/SC context.
# SOAK_MODE=reversed (tests/soak/kill-cycles-reversed.sh): the same with the roles of vpcd's
# reversed mode: every card listens (vicc -R) and the driver connects out to it, so the driver
# reconnects to each restarted card, and after the pcscd restart the new driver to every card.
: "${SOAK_KILLS:=60}" "${SOAK_MODE:=server}"
export SOAK_KILLS SOAK_MODE
export PCSCD_TEST_TIMEOUT=$((SOAK_KILLS / 2 + 120))
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/soak/soak-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0
N=4
tap_plan 16
if [ "$SOAK_MODE" = reversed ]; then
    pcscd_reader "Virtual PCD" "127.0.0.1:0x8C7B;slots=$N;timeout=5"
    who_reconnects="the driver reconnected by itself to every card (vicc -R)"
else
    pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;slots=$N;timeout=5"
    who_reconnects="every vicc reconnected by itself to the new pcscd"
fi
check "pcscd starts with $N slots" pcscd_start $N
check "$N card images written" soak_cards $N
for i in $(seq 0 $((N - 1))); do soak_vicc "$i"; done
check "all $N cards present" soak_all_present $N
soak_names $N
check "the $N slot names" test "${#SOAK_READERS[@]}" -ge $N
pcscd_rss0=$(rss_kb "$(pcscd__pid)")

# --- kill cycles ---------------------------------------------------------------------------------
for i in $(seq 0 $((N - 1))); do soak_drive "$i" 3600 --tolerate-removal; done
sleep 1
empty_seen=0 empty_missed=0 present_missed=0
t0=$(date +%s%N)
for k in $(seq "$SOAK_KILLS"); do
    i=$((RANDOM % N))
    card_stop "v$i" KILL
    if [ $((k % 5)) = 0 ]; then
        if reader_wait "${SOAK_READERS[$i]}" empty 5000 >/dev/null 2>&1; then empty_seen=$((empty_seen + 1))
        else empty_missed=$((empty_missed + 1)); fi
    fi
    soak_vicc "$i"
    if [ $((k % 5)) = 0 ]; then
        # Expected within the slot's timeout (5 s, while an exchange with the dead card is still
        # running) plus vicc's reconnect backoff after being turned away from the still-occupied slot
        # (<= 5 s); bounded at 30 s, reader_wait's floor for "present" (tests/lib/pcscd.sh).
        reader_wait "${SOAK_READERS[$i]}" present 30000 >/dev/null 2>&1 || present_missed=$((present_missed + 1))
    else
        sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
    fi
done
kill_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "pcscd alive after $SOAK_KILLS card kills" pcscd_alive
expect_eq "checked kills whose reader did not show empty within 5 s" 0 "$empty_missed"
expect_eq "restarted cards not present again within 30 s (timeout + reconnect backoff, load margin)" 0 "$present_missed"
check "all cards present after the kill cycles" soak_all_present $N
stop_clients() {
    local i
    for i in $(seq 0 $((N - 1))); do kill -TERM "$(cat "$PCSCD_WORK/client.$i.pid")" 2>/dev/null; done
    soak_collect $N
}
sum_field() { local i s=0; for i in $(seq 0 $((N - 1))); do s=$((s + $(soak_field "$i" "$1"))); done; echo $s; }
max_field() { local i m=0 v; for i in $(seq 0 $((N - 1))); do v=$(soak_field "$i" "$1"); [ "$v" -le "$m" ] || m=$v; done; echo $m; }
sleep 1
pcscd_rss1=$(rss_kb "$(pcscd__pid)")
stop_clients
for i in $(seq 0 $((N - 1))); do diag "$(tail -1 "$PCSCD_WORK/client.$i.out")"; done
expect_eq "wrong answers seen by the clients across $SOAK_KILLS kills" 0 "$(sum_field mismatch)"
check "the clients saw the removals (removal errors, then reconnected)" test "$(sum_field reconnects)" -gt 0
maxms=$(max_field max_ms)
rss_grew_less "over the kill cycles: pcscd" "$pcscd_rss0" "$pcscd_rss1" 8192
check "no SCardTransmit hung (slowest ${maxms} ms, bound 15000 ms: timeout 5 s + scheduling)" test "$maxms" -lt 15000
diag "$SOAK_KILLS kills in $kill_ms ms; empty seen on $empty_seen checked kills;" \
    "$(sum_field ok) good answers, $(sum_field removals) removal errors, $(sum_field reconnects) reconnects"

# --- pcscd restarted under load ------------------------------------------------------------------
for i in $(seq 0 $((N - 1))); do soak_drive "$i" 3600 --tolerate-removal; done
sleep 2
pcscd_stop
t0=$(date +%s%N)
check "pcscd restarts" pcscd_start $N
soak_all_present $N
back_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "$who_reconnects (all present after ${back_ms} ms)" soak_all_present $N
sleep 3
stop_clients
for i in $(seq 0 $((N - 1))); do diag "$(tail -1 "$PCSCD_WORK/client.$i.out")"; done
lagging=
for i in $(seq 0 $((N - 1))); do [ "$(soak_field "$i" reconnects)" -ge 1 ] || lagging+=" $i"; done
expect_eq "clients that did not get back to their card after the pcscd restart (mismatch=0)" "" \
    "$lagging$( [ "$(sum_field mismatch)" = 0 ] || echo " mismatches=$(sum_field mismatch)")"
for i in $(seq 0 $((N - 1))); do soak_drive "$i" 2; done
soak_collect $N
check "after the restart every slot answers its own card's data without error" test "$SOAK_FAILED_CLIENTS" = 0
diag "pcscd RSS before the kill cycles ${pcscd_rss0} kB, after ${pcscd_rss1} kB"
tap_done
