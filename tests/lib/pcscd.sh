# Private-pcscd harness for integration tests and benchmarks. Source it after tap.sh, then:
#
#   pcscd_enter "$@"                  re-run this script in a private mount+net+pid namespace
#                                     (SKIP when not root / no unshare / no pcscd); sets the traps
#   pcscd_reader NAME DEVICENAME [LIBPATH [CHANNELID]]   add a reader.conf entry (LIBPATH
#                                     defaults to $VPCD_DRIVER, our build-tree driver; quoted if needed)
#   pcscd_start [NREADERS]            start pcscd -f on those entries, wait for socket + readers
#   pcscd_alive                       true while our pcscd runs
#   card_start NAME CMD...            start a background process (own process group), log in
#                                     $PCSCD_WORK/NAME.log; its pid is in $CARD_PID
#   card_stop NAME [SIGNAL]           signal it (default TERM) and reap it
#   card_running NAME                 true while it runs
#   reader_wait READER present|empty|reader [MS]   bounded wait (READER: index or name part)
#   pcsc_tool ARGS...                 run vpcsc-bench (list / transmit / atr / wait ...)
#   pcscd_diag [LINES]                pcscd log tail (and card logs) as TAP diag lines
#
# Inside the namespace /run/pcscd is a tmpfs (pcscd 1.9.9's socket path is compiled in), only lo
# exists, and pcscd's driver directory is replaced by one holding only Debian's vpcd driver, so
# the host's pcscd, its USB readers and other tests running in parallel are never seen. The whole
# test runs as PID 1 of its pid namespace: when it exits, the kernel kills whatever is left, and a
# watchdog ends it after $PCSCD_TEST_TIMEOUT seconds (default 55) with a Bail out!.

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PCSCD:=$(command -v pcscd || echo /usr/sbin/pcscd)}"
: "${VPCD_DRIVER:=$top_builddir/.libs/libifdvpcd.so}"
: "${PCSCD_TEST_TIMEOUT:=55}"
: "${PCSCD_DEBUG:=1}"               # 1: pcscd -d -a (log kept for diagnostics); 0: quiet (bench)
DEBIAN_VPCD=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
NULL_DRIVER=$top_builddir/bench/.libs/libifdnull.so
BENCH_PEER=$top_builddir/bench/bench-peer
VPCSC_BENCH=$top_builddir/bench/vpcsc-bench
VPCD_PORT=35963                     # 0x8C7B: slot i of the first entry listens on VPCD_PORT + i

# Pids live in $PCSCD_WORK/*.pid, not in shell variables, so that the helpers also work inside
# $(...) subshells (tap.sh's check runs its command in one).

pcscd_enter() {
    if [ -z "${VPCSC_IN_NS:-}" ] || [ "$$" != 1 ]; then
        [ "$(id -u)" = 0 ] || tap_skip_all "needs root for a private mount+network namespace"
        command -v unshare >/dev/null || tap_skip_all "unshare (util-linux) not found"
        command -v ip >/dev/null || tap_skip_all "ip (iproute2) not found"
        [ -n "$PCSCD" ] && [ -x "$PCSCD" ] || tap_skip_all "pcscd not found"
        [ -x "$VPCSC_BENCH" ] && [ -x "$BENCH_PEER" ] || tap_skip_all "bench/ tools not built ($VPCSC_BENCH)"
        unshare --mount --net --pid --fork true 2>/dev/null ||
            tap_skip_all "cannot create namespaces here (no CAP_SYS_ADMIN?)"
        VPCSC_IN_NS=1 exec unshare --mount --net --pid --fork --kill-child --mount-proc -- bash "$0" "$@"
    fi
    PCSCD_WORK=$(mktemp -d "${TMPDIR:-/tmp}/vpcsc-it.XXXXXX") || pcscd__bail "mktemp failed"
    mkdir -p "$PCSCD_WORK/reader.conf.d"
    trap pcscd__exit EXIT
    trap 'pcscd__bail "interrupted"' TERM INT HUP
    trap 'pcscd__bail "timed out after ${PCSCD_TEST_TIMEOUT}s"' USR1
    mkdir -p /run/pcscd && mount -t tmpfs -o mode=0755 vpcsc-pcscd /run/pcscd ||
        pcscd__bail "cannot mount a tmpfs on /run/pcscd"
    ip link set lo up || pcscd__bail "cannot bring lo up"
    pcscd__sanitizer_logs
    pcscd__private_dropdir
    # Watchdog: flag the timeout to this shell (its USR1 trap runs once the current command
    # returns), then end every other process so that the command does return (-1 spares init).
    ( trap - TERM INT HUP USR1 EXIT; sleep "$PCSCD_TEST_TIMEOUT"; kill -USR1 $$; kill -TERM -1 ) \
        </dev/null >/dev/null 2>&1 &
    disown $!
}

