#!/bin/bash
# make bench: one private pcscd with three readers, measured in interleaved rounds:
#   ours   our ifd-vpcd (build tree)          + bench-peer -e   on 127.0.0.1:35963
#   debian vsmartcard's vpcd as Debian ships it + the same bench-peer on 127.0.0.1:36864
#   null   bench/ifd-null, answers in-process (the ceiling)
# Prints per-round lines, then a table of medians over the rounds (">1ms": short transmits slower
# than 1 ms per round of N, i.e. stalls) and the ratios.
# Cards (issue 3 item 7), on a second reader entry of our driver ("cards", port 35973): slot 0 our
# vicc -t iso7816 with a bench image (4 KB EF 4000, RSA-2048 key 10), slot 1 vsmartcard's Python
# vicc -t iso7816; per round `vpcsc-bench script` runs the same cases on both and on bench-peer:
# SELECT, READ BINARY 256 (short), READ BINARY 4 KB (extended), GET CHALLENGE, RSA-2048 signature.
# A case a card does not support prints "unsupported". Then vicc's VmHWM (peak RSS) from /proc.
# Knobs: BENCH_ROUNDS (5), BENCH_N (3000 short APDUs per round), BENCH_N_SLOW (60, for Debian's
# 44 ms/APDU driver), BENCH_CYCLES (3 presence cycles per round and card driver), BENCH_N_CARD
# (1000 APDUs per card case and round), BENCH_CARDS (1; 0 skips the card part).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
PCSCD_DEBUG=0
PCSCD_TEST_TIMEOUT=${BENCH_TIMEOUT:-600}
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_N:-3000}
N_SLOW=${BENCH_N_SLOW:-60}
CYCLES=${BENCH_CYCLES:-3}
N_CARD=${BENCH_N_CARD:-1000}
DEBIAN_PORT=36864
CARDS_PORT=35973
VICC=$top_builddir/vicc/vicc
PYVICC=$(command -v vicc 2>/dev/null || true)
PYVICC_MODULES=/usr/lib/python3/site-packages/virtualsmartcard
CRYPTODOME=/usr/lib/python3/dist-packages/Cryptodome

configs=()
[ -f "$VPCD_DRIVER" ] && configs+=(ours)
[ -f "$DEBIAN_VPCD" ] && configs+=(debian)
configs+=(null)
cards=()
if [ "${BENCH_CARDS:-1}" = 1 ] && [ -f "$VPCD_DRIVER" ]; then
    [ -x "$VICC" ] && cards+=(vicc)
    [ -n "$PYVICC" ] && [ -d "$PYVICC_MODULES" ] && [ -d "$CRYPTODOME" ] && cards+=(pyvicc)
fi
[ -f "$NULL_DRIVER" ] || { echo "run-bench: $NULL_DRIVER not built (make check_LTLIBRARIES)" >&2; exit 1; }
pcscd_enter "$@"
exec 3>&1 >"$PCSCD_WORK/results.txt"   # raw lines to a file, echoed to the terminal as we go

# pcscd numbers entries that share a driver in readdir order ("vpcsc 01 00" when "cards" came
# first), so reader names are looked up in `vpcsc-bench list` once pcscd lists every entry.
readers=""
find_readers() {
    local i want=("$@")
    for i in $(seq 100); do
        readers=$(pcsc_tool list 2>/dev/null)
        local p missing=0
        for p in "${want[@]}"; do grep -q "^$p [0-9][0-9] 0" <<<"$readers" || missing=1; done
        [ "$missing" = 0 ] && return 0
        sleep 0.05
    done
    return 1
}
reader_of() {
    local p s=$2
    case $1 in ours) p=vpcsc;; debian) p=vsmartcard;; null) p=null s=0;; vicc) p=cards s=0;; pyvicc) p=cards s=1;; esac
    grep -m1 "^$p [0-9][0-9] 0$s\$" <<<"$readers" || echo "$p ?? 0$s"
}
port_of() { case $1 in ours) echo $((VPCD_PORT + $2));; debian) echo $((DEBIAN_PORT + $2));; esac; }
say() { echo "$*"; echo "$*" >&3; }
run() { while read -r line; do say "$line"; done < <(timeout 120 "$@" 2>&1); }
has() { [[ " ${configs[*]} " == *" $1 "* ]]; }

