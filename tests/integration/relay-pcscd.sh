#!/bin/bash
# The relay card through one private pcscd: slot 0 ("Virtual PCD 00 00") a vicc iso7816 card with the
# sample image, slot 1 ("Virtual PCD 00 01") a vicc relay of slot 0. The whole ISO command set
# (iso7816-apdus.py) gives the same results through the relay as directly; the example plugin
# rewrites a response; a rule file changes a status word; the backend card is killed and started
# again and the relay follows without a restart; the --pcap file holds exactly the APDUs sent;
# --auto-get-response and --exclusive; the relay refuses to relay its own reader and names a
# missing reader clearly.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/integration/iso7816-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
PLUGIN=$top_builddir/tests/relay/.libs/example_plugin.so
[ -f "$PLUGIN" ] || tap_skip_all "example plugin not built ($PLUGIN; make check builds it)"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
PCSCD_TEST_TIMEOUT=${PCSCD_TEST_TIMEOUT_RELAY:-150}
pcscd_enter "$@"
PCSCD_DEBUG=0
B="Virtual PCD 00 00"   # the backend card
R="Virtual PCD 00 01"   # the relay
IMG=$PCSCD_WORK/sample.json
CHECK=$top_srcdir/tests/integration/relay-check.py
APDUS=$top_srcdir/tests/integration/iso7816-apdus.py

backend_start() {
    card_stop backend
    cp "$top_srcdir/vicc/cards/examples/iso7816-sample.json" "$IMG"
    vicc_start backend -f "$IMG"
    reader_wait "$B" present 8000
}
# relay_start NAME ARGS...: a relay of slot 0 presented in slot 1
relay_start() {
    local name=$1; shift
    card_start "$name" "$VICC" -t relay --reader "$B" -P $((VPCD_PORT + 1)) -vv "$@"
    reader_wait "$R" present 8000
}
points() { relay_points timeout -k 2 60 /usr/bin/python3 "$@"; }
outcomes() { grep -E '^(ok|not ok|todo|skip) - ' "$1" | sed 's/ # .*//'; }

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts with 2 slots" pcscd_start 2

# --- the ISO command set directly, then through the relay, on a fresh card each time ---
check "backend iso7816 card present in slot 0" backend_start
timeout -k 2 60 /usr/bin/python3 "$APDUS" "$B" >"$PCSCD_WORK/direct.txt" 2>&1
expect_eq "iso7816-apdus.py passes directly on slot 0" 0 "$(grep -c '^not ok' "$PCSCD_WORK/direct.txt")"
check "backend started again with a fresh image" backend_start
check "relay of slot 0 present in slot 1" relay_start relay --pcap "$PCSCD_WORK/iso.pcap"
expect_eq "the relay presents the real card's ATR" "$(pcsc_tool atr -r "$B" 2>&1)" "$(pcsc_tool atr -r "$R" 2>&1)"
timeout -k 2 60 /usr/bin/python3 "$APDUS" "$R" >"$PCSCD_WORK/relayed.txt" 2>&1
relay_points cat "$PCSCD_WORK/relayed.txt"
expect_eq "the same results through the relay as directly ($(outcomes "$PCSCD_WORK/direct.txt" | wc -l) points)" \
    "$(outcomes "$PCSCD_WORK/direct.txt")" "$(outcomes "$PCSCD_WORK/relayed.txt")"
card_stop relay

# --- the pcap trace holds exactly the APDUs sent ---
rm -f "$PCSCD_WORK/relay.pcap"
check "backend started again with a fresh image" backend_start
check "relay started with --pcap" relay_start relay --pcap "$PCSCD_WORK/relay.pcap"
points "$CHECK" "$R" --pcap "$PCSCD_WORK/relay.pcap" --label pcap \
    "00 A4 00 0C 02 3F 00=90 00" "00 20 00 81 04 31 32 33 34=90 00" "00 CA 00 5E 00=41 42 43 90 00" \
    "00 B0 82 00 02=5A 0A 90 00" "00 A4 00 04 02 3F 00 05=62 10 82 01 38 61 0D"
card_stop relay