# Sanitized builds (doc/ci.md): every instrumented process of this test (pcscd with our driver,
# vicc, the tools) writes its reports to $PCSCD_WORK/sanitizer.PID, which pcscd__exit turns into a
# failure, so that a report from a process that is only ever killed, or whose exit status no test
# reads, still fails the test.
pcscd__sanitizer_logs() {
    case "${VPCSC_SANITIZER:-no}" in no|"") return 0 ;; esac
    local v
    for v in ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS; do
        export "$v=${!v:+${!v}:}log_path=$PCSCD_WORK/sanitizer"
    done
}

# pcscd scans its driver directory for USB bundles; show it only Debian's vpcd driver.
pcscd__private_dropdir() {
    local dir keep=
    dir=$(pkg-config libpcsclite --variable=usbdropdir 2>/dev/null) || dir=/usr/lib/pcsc/drivers
    [ -d "$dir" ] || return 0
    if [ -f "$DEBIAN_VPCD" ]; then keep=$PCSCD_WORK/debian-libifdvpcd.so; cp -L "$DEBIAN_VPCD" "$keep"; fi
    mount -t tmpfs -o mode=0755 vpcsc-drivers "$dir" || return 0
    if [ -n "$keep" ]; then mkdir -p "$(dirname "$DEBIAN_VPCD")" && cp "$keep" "$DEBIAN_VPCD"; fi
}

# pcscd 1.9.9's reader.conf lexer rejects ';' '=' ',' '+' in a bare value, so such a DEVICENAME is
# written in double quotes, which pcscd passes on to the driver verbatim (quotes included).
pcscd_reader() {
    local name=$1 dev=$2 lib=${3:-$VPCD_DRIVER} chan=${4:-}
    [[ $dev =~ ^[A-Za-z0-9_./:@-]+$ ]] || dev="\"$dev\""
    local n; n=$(find "$PCSCD_WORK/reader.conf.d" -type f | wc -l)
    {
        printf 'FRIENDLYNAME "%s"\nDEVICENAME %s\nLIBPATH %s\n' "$name" "$dev" "$lib"
        [ -z "$chan" ] || printf 'CHANNELID %s\n' "$chan"
    } >"$PCSCD_WORK/reader.conf.d/entry$n"
}

# pcscd_start [NREADERS]: NREADERS readers must show up (default: 2 per entry, vpcd's slots).
# PCSCD_DEBUG=1 adds -d -a; PCSCD_FLAGS more options (e.g. -d alone).
pcscd_start() {
    local want=${1:-$(( 2 * $(find "$PCSCD_WORK/reader.conf.d" -type f | wc -l) ))}
    local flags=(-f -c "$PCSCD_WORK/reader.conf.d")
    [ "$PCSCD_DEBUG" = 1 ] && flags+=(-d -a)
    # shellcheck disable=SC2206
    [ -z "${PCSCD_FLAGS:-}" ] || flags+=($PCSCD_FLAGS)
    # pcscd is not instrumented: an ASan build's driver needs the runtime loaded first.
    local preload=${LD_PRELOAD:-}
    [ "${VPCSC_SANITIZER:-no}" != address ] || [ -z "${SANITIZER_RUNTIME:-}" ] ||
        preload="$SANITIZER_RUNTIME${preload:+ $preload}"
    LD_PRELOAD=$preload "$PCSCD" "${flags[@]}" </dev/null >"$PCSCD_WORK/pcscd.log" 2>&1 &
    echo $! >"$PCSCD_WORK/pcscd.pid"
    local i
    for i in $(seq 100); do
        [ -S /run/pcscd/pcscd.comm ] && break
        pcscd_alive || break
        sleep 0.05
    done
    [ -S /run/pcscd/pcscd.comm ] || { diag "pcscd did not create its socket"; return 1; }
    [ "$want" -gt 0 ] || return 0
    for i in $(seq 100); do
        [ "$(pcsc_tool list 2>/dev/null | wc -l)" -ge "$want" ] && return 0
        sleep 0.05
    done
    diag "pcscd did not list $want readers"; return 1
}

pcscd__pid() { cat "$PCSCD_WORK/pcscd.pid" 2>/dev/null; }
pcscd_alive() { local p; p=$(pcscd__pid) && kill -0 "$p" 2>/dev/null; }