has ours && pcscd_reader vpcsc "/dev/null:$VPCD_PORT"
has debian && pcscd_reader vsmartcard "/dev/null:$DEBIAN_PORT" "$DEBIAN_VPCD"
pcscd_reader null /dev/null:echo "$NULL_DRIVER"
[ ${#cards[@]} -gt 0 ] && pcscd_reader cards "/dev/null:$CARDS_PORT"
pcscd_start 0 || { echo "pcscd did not start" >&3; exit 1; }
prefixes=(null); has ours && prefixes+=(vpcsc); has debian && prefixes+=(vsmartcard); [ ${#cards[@]} -gt 0 ] && prefixes+=(cards)
find_readers "${prefixes[@]}" || { echo "pcscd lists only: $readers" >&3; exit 1; }
# Slot 0 of each vpcd reader holds a card for the APDU runs; slot 1 is used for presence cycles.
for c in "${configs[@]}"; do
    reader_wait "$(reader_of "$c" 0)" reader 5000 || { echo "reader for $c missing" >&3; exit 1; }
    [ "$c" = null ] && continue
    card_start "card-$c" "$BENCH_PEER" -e -p "$(port_of "$c" 0)"
    reader_wait "$(reader_of "$c" 0)" present 5000 || { echo "$c: card not seen present" >&3; exit 1; }
done
# The card bench: our vicc with an image holding a 4 KB EF and an RSA-2048 key; Python vicc
# (Debian's 0.8 needs its module dir on PYTHONPATH and a Crypto -> Cryptodome shim) gets the same
# EF through CREATE FILE + UPDATE BINARY as setup, since it ignores -f.
if [ ${#cards[@]} -gt 0 ]; then
    reader_wait "$(reader_of vicc 0)" reader 5000 || { echo "reader for the cards missing" >&3; exit 1; }
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PCSCD_WORK/rsa.pem" 2>/dev/null
    /usr/bin/python3 - "$PCSCD_WORK/rsa.pem" >"$PCSCD_WORK/bench-card.json" <<'PY'
import json, sys
pem = open(sys.argv[1]).read()
data = bytes((i * 7 + 1) & 0xFF for i in range(4096)).hex().upper()
print(json.dumps({"version": 1,
    "pins": [{"reference": "81", "value": "31323334"}],
    "keys": [{"reference": "10", "algorithm": "RSA-2048", "pem": pem, "usage": ["sign"], "access": "00"}],
    "fileSystem": {"fid": "3F00", "structure": "DF", "children": [
        {"fid": "4000", "structure": "transparent", "data": data}]}}))
PY
    has_card() { [[ " ${cards[*]} " == *" $1 "* ]]; }
    if has_card vicc; then
        card_start vicc "$VICC" -t iso7816 -f "$PCSCD_WORK/bench-card.json" -H 127.0.0.1 -P "$CARDS_PORT"
        echo "$CARD_PID" >"$PCSCD_WORK/vicc.bench.pid"
        reader_wait "$(reader_of vicc 0)" present 10000 || { echo "vicc: card not seen present" >&3; exit 1; }
    fi
    if has_card pyvicc; then
        mkdir -p "$PCSCD_WORK/shim" && ln -sf "$CRYPTODOME" "$PCSCD_WORK/shim/Crypto"
        card_start pyvicc env PYTHONPATH="$PYVICC_MODULES:$PCSCD_WORK/shim" /usr/bin/python3 "$PYVICC" \
            -t iso7816 -H 127.0.0.1 -P $((CARDS_PORT + 1))
        reader_wait "$(reader_of pyvicc 0)" present 15000 || { echo "pyvicc: card not seen present" >&3; exit 1; }
    fi
fi
# Card cases (vpcsc-bench script NAME[@N]=[SETUP,...,]APDU), the same bytes for every card.
# bench-peer answers each with 90 00 (+ the data field): the ceiling of a card process.
SEL_EF=00A4020C024000
SIGN=002A9E9A333031300D060960864801650304020105000420$(printf '%064X' 0)00  # SHA-256 DigestInfo
card_cases=("select=00A4000C023F00" "read256=$SEL_EF,00B0000000" "read4k@300=$SEL_EF,00B00000001000"
    "challenge=0084000008" "rsa2048@100=002000810431323334,002241B603840110,$SIGN")
# The Python vicc's iso7816 card has no -f (and no extended length): its EF 4000 is created (CREATE
# FILE, 4096 bytes) and filled with 32 short UPDATE BINARYs of 128 bytes once, before the rounds.
# Both carry an Le: Debian's vicc 0.8 dies (TypeError in formatResult) on them without one.
if [[ " ${cards[*]} " == *" pyvicc "* ]]; then
    fill=(00E000000D620B800210008201018302400000 "$SEL_EF")
    for i in $(seq 0 31); do fill+=("00D6$(printf '%04X' $((i * 128)))80$(printf 'A5%.0s' $(seq 128))00"); done
    pcsc_tool transmit -r "$(reader_of pyvicc 0)" "${fill[@]}" >"$PCSCD_WORK/pyvicc-fill.txt" 2>&1 ||
        say "# pyvicc: filling EF 4000 failed: $(tail -1 "$PCSCD_WORK/pyvicc-fill.txt")"
fi
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
    if [ ${#cards[@]} -gt 0 ]; then  # the cards and bench-peer (slot 0 of ours), rotating order
        corder=(peer "${cards[@]}")
        for ((k = 0; k < round % ${#corder[@]}; k++)); do corder=("${corder[@]:1}" "${corder[0]}"); done
        for c in "${corder[@]}"; do
            r=$(reader_of "$c" 0); [ "$c" = peer ] && r=$(reader_of ours 0)
            run "$VPCSC_BENCH" script -r "$r" -n "$N_CARD" -l "$c" "${card_cases[@]}"
        done
    fi
done
if [ -f "$PCSCD_WORK/vicc.bench.pid" ]; then
    p=$(cat "$PCSCD_WORK/vicc.bench.pid")
    say "vicc memory $(awk '/^VmHWM|^VmRSS/ { printf "%s=%s ", $1, $2 }' "/proc/$p/status" 2>/dev/null| tr -d :) kB"
fi

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
# Card table: medians over rounds per card and case, ratios of the medians.
[ ${#cards[@]} -gt 0 ] && awk '
function median(list,   a, n, i, j, t) {
    n = split(list, a, " "); if (n == 0) return ""
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
function val(field,   kv) { split(field, kv, "="); return kv[2] }
function cell(c, k,   r) { r = median(rate[c, k]); if (r == "") return sprintf("%18s", unsup[c, k] != "" ? "unsupported " unsup[c, k] : "-"); return sprintf("%8.0f/s %5.0fus", r, median(p50[c, k])) }
function ratio(a, b) { return (a != "" && b > 0) ? sprintf("%.2fx", a / b) : "-" }
($1 == "peer" || $1 == "vicc" || $1 == "pyvicc") && $3 ~ /^n=/ { rate[$1, $2] = rate[$1, $2] " " val($4); p50[$1, $2] = p50[$1, $2] " " val($5); if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
($1 == "peer" || $1 == "vicc" || $1 == "pyvicc") && $3 == "unsupported" { unsup[$1, $2] = $NF; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
$1 == "vicc" && $2 == "memory" { mem = $0 }
END {
    printf "\n%-10s %18s %18s %18s %12s %12s\n", "card case", "peer (bench-peer)", "vicc", "python vicc", "vicc/python", "vicc/peer"
    for (i = 1; i <= n; i++) {
        k = order[i]
        printf "%-10s %18s %18s %18s %12s %12s\n", k, cell("peer", k), cell("vicc", k), cell("pyvicc", k),
            ratio(median(rate["vicc", k]), median(rate["pyvicc", k])), ratio(median(rate["vicc", k]), median(rate["peer", k]))
    }
    if (mem != "") print mem
    print "targets: vicc >= 3x python vicc on short commands, >= 0.7x bench-peer; vicc VmHWM < 16 MB"
}' "$PCSCD_WORK/results.txt" >&3
exec 1>&3
cp "$PCSCD_WORK/results.txt" "$top_builddir/bench/last-run.txt" 2>/dev/null && echo "(raw lines: $top_builddir/bench/last-run.txt)"
