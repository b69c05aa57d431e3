#!/bin/bash
# Load: one ifd-vpcd entry with 16 slots (;slots=16), 16 vicc cards each with its own card image
# (EF 6001 = 240 bytes only that card holds), 16 pyscard clients, one per slot, each in its own
# process at full speed: SELECT + READ BINARY at pseudo-random offsets/lengths, every answer
# compared with that card's content. No mismatch (misrouted, stale or corrupted answer), no error
# (lost APDU), and each card's own --trace counts exactly the READ BINARYs its client sent (nothing
# lost or duplicated between client and card). RSS of pcscd and of the cards sampled from /proc.
# SOAK_SECONDS (default 20) sets the load duration; doc/reliability.md has long-run figures.
: "${SOAK_SECONDS:=20}"
export SOAK_SECONDS
export PCSCD_TEST_TIMEOUT=$((SOAK_SECONDS * 21 / 20 + 90))  # + counting the cards' traces
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/soak/soak-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0
N=16
tap_plan 12
# timeout=30, not 10: even with the cards in the test's session a transmit took 8.8 s once on 2
# cores at load average 40 (doc/reliability.md); a lost APDU still fails here, after 30 s.
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;slots=$N;timeout=30"
check "pcscd starts with $N slots in one entry" pcscd_start $N
check "$N card images written" soak_cards $N
for i in $(seq 0 $((N - 1))); do soak_vicc "$i"; done
check "all $N cards present" soak_all_present $N
# Each card in its own process group but in the test's session: a session of its own is a scheduler
# autogroup of its own, and such cards were starved for 10 s at a time (doc/reliability.md, 1).
proc_field() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f"$2"; }  # 3: pgrp, 4: session
card_groups() {
    local i p bad=
    for i in $(seq 0 $((N - 1))); do
        p=$(cat "$PCSCD_WORK/v$i.card.pid")
        [ "$(proc_field "$p" 3)" = "$p" ] && [ "$(proc_field "$p" 4)" = "$(proc_field $$ 4)" ] || bad+=" v$i"
    done
    echo "$bad"
}
expect_eq "every card has its own process group in the test's session (cards not in their own session)" "" "$(card_groups)"
soak_names $N
check "the $N slot names" test "${#SOAK_READERS[@]}" -ge $N
sleep 1
vicc_rss() { local i s=0; for i in $(seq 0 $((N - 1))); do s=$((s + $(rss_kb "$(cat "$PCSCD_WORK/v$i.card.pid")"))); done; echo $s; }
# RSS over time for long runs (a one-time growth levels off, a leak keeps climbing): a line every
# SOAK_RSS_EVERY seconds (default 60) while the clients run.
# Stopped with SIGTERM, it ends its sleep too (a foreground sleep would outlive it).
rss_samples() {
    local t=0 every=${SOAK_RSS_EVERY:-60} nap=
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    while :; do
        sleep "$every" & nap=$!
        wait "$nap"
        t=$((t + every))
        echo "${t} s: pcscd $(rss_kb "$(pcscd__pid)") kB, $N vicc $(vicc_rss) kB"
    done >"$PCSCD_WORK/rss.log"
}
pcscd_rss0=$(rss_kb "$(pcscd__pid)")
vicc_rss0=$(vicc_rss)
t0=$(date +%s%N)
# --tolerate-removal: a transmit that fails is counted (and fails the run below), the client
# reconnects and goes on, so that one failure does not hide the rest of the run.
for i in $(seq 0 $((N - 1))); do soak_drive "$i" "$SOAK_SECONDS" --tolerate-removal; done
rss_samples &
sampler=$!
soak_collect $N
kill "$sampler"; wait "$sampler" 2>/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
pcscd_rss1=$(rss_kb "$(pcscd__pid)")
vicc_rss1=$(vicc_rss)
for i in $(seq 0 $((N - 1))); do diag "$(tail -1 "$PCSCD_WORK/client.$i.out")"; done
while read -r line; do diag "RSS after $line"; done <"$PCSCD_WORK/rss.log"
check "every client ran to its end without a wrong answer" test "$SOAK_FAILED_CLIENTS" = 0
mism=0 errs=0 low=0
for i in $(seq 0 $((N - 1))); do
    mism=$((mism + $(soak_field "$i" mismatch))); errs=$((errs + $(soak_field "$i" errors)))
    [ "$(soak_field "$i" ok)" -ge 50 ] || low=$((low + 1))
done
expect_eq "mismatched answers (misrouted, stale or corrupt), all slots" 0 "$mism"
# These two failed while each card ran in its own session (autogroup): starved cards left commands
# unanswered for the driver's whole timeout, and slots stalled for seconds (doc/reliability.md).
expect_eq "transmit errors (lost APDUs), all slots" 0 "$errs"
expect_eq "slots that got fewer than 50 APDUs through (starved)" 0 "$low"
# The card side: its trace counts the READ BINARYs it received; the client counted what it sent
# and the 90 00s it got.
card_stop_all() { local i; for i in $(seq 0 $((N - 1))); do card_stop "v$i" TERM; done; }
card_stop_all
diff_counts=
for i in $(seq 0 $((N - 1))); do
    # between the client's 90 00s and all it sent (a failed transmit may or may not have reached it)
    c=$(grep -c '  READ BINARY$' "$PCSCD_WORK/v$i.log"); k=$(soak_field "$i" apdus); g=$(soak_field "$i" ok)
    [ "$c" -ge "$g" ] && [ "$c" -le "$k" ] || diff_counts+=" slot$i:card=$c,client=$g/$k"
done
expect_eq "each card answered exactly the APDUs its client sent (none lost, none duplicated)" "" "$diff_counts"
diag "total $SOAK_TOTAL_OK APDUs in $ms ms over $N slots: $((SOAK_TOTAL_OK * 1000 / ms)) APDU/s," \
    "$((SOAK_TOTAL_OK * 1000 / ms / N)) per slot"
diag "RSS pcscd ${pcscd_rss0} -> ${pcscd_rss1} kB; $N vicc together ${vicc_rss0} -> ${vicc_rss1} kB"
rss_grew_less "under load: pcscd" "$pcscd_rss0" "$pcscd_rss1" 8192
rss_grew_less "under load: the $N vicc together" "$vicc_rss0" "$vicc_rss1" $((N * 1024))
tap_done