# pcscd_stop [SECONDS]: SIGTERM, then wait (default 20 s) until pcscd is gone, so that a new one
# can bind its readers' ports. `wait` is not enough: `check ... pcscd_start` runs it in a subshell,
# so it is not this shell's child (an ASan pcscd's exit-time leak check took long enough to show the
# race).
pcscd_stop() {
    local p i
    p=$(pcscd__pid) || return 0
    kill -TERM "$p" 2>/dev/null
    for i in $(seq $((${1:-20} * 20))); do
        { kill -0 "$p" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; } || return 0
        sleep 0.05
    done
    diag "pcscd ($p) still running ${1:-20} s after SIGTERM"; return 1
}

pcsc_tool() { timeout -k 2 20 "$VPCSC_BENCH" "$@"; }

# reader_wait READER present|empty [MS]. A card just started shows present once its process runs,
# which on a loaded machine or under sanitizers can take many seconds; the wait returns as soon as
# it is, so "present" waits are hang bounds and get at least 30 s. "empty" waits keep the bound
# given: how soon a card's departure is seen is what those tests claim.
reader_wait() {
    local ms=${3:-5000}
    [ "$2" = present ] && [ "$ms" -lt 30000 ] && ms=30000
    timeout -k 2 $((ms / 1000 + 20)) "$VPCSC_BENCH" wait -r "$1" -t "$ms" "$2"
}

# Own process group (card_stop signals the group) through job control, not setsid: a new session
# is a new scheduler autogroup (CONFIG_SCHED_AUTOGROUP), and on 2 busy cores cards each in their
# own autogroup were seen runnable yet not run for 10 s, with the command in their socket
# (doc/reliability.md, section 1).
card_start() {
    local name=$1 jobs=$-; shift
    set -m
    "$@" </dev/null >"$PCSCD_WORK/$name.log" 2>&1 &
    CARD_PID=$!
    [[ $jobs == *m* ]] || set +m
    echo "$CARD_PID" >"$PCSCD_WORK/$name.card.pid"
}

card_running() { local p; p=$(cat "$PCSCD_WORK/$1.card.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

card_stop() {
    local p
    p=$(cat "$PCSCD_WORK/$1.card.pid" 2>/dev/null) || return 0
    kill -"${2:-TERM}" -- "-$p" "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.02; done  # not our child in a subshell
    rm -f "$PCSCD_WORK/$1.card.pid"
}

pcscd_diag() {
    local lines=${1:-40} f
    [ -n "${PCSCD_WORK:-}" ] || return 0
    if [ -f "$PCSCD_WORK/pcscd.log" ]; then
        diag "--- pcscd log tail ($PCSCD_WORK/pcscd.log) ---"
        tail -n "$lines" "$PCSCD_WORK/pcscd.log" | sed 's/^/#   /'
    fi
    for f in "$PCSCD_WORK"/*.log; do
        [ "$f" = "$PCSCD_WORK/pcscd.log" ] || [ ! -s "$f" ] || {
            diag "--- $(basename "$f") tail ---"; tail -n 10 "$f" | sed 's/^/#   /'; }
    done
}

pcscd__bail() {
    echo "Bail out! $*"
    TAP_FAILED=$((TAP_FAILED + 1))
    exit 1
}

# EXIT trap: diagnostics on failure, then stop everything we started. Anything missed dies with
# the pid namespace when this shell (its init) exits.
pcscd__exit() {
    local rc=$? f
    trap - EXIT TERM INT HUP USR1
    if [ "$rc" -ne 0 ] || [ "${TAP_FAILED:-0}" -ne 0 ]; then
        pcscd_diag 60
        diag "work directory kept: $PCSCD_WORK"
    fi
    for f in "$PCSCD_WORK"/*.card.pid; do [ -f "$f" ] && card_stop "$(basename "$f" .card.pid)" KILL; done
    if pcscd_alive; then
        pcscd_stop 5 >/dev/null || kill -KILL "$(pcscd__pid)" 2>/dev/null  # 5 s: its leak check
    fi
    for f in "$PCSCD_WORK"/sanitizer.*; do
        [ -s "$f" ] || continue
        echo "Bail out! sanitizer report in $f"; sed 's/^/#   /' "$f"
        rc=1; TAP_FAILED=$((${TAP_FAILED:-0} + 1))
    done
    kill -KILL -1 2>/dev/null    # the watchdog and any stragglers in this pid namespace
    if [ "$rc" -eq 0 ] && [ "${TAP_FAILED:-0}" -eq 0 ] && [ -n "${PCSCD_WORK:-}" ]; then rm -rf "$PCSCD_WORK"; fi
    exit "$rc"
}

# transmit_expect READER APDUHEX EXPECTHEX: one APDU through pcscd; the answer must match exactly.
transmit_expect() {
    local out
    out=$(pcsc_tool transmit -r "$1" "$2" 2>&1) || { echo "$out"; return 1; }
    [ "$out" = "$3" ] || { echo "expected $3, got $out"; return 1; }
}
