#!/bin/bash
# make bench: one private pcscd with three readers, measured in interleaved rounds:
#   ours   our ifd-vpcd (build tree)          + bench-peer -e   on 127.0.0.1:35963
#   debian vsmartcard's vpcd as Debian ships it + the same bench-peer on 127.0.0.1:36864
#   null   bench/ifd-null, answers in-process (the ceiling)
# Prints per-round lines, then a table of medians over the rounds (">1ms": short transmits slower
# than 1 ms per round of N, i.e. stalls) and the ratios.
# Knobs: BENCH_ROUNDS (5), BENCH_N (3000 short APDUs per round), BENCH_N_SLOW (60, for Debian's
# 44 ms/APDU driver), BENCH_CYCLES (3 presence cycles per round and card driver).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
PCSCD_DEBUG=0
PCSCD_TEST_TIMEOUT=${BENCH_TIMEOUT:-420}
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_N:-3000}
N_SLOW=${BENCH_N_SLOW:-60}
CYCLES=${BENCH_CYCLES:-3}
DEBIAN_PORT=36864

configs=()
[ -f "$VPCD_DRIVER" ] && configs+=(ours)
[ -f "$DEBIAN_VPCD" ] && configs+=(debian)
configs+=(null)
[ -f "$NULL_DRIVER" ] || { echo "run-bench: $NULL_DRIVER not built (make check_LTLIBRARIES)" >&2; exit 1; }
pcscd_enter "$@"
exec 3>&1 >"$PCSCD_WORK/results.txt"   # raw lines to a file, echoed to the terminal as we go

reader_of() { case $1 in ours) echo "vpcsc 00 0$2";; debian) echo "vsmartcard 00 0$2";; null) echo "null 00 00";; esac; }
port_of() { case $1 in ours) echo $((VPCD_PORT + $2));; debian) echo $((DEBIAN_PORT + $2));; esac; }
say() { echo "$*"; echo "$*" >&3; }
run() { while read -r line; do say "$line"; done < <(timeout 120 "$@" 2>&1); }
has() { [[ " ${configs[*]} " == *" $1 "* ]]; }

has ours && pcscd_reader vpcsc "/dev/null:$VPCD_PORT"
has debian && pcscd_reader vsmartcard "/dev/null:$DEBIAN_PORT" "$DEBIAN_VPCD"
pcscd_reader null /dev/null:echo "$NULL_DRIVER"
pcscd_start 0 || { echo "pcscd did not start" >&3; exit 1; }
# Slot 0 of each vpcd reader holds a card for the APDU runs; slot 1 is used for presence cycles.
for c in "${configs[@]}"; do
    reader_wait "$(reader_of "$c" 0)" reader 5000 || { echo "reader for $c missing" >&3; exit 1; }
    [ "$c" = null ] && continue
    card_start "card-$c" "$BENCH_PEER" -e -p "$(port_of "$c" 0)"
    reader_wait "$(reader_of "$c" 0)" present 5000 || { echo "$c: card not seen present" >&3; exit 1; }
done
say "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, pcscd $("$PCSCD" --version | sed -n 's/.*version \([0-9.]*\).*/\1/p')"
say "# configs: ${configs[*]}; rounds=$ROUNDS n=$N (debian n=$N_SLOW) presence cycles/round=$CYCLES"

for round in $(seq "$ROUNDS"); do
    say "# round $round"
    # ours and null back to back, alternating which goes first, so drift hits both alike.
    order=(ours null); [ $((round % 2)) = 0 ] && order=(null ours)
    for c in "${order[@]}"; do has "$c" && run "$VPCSC_BENCH" apdu -r "$(reader_of "$c" 0)" -n "$N" -l "$c"; done
    has debian && run "$VPCSC_BENCH" apdu -r "$(reader_of debian 0)" -n "$N_SLOW" -l debian
    for c in ours debian; do
        has "$c" || continue
        run "$VPCSC_BENCH" presence -r "$(reader_of "$c" 1)" -c "$CYCLES" -l "$c" -- \
            "$BENCH_PEER" -e -p "$(port_of "$c" 1)"
    done
done

# Medians over rounds (apdu) and over all cycles (presence), then ratios of APDUs/s.
say ""
awk -v configs="${configs[*]}" '
function median(list,   a, n, i, j, t) {
    n = split(list, a, " "); if (n == 0) return "-"
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
function val(field,   kv) { split(field, kv, "="); return kv[2] }
$1 == "#" && $2 == "round" { round = $3 }
$2 == "short" || $2 ~ /^ext/ { k = $1 SUBSEP $2; per[$1, $2, round] = val($4); rate[k] = rate[k] " " val($4); p50[k] = p50[k] " " val($5); p99[k] = p99[k] " " val($6); slow[k] = slow[k] " " val($7); if ($2 ~ /^ext/) ext = $2 }
$2 == "cycle" { if (val($3) >= 0) ins[$1] = ins[$1] " " val($3); rem[$1] = rem[$1] " " val($4) }
END {
    n = split(configs, cfg, " ")
    printf "%-8s %10s %8s %8s %6s %10s %8s %8s %10s %10s\n", "config", "short/s", "p50 us", "p99 us", ">1ms", ext "/s", "p50 us", "p99 us", "insert ms", "remove ms"
    for (i = 1; i <= n; i++) {
        c = cfg[i]; s = c SUBSEP "short"; e = c SUBSEP ext
        med[c, "s"] = median(rate[s]); med[c, "e"] = median(rate[e])
        printf "%-8s %10.0f %8.1f %8.1f %6s %10.0f %8.1f %8.1f %10s %10s\n", c, med[c, "s"], median(p50[s]), median(p99[s]), median(slow[s]),
            med[c, "e"], median(p50[e]), median(p99[e]), c == "null" ? "-" : median(ins[c]), c == "null" ? "-" : median(rem[c])
    }
    for (r = 1; r <= round; r++) {
        if (per["null", "short", r] > 0 && per["ours", "short", r] != "") rs = rs " " per["ours", "short", r] / per["null", "short", r]
        if (per["null", ext, r] > 0 && per["ours", ext, r] != "") re = re " " per["ours", ext, r] / per["null", ext, r]
    }
    if (rs != "")
        printf "ours/null (median of per-round ratios): short %.2fx  %s %.2fx   (target >= 0.8x)\n", median(rs), ext, median(re)
    if (med["ours", "s"] != "" && med["debian", "s"] > 0)
        printf "ours/debian: short %.0fx  %s %.0fx\n", med["ours", "s"] / med["debian", "s"], ext, med["ours", "e"] / med["debian", "e"]
    print "targets: ours >= 0.8x null, short p50 < 80 us, insertion/removal median < 20 ms"
}' "$PCSCD_WORK/results.txt" >&3
exec 1>&3
cp "$PCSCD_WORK/results.txt" "$top_builddir/bench/last-run.txt" 2>/dev/null && echo "(raw lines: $top_builddir/bench/last-run.txt)"
