#!/bin/bash
# doc/security.md, "Secrets on the command line": once its options are parsed, vicc (--ki, --opc,
# --op) and vicc-smdpp (--confirmation-code) no longer show the secret values in /proc/PID/cmdline
# (what ps shows other users); the other arguments stay readable. vicc-lpa's -c (short-lived, and
# it needs a reader before it waits anywhere) uses the same function: tests/unit/test_secret_args.cpp.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
SMDPP=$top_builddir/smdpp/vicc-smdpp
VICC=$top_builddir/vicc/vicc
[ -x "$SMDPP" ] && [ -x "$VICC" ] || tap_skip_all "vicc / vicc-smdpp not built"
work=$(mktemp -d); pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; wait; rm -rf "$work"' EXIT  # vicc saves on SIGTERM
tap_plan 5

KI=8F1E2D3C4B5A69788796A5B4C3D2E1F0
OPC=0F1E2D3C4B5A69788796A5B4C3D2E1F1
CODE=secret-cc-4711

cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

# hidden PID PROGRAM SECRET...: waits (5 s at most) until PID runs PROGRAM (right after the fork it
# is still the shell) and no SECRET is in its command line; prints that command line.
hidden() {
    local pid=$1 program=$2 line s; shift 2
    for _ in $(seq 100); do
        line=$(cmdline "$pid")
        case $line in "$program "*) ;; *) sleep 0.05; continue ;; esac
        for s in "$@"; do case $line in *"$s"*) sleep 0.05; continue 2 ;; esac; done
        echo "$line"; return 0
    done
    echo "still visible: $line"; return 1
}

# vicc with nothing listening on port 1: it keeps retrying, so it runs long enough to be looked at.
"$VICC" -t usim -f "$work/card.json" -P 1 --ki "$KI" "--opc=$OPC" --imsi 001010123456789 2>"$work/vicc.log" &
pids="$pids $!"; vicc=$!
line=$(hidden $vicc "$VICC" "$KI" "$OPC"); rc=$?
expect_eq "vicc: --ki and --opc= values gone from /proc/PID/cmdline" 0 $rc
expect_match "vicc: the option names and the other arguments remain" \
    "--ki \*{32} --opc=\*{32} --imsi 001010123456789" "$line"
kill -0 $vicc 2>/dev/null && ok "vicc still runs with its key (not an exit)" || not_ok "vicc still runs with its key"

"$SMDPP" -p 0 --http --confirmation-code "$CODE" 2>"$work/smdpp.log" &
pids="$pids $!"; smdpp=$!
line=$(hidden $smdpp "$SMDPP" "$CODE"); rc=$?
expect_eq "vicc-smdpp: --confirmation-code value gone" 0 $rc
expect_match "vicc-smdpp: the rest remains" "-p 0 --http --confirmation-code \*{14}" "$line"

tap_done