# --- a plugin rewrites a response, answers and drops commands ---
check "backend started again with a fresh image" backend_start
check "relay started with the example plugin" relay_start relay --mitm "$PLUGIN,upper"
points "$CHECK" "$R" --label plugin \
    "00 A4 08 0C 04 10 00 10 01=90 00" "00 B0 00 00 05=48 45 4C 4C 4F 90 00" \
    "FF 02 00 00=6F 00" "FF 01 00 00=04 02 ?? 90 00" "00 A4 00 0C 02 3F 00=90 00"
expect_eq "the backend saw the plain response (no plugin there)" 1 \
    "$(grep -c '< 48 65 6C 6C 6F 90 00' "$PCSCD_WORK/backend.log")"
card_stop relay

# --- a rule file changes a status word ---
check "backend started again with a fresh image" backend_start
check "relay started with the rule file" relay_start relay --mitm "$top_srcdir/tests/relay/rules.txt"
points "$CHECK" "$R" --label rules \
    "00 A4 00 0C 02 3F 00=90 00" "00 CA 00 5E 00=41 42 43 6A 88" "80 FE 00 00=01 02 03 90 00" \
    "00 0E 00 00=6F 00" "00 B0 82 00 02=CA FE 90 00" "00 B0 82 00 01=5A 90 00"

# --- the backend card dies and comes back; the relay follows without a restart ---
relay_pid=$(cat "$PCSCD_WORK/relay.card.pid")
card_stop backend KILL
check "backend killed: slot 0 empty" reader_wait "$B" empty 5000
check "the relay's virtual card leaves slot 1 too" reader_wait "$R" empty 5000
check "backend started again" backend_start
check "the relay's virtual card is back in slot 1" reader_wait "$R" present 8000
expect_eq "the same relay process (pid $relay_pid)" "$relay_pid" "$(cat "$PCSCD_WORK/relay.card.pid")"
check "the relay is still running" card_running relay
points "$CHECK" "$R" --label "after recovery" "00 A4 00 0C 02 3F 00=90 00" "00 CA 00 5E 00=41 42 43 6A 88"
card_stop relay

# --- --auto-get-response and --exclusive ---
check "relay started with --auto-get-response --exclusive" relay_start relay --auto-get-response --exclusive
points "$CHECK" "$R" --label auto-get-response \
    "00 A4 00 00 02 3F 00=6F 22 82 01 38 83 02 3F 00 8A 01 05 8C 04 07 00 00 00 5F 50 0F 68 74 74 70 73 3A 2F 2F 65 78 61 6D 70 6C 65 90 00" \
    "00 A4 08 0C 02 10 00=90 00" "00 B2 01 14 00=01 02 03 04 90 00" "00 B2 02 04 02=FF FF FF FF 90 00"
out=$(pcsc_tool transmit -r "$B" "00 A4 00 0C 02 3F 00" 2>&1)
expect_match "--exclusive: no other application gets the real card" "[Ss]haring|8010000B" "$out"
out=$(timeout -k 2 20 "$VICC" -t relay --reader "$B" -P $((VPCD_PORT + 1)) 2>&1); rc=$?
expect_eq "a second relay of the exclusively held card exits 1" 1 "$rc"
expect_match "... with a clear sharing-violation error" "Sharing violation.*another application holds the card exclusively" "$out"
card_stop relay

# --- refusals and clear errors ---
out=$(timeout -k 2 20 "$VICC" -t relay --reader "$R" -P $((VPCD_PORT + 1)) 2>&1); rc=$?
expect_eq "relaying its own reader exits 1" 1 "$rc"
expect_match "... and says why" "refusing to relay 'Virtual PCD 00 01': it is the reader this vicc is presented in" "$out"
out=$(timeout -k 2 20 "$VICC" -t relay --reader "No Such Reader" -P $((VPCD_PORT + 1)) 2>&1); rc=$?
expect_eq "a missing reader exits 1" 1 "$rc"
expect_match "... naming the readers there are" "no reader matches 'No Such Reader': readers are 0: 'Virtual PCD 00 00', 1: 'Virtual PCD 00 01'" "$out"
out=$(timeout -k 2 20 "$VICC" -t relay --reader "$B" --mitm /nonexistent.so -P $((VPCD_PORT + 1)) 2>&1); rc=$?
expect_match "a plugin that cannot be loaded is a clear error" "cannot load plugin /nonexistent.so" "$out"
check "the backend is still running" card_running backend
echo "1..$TAP_N"
tap_done
