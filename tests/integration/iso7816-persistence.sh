#!/bin/bash
# Card image persistence of our vicc (-f) through a real pcscd with our ifd-vpcd:
#  - a change (CREATE + UPDATE BINARY, a wrong PIN) is in the image at once, survives SIGTERM and a
#    restart with -f;
#  - SIGKILL in the middle of a stream of UPDATE BINARYs, 8 times over: the image always parses,
#    holds one whole value (never a mix), and that value is the last one acknowledged with 90 00
#    or the one after it (saved before the answer was lost); vicc restarts from it, leftover
#    temporary files are removed.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/integration/iso7816-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0
ROUNDS=8
tap_plan $((12 + 3 * ROUNDS + 3))
R="Virtual PCD 00 00"
IMG=$PCSCD_WORK/card.json
PERSIST=$top_srcdir/tests/integration/iso7816-persist.py
image() { /usr/bin/python3 "$PERSIST" image "$IMG" 6001 2>&1; }
tx() { pcsc_tool transmit -r "$R" "$1" 2>&1; }

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
vicc_start vicc -f "$IMG"
check "vicc -f (new image) is present" reader_wait "$R" present 8000
check "CREATE EF 6001 (8 bytes) and UPDATE BINARY 11 22 33 44" eval '
    transmit_expect "$R" 00E000000C620A82010183026001800108 "90 00" &&
    transmit_expect "$R" 00D600000411223344 "90 00"'
answer=$(tx 002000810439393939)
if [ "$answer" = "63 C2" ]; then ok "VERIFY PIN 81 with a wrong PIN: 63 C2"
else not_ok "VERIFY PIN 81 with a wrong PIN: 63 C2"; diag "got $answer"; fi
expect_eq "the image holds the new data at once (saved after the change)" "1122334400000000" \
    "$(image | cut -d' ' -f1)"
pin_tries() {  # DESC: PIN 81 has 2 tries left in the image
    local got; got=$(image | cut -d' ' -f2)
    if [ "$got" = 2 ]; then ok "$1"
    else not_ok "$1"; diag "triesLeft: $got"; fi
}
pin_tries "the image holds PIN 81's retry counter 2"
card_stop vicc TERM
check "SIGTERM ends vicc" eval '! card_running vicc'
expect_eq "after SIGTERM the image still parses and holds the data" "1122334400000000" \
    "$(image | cut -d' ' -f1)"
vicc_start vicc -f "$IMG"
check "vicc restarted with -f is present" reader_wait "$R" present 8000
expect_eq "after the restart READ BINARY returns the data" "11 22 33 44 00 00 00 00 90 00" \
    "$(tx 00A4000C026001 >/dev/null; tx 00B0000008)"
answer=$(tx 0020008100)
if [ "$answer" = "63 C2" ]; then ok "after the restart PIN 81 still has 2 tries (status query 63 C2)"
else not_ok "after the restart PIN 81 still has 2 tries"; diag "got $answer"; fi
pin_tries "and the image still says 2"

# SIGKILL during a stream of writes.
for round in $(seq "$ROUNDS"); do
    /usr/bin/python3 "$PERSIST" write "$R" 6001 >"$PCSCD_WORK/writer.out" 2>&1 &
    writer=$!
    for _ in $(seq 100); do grep -q started "$PCSCD_WORK/writer.out" && break; sleep 0.05; done
    sleep "0.$((RANDOM % 4 + 1))"
    card_stop vicc KILL
    wait "$writer"
    acked=$(tail -1 "$PCSCD_WORK/writer.out")
    state=$(image)
    data=${state%% *}
    if [[ $data =~ ^[0-9A-F]{16}$ ]] && [ "$data" = "${data:0:4}${data:0:4}${data:0:4}${data:0:4}" ]; then
        value=$((16#${data:0:4}))
        ok "round $round: after SIGKILL the image parses and holds one whole value ($value)"
        if [[ $acked =~ ^[0-9]+$ ]] && [ "$acked" -gt 0 ] && { [ "$value" = "$acked" ] || [ "$value" = $((acked + 1)) ]; }; then
            ok "round $round: it is the last acknowledged write ($acked) or the one after"
        else
            not_ok "round $round: it is the last acknowledged write or the one after"
            diag "acknowledged: $acked, image: $value"
        fi
    else
        not_ok "round $round: after SIGKILL the image parses and holds one whole value"
        diag "image: $state"; diag "writer: $(cat "$PCSCD_WORK/writer.out")"
        not_ok "round $round: it is the last acknowledged write or the one after"
    fi
    vicc_start vicc -f "$IMG"
    check "round $round: vicc restarts from that image" reader_wait "$R" present 8000
done
expect_eq "no temporary image files are left after the restart" "" \
    "$(cd "$PCSCD_WORK" && ls -A | grep '^\.card\.json\.tmp\.')"
expect_eq "the restarted card reads the value of the image" \
    "$(image | cut -d' ' -f1 | sed 's/../& /g;s/ $//') 90 00" "$(tx 00A4000C026001 >/dev/null; tx 00B0000008)"
check "vicc is still running" card_running vicc
tap_done
