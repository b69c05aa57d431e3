#!/bin/bash
# The vicc program end to end without pcscd: started before any reader it creates its image and
# says once why it waits; SIGTERM/SIGINT save and exit 0; the image's type is used without -t;
# in reversed mode a reader (bash /dev/tcp) gets the ATR and the response, --trace shows both.
. "$top_srcdir/tests/lib/tap.sh"
VICC_TEST=$top_builddir/tests/vicc/vicc-testcard
[ -x "$VICC_TEST" ] || tap_skip_all "vicc-testcard not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vicc-sig.XXXXXX")
PID=
trap '[ -z "$PID" ] || kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
tap_plan 15

free_port() {  # a port nothing listens on (good enough: random, checked)
    local p
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        p=$((40000 + RANDOM % 20000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    echo 47111
}
# wait_for SECONDS CMD...: poll every 50 ms
wait_for() {
    local n=$(($1 * 20)); shift
    while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.05; n=$((n - 1)); done
    return 1
}
exited() { ! kill -0 "$PID" 2>/dev/null; }
# stop_vicc SIGNAL: sets $rc to vicc's exit status (124 if it did not exit within 3 s)
stop_vicc() {
    kill -"$1" "$PID"
    if wait_for 3 exited; then wait "$PID"; rc=$?; else rc=124; kill -9 "$PID"; fi
    PID=
}

IMG=$WORK/card.json
PORT=$(free_port)
"$VICC_TEST" -t test -f "$IMG" -P "$PORT" 2>"$WORK/err1" &
PID=$!
check "the image is created at start" wait_for 3 test -s "$IMG"
expect_eq "... with mode 0600" 600 "$(stat -c %a "$IMG")"
sleep 1  # a few retries (100, 200, 400 ms)
expect_eq "'cannot reach' is said once, not once per retry" 1 "$(grep -c "cannot reach 127.0.0.1:$PORT" "$WORK/err1")"
expect_match "... with a hint" 'is pcscd running with ifd-vpcd\?' "$(cat "$WORK/err1")"
stop_vicc TERM
expect_eq "SIGTERM while waiting for the reader: exit 0" 0 "$rc"
expect_match "the image is complete" '"type": "test"' "$(cat "$IMG")"

# Reversed, type from the image, --trace.
printf '{"type": "test", "atr": "3B 02 14 50", "data": "C0FFEE"}\n' >"$IMG"
PORT=$(free_port)
"$VICC_TEST" -f "$IMG" -R -P "$PORT" --trace 2>"$WORK/err2" &
PID=$!
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
check "reversed: listens on 127.0.0.1:$PORT" wait_for 3 listening
# One connection: POWER ON, GET ATR, READ BINARY; the answers are 2-byte length + payload.
answer=$(
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    printf '\x00\x01\x01\x00\x01\x04\x00\x05\x00\xb0\x00\x00\x00' >&3
    timeout 3 head -c 13 <&3 | od -An -tx1 | tr -s ' \n' ' '
)
expect_eq "reversed: the ATR from the image, then the data from the image" \
    " 00 04 3b 02 14 50 00 05 c0 ff ee 90 00 " "$answer"
# An UPDATE BINARY (a change) is saved before its answer arrives.
answer=$(
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    printf '\x00\x07\x00\xd6\x00\x00\x02\xbe\xef' >&3
    timeout 3 head -c 4 <&3 | od -An -tx1 | tr -s ' \n' ' '
)
expect_eq "reversed: a second reader connection is served" " 00 02 90 00 " "$answer"
expect_match "the change is in the image" '"data": "BEEF"' "$(cat "$IMG")"
sleep 0.2
expect_match "--trace shows the command with its name" '> 00 B0 00 00 00  READ BINARY' "$(cat "$WORK/err2")"
expect_match "--trace shows the response with its status word" '< C0 FF EE 90 00  9000' "$(cat "$WORK/err2")"
stop_vicc INT
expect_eq "SIGINT: exit 0" 0 "$rc"
expect_match "the image keeps its ATR" '"atr": "3B 02 14 50"' "$(cat "$IMG")"
expect_eq "no temporary file is left" "card.json" "$(ls -A "$WORK" | grep -v '^err')"
tap_done
