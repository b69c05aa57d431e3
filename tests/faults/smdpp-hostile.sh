#!/bin/bash
# vicc-smdpp (HTTPS, 16 worker threads, 10 s I/O timeout, a 5 s request deadline here instead of
# the default 20 s) under malformed TLS and HTTP from tests/faults/smdpp-hostile.py: random bytes on
# the TLS port, TLS handshakes stopped half way, 256 KiB of headers, a body that never finishes, a
# 10 MB Content-Length, header lines trickled (slowloris) or flooded. The server stays up and a
# valid ES9+ request (handleNotification, 204) is answered while fewer hostile connections than
# worker threads are held open, and soon after the request deadline once more than that are (each
# stalled connection holds a worker until the guard closes it: doc/reliability.md). Loopback only.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
SMDPP=$top_builddir/smdpp/vicc-smdpp
PKI=$top_builddir/vicc/euicc/pki/nist
HOSTILE=$top_srcdir/tests/faults/smdpp-hostile.py
[ -x "$SMDPP" ] || tap_skip_all "vicc-smdpp not built"
[ -f "$PKI/ci.pem" ] || tap_skip_all "no test PKI in $PKI (make vicc/euicc/pki/stamp)"
work=$(mktemp -d); pid=
holders=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -z "$holders" ] || kill $holders 2>/dev/null; rm -rf "$work"' EXIT
tap_plan 20
"$SMDPP" -p 0 --pki "$PKI" --request-timeout 5 >/dev/null 2>"$work/log" & pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.* on 127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/log" | head -1)
    [ -n "$port" ] && break; sleep 0.05
done
check "vicc-smdpp starts on a free port" test -n "$port"
h() { timeout -k 2 60 /usr/bin/python3 "$HOSTILE" "$port" "$PKI/ci.pem" "$@" 2>&1; }
probe() { h probe; }
# served WITHIN DESC: the probe is answered 204 within WITHIN seconds
served() {
    local out; out=$(timeout -k 1 "$1" /usr/bin/python3 "$HOSTILE" "$port" "$PKI/ci.pem" probe 2>&1)
    if [[ $out == "HTTP/1.1 204"* ]]; then ok "$2 (in ${out##* } s)"; else not_ok "$2"; diag "probe: $out"; fi
}
# hold MODE COUNT SECONDS: start the holders, wait until they are set up
hold() {
    h "$1" "$2" "$3" >"$work/hold.$1" &
    holders+=" $!"
    for _ in $(seq 200); do grep -qs "^done" "$work/hold.$1" && return 0; sleep 0.05; done
    return 1
}
# held MODE: the holders of MODE are set up (else their output as diagnostics)
held() { grep -q "^done" "$work/hold.$1" || { cat "$work/hold.$1"; return 1; }; }
served 5 "a valid request before anything hostile"
h garbage 20 >/dev/null
served 5 "20 connections of 64 KiB random bytes on the TLS port: still served"
hold halfhello 6 12
check "6 half TLS handshakes held open" held halfhello
served 5 "... while they are held, a valid request is served"
hold slowbody 6 12
check "6 requests with unfinished bodies held open" held slowbody
served 5 "... while those too are held, a valid request is served"
out=$(h headers 3)
# cpp-httplib 0.11 bounds a header line (8 KiB), not the number of lines: 256 KiB in 1,300 lines is
# read (bounded by the I/O timeout per read only; doc/reliability.md) and answered.
expect_match "256 KiB of headers in 1,300 lines: answered (204) or refused, no crash" '^headers: (HTTP/1.1 (204|4[0-9][0-9])|closed|error)' "$out"
out=$(h longline 3)
expect_match "one 64 KiB header line: refused (4xx) or the connection closed" '^longline: (HTTP/1.1 4[0-9][0-9]|closed|error)' "$out"
out=$(h bigbody 3)
expect_match "a 10 MB Content-Length: refused with 413 (payload max) or closed" '^bigbody: (HTTP/1.1 413|closed|error)' "$out"
served 5 "after the oversized requests: still served"
wait $holders; holders=
# Slowloris: each connection sends one more header line every second. cpp-httplib's timeout is per
# read, so without the request deadline these would hold the 16 workers for ever.
hold trickle 20 40
check "20 connections trickling header lines (more than the 16 workers)" held trickle
served 15 "... a valid request is answered once the deadline closes them"
wait $holders; holders=
out=$(grep '^trickle:' "$work/hold.trickle")
# Each is closed 5 s after a worker took it; the last 4 waited 5 s for a worker: ~10 s, < 30 s of 40.
expect_match "every trickling connection is closed by the server, long before they stop (40 s)" \
    '^trickle: 20 of 20 closed by the server, the last after ([0-9]|[12][0-9])\.[0-9] s$' "$out"
out=$(h flood)
expect_match "header lines sent as fast as possible: closed long before 64 MiB" '^flood: closed after [0-9]{1,5} KiB$' "$out"
hold halfhello 24 30
check "24 half TLS handshakes held open (more than the 16 workers)" held halfhello
served 25 "... a valid request is still answered once the stalled workers are freed (5 s deadline)"
kill $holders 2>/dev/null; wait $holders; holders=
expect_eq "each closed connection leaves a log line" 1 \
    "$(($(grep -c 'no complete request in time\|request larger than the limit' "$work/log") >= 21))"
check "vicc-smdpp is still running" kill -0 "$pid"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
expect_eq "SIGTERM ends it cleanly (0)" 0 "$rc"
tap_done
