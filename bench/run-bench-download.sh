#!/bin/bash
# make bench-download, the real-process half: one complete `vicc-lpa download` through a private
# pcscd + ifd-vpcd + vicc -t euicc, with vicc-smdpp over HTTPS, timed as a user sees it (process
# start, PC/SC connect, 6 ES10 functions in ~140 APDUs, 3 ES9+ requests), on both curves; the
# profile is deleted between downloads, outside the timing. Root only (private namespaces).
# Knobs: BENCH_DOWNLOADS (10), UPP (a .der file; default the built-in DEMO).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
PCSCD_DEBUG=0
PCSCD_TEST_TIMEOUT=${BENCH_TIMEOUT:-300}
N=${BENCH_DOWNLOADS:-10}
VICC=$top_builddir/vicc/vicc
SMDPP=$top_builddir/smdpp/vicc-smdpp
LPA=$top_builddir/lpa/vicc-lpa
READER="Virtual PCD 00 00"
for p in "$VICC" "$SMDPP" "$LPA"; do [ -x "$p" ] || tap_skip_all "$(basename "$p") not built"; done
pcscd_enter "$@"
PROFILES=$PCSCD_WORK/profiles
mkdir -p "$PROFILES"
MID=DEMO
if [ -n "${UPP:-}" ]; then MID=$(basename "$UPP" .der); cp "$UPP" "$PROFILES/"; fi
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
pcscd_start 2 || pcscd__bail "pcscd did not start"
now() { date +%s%N; }
echo "# vicc-lpa download of $MID through pcscd + vicc + vicc-smdpp (HTTPS), $N per curve (+1 warm-up)"
printf '# %-6s %9s %9s %9s\n' curve "p50 ms" "p90 ms" "min ms"
for curve in nist brp; do
    pki=$top_builddir/vicc/euicc/pki/$curve
    VPCSC_EUICC_PKI=$pki card_start vicc "$VICC" -t euicc
    reader_wait "$READER" present 8000 >/dev/null || pcscd__bail "no card"
    card_start smdpp "$SMDPP" -p 8443 --pki "$pki" -d "$PROFILES"
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null && break; sleep 0.05; done
    times=()
    for i in $(seq 0 "$N"); do
        t0=$(now)
        out=$("$LPA" -r "$READER" --ca "$pki/ci.pem" download -s 127.0.0.1:8443 -m "$MID" 2>/dev/null)
        t1=$(now)
        iccid=$(printf '%s' "$out" | jq -r .payload.data.iccid)
        [ "$(printf '%s' "$out" | jq .payload.code)" = 0 ] || pcscd__bail "download failed: $out"
        "$LPA" -r "$READER" profile delete "$iccid" >/dev/null
        for s in $("$LPA" -r "$READER" notification list | jq '.payload.data[].seqNumber'); do
            "$LPA" -r "$READER" notification remove "$s" >/dev/null
        done
        [ "$i" = 0 ] || times+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v c="$curve" '{ v[NR] = $1 / 1000 }
        END { printf "# %-6s %9.1f %9.1f %9.1f\n", c, v[int((NR - 1) * 0.5 + 1.5)], v[int((NR - 1) * 0.9 + 1.5)], v[1] }'
    card_stop smdpp
    card_stop vicc
done
