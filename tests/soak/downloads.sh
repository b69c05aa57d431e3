#!/bin/bash
# Concurrent downloads on one SM-DP+ (issue 9): ONE vicc-smdpp (HTTPS, the build tree's NIST test
# PKI), N vicc -t euicc cards on the N slots of one ifd-vpcd entry (;slots=N), each with its own
# eUICC certificate and EID (signed here by the test PKI's EUM), and N vicc-lpa downloads at once,
# one per slot, for R rounds. The profile directory holds N distinct profiles (the built-in DEMO
# plus copies of tests/saip/corpus/demo.der with other ICCIDs); slot i asks for profile (i+r) mod N
# in round r, so every slot gets another ICCID each round and every round's slots ask for
# different ones. Per round: every download succeeds with the ICCID its slot asked for; every card
# lists exactly that one profile (nothing landed on a card that did not ask for it); the install
# notifications are delivered (handleNotification, which ends the SM-DP+ session) and the profiles
# deleted, leaving no notification. A BPP of another session could not slip through unnoticed
# anyway: each session's BPP is encrypted with that session's ephemeral keys (and, with
# ReplaceSessionKeys, a per-session PPK), so it would fail to decrypt on the wrong card.
# At the end: vicc-smdpp's log has one getBoundProfilePackage and one verified install-result
# notification per download, for the same transactionIds (every session ended), it is still
# running, and its RSS grew by a bounded amount after the first round.
# SOAK_DOWNLOADS_N (default 8, at most 16) and SOAK_DOWNLOAD_ROUNDS (default 2) for long runs
# (figures in doc/reliability.md).
: "${SOAK_DOWNLOADS_N:=8}" "${SOAK_DOWNLOAD_ROUNDS:=2}"
export SOAK_DOWNLOADS_N SOAK_DOWNLOAD_ROUNDS
# A download takes about 1 s of CPU on this 2-core class of machine; 4 s each is ample margin.
export PCSCD_TEST_TIMEOUT=$((60 + 4 * SOAK_DOWNLOADS_N * SOAK_DOWNLOAD_ROUNDS))
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/soak/soak-lib.sh"
SMDPP=$top_builddir/smdpp/vicc-smdpp
LPA=$top_builddir/lpa/vicc-lpa
NIST=$top_builddir/vicc/euicc/pki/nist
DEMO_UPP=$top_srcdir/tests/saip/corpus/demo.der
N=$SOAK_DOWNLOADS_N R=$SOAK_DOWNLOAD_ROUNDS
PORT=8443
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
for p in "$VICC" "$SMDPP" "$LPA"; do [ -x "$p" ] || tap_skip_all "$(basename "$p") not built"; done
[ -f "$NIST/ci.pem" ] && [ -f "$NIST/eum.key" ] || tap_skip_all "test PKI not built ($NIST)"
command -v jq >/dev/null || tap_skip_all "jq not installed"
command -v openssl >/dev/null || tap_skip_all "openssl not installed"
[ "$N" -ge 1 ] && [ "$N" -le 16 ] && [ "$R" -ge 1 ] || tap_skip_all "SOAK_DOWNLOADS_N must be 1..16, SOAK_DOWNLOAD_ROUNDS >= 1"
pcscd_enter "$@"
PCSCD_DEBUG=0
tap_plan $((6 + 6 * R + 7))

jqc() { local j=$1; shift; printf "%s" "$j" | jq -cS "$@" 2>/dev/null; }
lpa() {  # SLOT ARGS...
    local i=$1; shift
    timeout -k 2 120 "$LPA" -r "${SOAK_READERS[$i]}" "$@" 2>>"$PCSCD_WORK/lpa.$i.log"
}
smdpp_wait() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0; sleep 0.05; done
    return 1
}

# --- eUICC identities: EID i = 89049032 (the test EUM's permitted EIN) ... i, with its ISO 7064
# mod 97-10 check digits; a fresh key and certificate signed by the EUM, as make-test-pki.sh does.
eid_of() {
    local p rem=0 k
    p=8904903212345123451234$(printf %08d "$1")
    for ((k = 0; k < 30; k++)); do rem=$(( (rem * 10 + ${p:k:1}) % 97 )); done
    printf '%s%02d' "$p" $((98 - rem * 100 % 97))
}
make_pkis() {
    local i d
    cat >"$PCSCD_WORK/euicc.cnf" <<'CNF'
[euicc]
keyUsage = critical, digitalSignature
certificatePolicies = critical, 2.23.146.1.2.1.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
    for i in $(seq 0 $((N - 1))); do
        d=$PCSCD_WORK/pki$i
        mkdir -p "$d" && cp "$NIST/ci.der" "$NIST/ci.pem" "$NIST/eum.der" "$NIST/eum.pem" "$d/" || return 1
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -pkeyopt ec_param_enc:named_curve \
            -out "$d/euicc.key" 2>/dev/null &&
        openssl req -new -key "$d/euicc.key" -subj "/C=XX/O=vpcsc TEST ONLY EUM/serialNumber=$(eid_of "$i")/CN=vpcsc Test eUICC" \
            -out "$d/euicc.csr" &&
        openssl x509 -req -in "$d/euicc.csr" -CA "$NIST/eum.pem" -CAkey "$NIST/eum.key" -days 3650 \
            -set_serial $((100 + i)) -sha256 -extfile "$PCSCD_WORK/euicc.cnf" -extensions euicc \
            -out "$d/euicc.pem" 2>/dev/null &&
        openssl x509 -in "$d/euicc.pem" -outform DER -out "$d/euicc.der" || return 1
    done
}

# --- Profiles: MIDS[k] / ICCIDS[k]. k = 0 is the built-in DEMO; k >= 1 is demo.der with the
# ICCID 890010990000000kkk + Luhn digit in its ProfileHeader (digits in order) and EF.ICCID
# (nibble-swapped), the same length, so no DER length changes.
PROFILES=$PCSCD_WORK/profiles
mkdir -p "$PROFILES"
MIDS=(DEMO) ICCIDS=(8900101234567890120)
make_profiles() {
    local k
    [ -f "$DEMO_UPP" ] || { diag "no $DEMO_UPP: every slot downloads DEMO"; return 0; }
    for k in $(seq 1 $((N - 1))); do
        MIDS+=("DL$(printf %02d "$k")")
        ICCIDS+=("$(/usr/bin/python3 - "$DEMO_UPP" "$PROFILES/${MIDS[k]}.der" "$k" <<'PY'
import sys
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
def luhn(d):  # the check digit that makes d + it pass the Luhn check
    s = 0
    for i, c in enumerate(reversed(d)):
        v = int(c) * (2 if i % 2 == 0 else 1)
        s += v - 9 if v > 9 else v
    return str((10 - s % 10) % 10)
def straight(i): return bytes.fromhex((i + "f") if len(i) % 2 else i)
def swapped(i):
    h = (i + "f") if len(i) % 2 else i
    return bytes.fromhex("".join(h[j + 1] + h[j] for j in range(0, len(h), 2)))
old = "8900101234567890120"
new = "890010990000000%03d" % k
new += luhn(new)
assert len(new) == len(old)
upp = open(src, "rb").read()
for enc in (straight, swapped):
    assert upp.count(enc(old)) == 1, "ICCID not found exactly once"
    upp = upp.replace(enc(old), enc(new))
open(dst, "wb").write(upp)
print(new)
PY
)") || return 1
    done
}
# The profile slot I asks for in round R
pick() { echo $(( ($1 + $2) % ${#MIDS[@]} )); }

# --- Per-slot phases, run N at once in the background; each writes one result line. Every vicc-lpa
# output goes to out.SLOT too; one whose error names a PC/SC call (SCardTransmit ...) is a transport
# error, counted in transport.SLOT, not a download fault; the points below tell the two apart. One
# was seen in 800 downloads (IFD_RESPONSE_TIMEOUT, timeout=10) while the harness still started each
# card in a session of its own (doc/reliability.md section 1); the clean-up retries after one so
# that a single timeout does not leave a profile behind that fails every later round.
lpa_logged() {  # SLOT ARGS...: lpa, output also appended to out.SLOT, transport errors counted
    local i=$1 out; shift
    out=$(lpa "$i" "$@")
    printf '%s %s\n' "$*" "$out" >>"$PCSCD_WORK/out.$i"
    case $out in *'"code":0'*) ;; *SCard*) echo "$*" >>"$PCSCD_WORK/transport.$i" ;; esac
    printf '%s\n' "$out"
}
phase_download() {  # SLOT ROUND: "code iccid seq transport(0|1)"
    local i=$1 r=$2 k out t=0
    k=$(pick "$i" "$r")
    out=$(lpa_logged "$i" download -s "127.0.0.1:$PORT" -m "${MIDS[k]}")
    printf '%s\n' "$out" >"$PCSCD_WORK/dl.$i.$r.json"
    [ "$(jqc "$out" .payload.code)" = 0 ] || case $out in *SCard*) t=1 ;; esac
    echo "$(jqc "$out" .payload.code) $(jqc "$out" -r .payload.data.iccid) $(jqc "$out" .payload.data.seqNumber) $t" \
        >"$PCSCD_WORK/dl.$i.$r"
}
phase_cleanup() {  # SLOT ROUND: deliver the install notification, delete the profile(s), deliver and
    # remove whatever that queued; after a transport error, again (3 tries). "removed profiles notifications"
    local i=$1 r=$2 code iccid seq t out rest left p removed=-
    read -r code iccid seq t <"$PCSCD_WORK/dl.$i.$r"
    if [ "$code" = 0 ]; then
        removed=$(jqc "$(lpa_logged "$i" notification process "$seq" --remove)" '.payload.data[0].removed')
    fi
    for _ in 1 2 3; do
        out=$(lpa_logged "$i" profile list)
        [ "$(jqc "$out" .payload.code)" = 0 ] || continue
        for p in $(jqc "$out" -r '.payload.data[].iccid'); do lpa_logged "$i" profile delete "$p" >/dev/null; done
        out=$(lpa_logged "$i" notification list)
        rest=$(jqc "$out" -r '[.payload.data[].seqNumber] | map(tostring) | join(" ")')
        # shellcheck disable=SC2086
        [ -z "$rest" ] || lpa_logged "$i" notification process $rest --remove >/dev/null
        left="$(jqc "$(lpa_logged "$i" profile list)" '.payload.data | length') $(jqc "$(lpa_logged "$i" notification list)" '.payload.data | length')"
        [ "$left" = "0 0" ] && break
    done
    echo "$removed ${left:-? ?}" >"$PCSCD_WORK/cl.$i.$r"
}
run_all() {  # PHASE ROUND: all slots at once, wait for all
    local i pids=()
    for i in $(seq 0 $((N - 1))); do "$1" "$i" "$2" & pids+=($!); done
    wait "${pids[@]}"
}

check "$N eUICC identities (distinct EIDs) signed by the test EUM" make_pkis
# Not through check: its subshell would lose MIDS/ICCIDS.
if make_profiles >"$PCSCD_WORK/profiles.log" 2>&1; then ok "${#MIDS[@]} distinct profiles (DEMO and copies of demo.der with other ICCIDs)"
else not_ok "profiles from $DEMO_UPP"; sed 's/^/#   /' "$PCSCD_WORK/profiles.log"; fi
# timeout=30: this test is about the SM-DP+, not the slot timeout (tests/faults, load.sh cover that).
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;slots=$N;timeout=30"
check "pcscd starts with $N slots in one entry" pcscd_start "$N"
for i in $(seq 0 $((N - 1))); do card_start "e$i" "$VICC" -t euicc --pki "$PCSCD_WORK/pki$i" -P $((VPCD_PORT + i)); done
check "all $N eUICCs present" soak_all_present $N
soak_names "$N"
card_start smdpp "$SMDPP" -H 127.0.0.1 -p "$PORT" --pki "$NIST" -d "$PROFILES"
check "vicc-smdpp listens on 127.0.0.1:$PORT" smdpp_wait
SMDPP_PID=$(cat "$PCSCD_WORK/smdpp.card.pid")
bad=
for i in $(seq 0 $((N - 1))); do
    e=$(jqc "$(lpa "$i" chip-info)" -r .payload.data.eidValue)
    [ "$e" = "$(eid_of "$i")" ] || bad+=" slot$i:$e"
done
expect_eq "each slot's chip-info shows its own EID" "" "$bad"
diag "$N slots, ${#MIDS[@]} distinct profiles, $R rounds; vicc-smdpp RSS at start $(rss_kb "$SMDPP_PID") kB"

rss1=0 rss_trail="" fails=0 t0=$(date +%s%N)
for r in $(seq 0 $((R - 1))); do
    run_all phase_download "$r"
    bad='' wrong='' tr=''
    for i in $(seq 0 $((N - 1))); do
        read -r code iccid _ t <"$PCSCD_WORK/dl.$i.$r"
        if [ "$t" = 1 ]; then tr+=" $i"; continue; fi  # counted in the transport TODO point
        [ "$code" = 0 ] || bad+=" slot$i:$(jqc "$(cat "$PCSCD_WORK/dl.$i.$r.json")" .payload.message)"
        [ "$iccid" = "${ICCIDS[$(pick "$i" "$r")]}" ] || wrong+=" slot$i:$iccid"
    done
    [ -z "$bad" ] || fails=$((fails + 1))
    [ -z "$tr" ] || diag "round $r: download on slot(s)$tr failed with a PC/SC transport error"
    expect_eq "round $r: all $N downloads succeed (but for PC/SC transport errors)" "" "$bad"
    expect_eq "round $r: each slot installed the ICCID it asked for" "" "$wrong"
    wrong=''
    for i in $(seq 0 $((N - 1))); do
        l=$(jqc "$(lpa_logged "$i" profile list)" -r '[.payload.data[].iccid] | join(",")')
        read -r _ _ _ t <"$PCSCD_WORK/dl.$i.$r"
        # after a transport error the download may or may not have been installed
        [ "$l" = "${ICCIDS[$(pick "$i" "$r")]}" ] || { [ "$t" = 1 ] && [ -z "$l" ]; } || wrong+=" slot$i:[$l]"
    done
    expect_eq "round $r: each card lists exactly its own profile (none on a card that did not ask)" "" "$wrong"
    run_all phase_cleanup "$r"
    bad='' wrong=''
    for i in $(seq 0 $((N - 1))); do
        read -r removed pleft nleft <"$PCSCD_WORK/cl.$i.$r"
        read -r code _ <"$PCSCD_WORK/dl.$i.$r"
        # a transport error on the way may leave it to the retry (which delivers it too)
        [ "$code" != 0 ] || [ "$removed" = true ] || [ -s "$PCSCD_WORK/transport.$i" ] || bad+=" slot$i:$removed"
        [ "$pleft $nleft" = "0 0" ] || wrong+=" slot$i:profiles=$pleft,notifications=$nleft"
    done
    expect_eq "round $r: each install notification delivered and removed" "" "$bad"
    expect_eq "round $r: each card left with no profile and no notification" "" "$wrong"
    check "round $r: vicc-smdpp is running" card_running smdpp
    rss=$(rss_kb "$SMDPP_PID")
    [ "$r" = 0 ] && rss1=$rss
    rss_trail+=" $rss"
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rss2=$(rss_kb "$SMDPP_PID")
total=$((N * R))
okdl=0; for f in "$PCSCD_WORK"/dl.*.*; do case $f in *.json) ;; *) read -r code _ <"$f"; [ "$code" != 0 ] || okdl=$((okdl + 1)) ;; esac; done
transport=$(cat "$PCSCD_WORK"/transport.* 2>/dev/null | wc -l)
# Every session ended: one getBoundProfilePackage (200) and one verified install-result
# notification per successful download, for the same transactionIds, and no other ES9+ failure.
# (A download cut by a transport error may have got its BPP without installing it.)
LOG=$PCSCD_WORK/smdpp.log
tids() { sed -n "s/.*$1 tid=\([^ ]*\) -> $2 .*/\1/p" "$LOG" | sort; }
bpp=$(tids getBoundProfilePackage 200 | wc -l)
if [ "$bpp" -ge "$okdl" ] && [ "$bpp" -le "$total" ]; then ok "vicc-smdpp answered one getBoundProfilePackage per download ($bpp; $okdl succeeded)"
else not_ok "vicc-smdpp answered one getBoundProfilePackage per download"; diag "$bpp getBoundProfilePackage, $okdl of $total downloads succeeded"; fi
nots=$(tids handleNotification '204 notification install-result verified .*result=success' | wc -l)
expect_eq "vicc-smdpp verified one successful install-result notification per successful download" "$okdl" "$nots"
missing=$(comm -13 <(tids getBoundProfilePackage 200) <(tids handleNotification '204 notification install-result verified') | head -5)
expect_eq "... each for the transactionId of a download's getBoundProfilePackage (that session ended)" "" "$missing"
expect_eq "no ES9+ call failed" "" "$(grep -E 'vicc-smdpp: .* -> [0-9]+ Failed' "$LOG" | head -5)"
check "vicc-smdpp is still running" card_running smdpp
diag "$okdl of $total downloads in $ms ms: $(awk "BEGIN { printf \"%.2f\", $total * 1000 / $ms }") downloads/s;" \
    "rounds with a failed download: $fails; PC/SC transport errors: $transport"
if [ "$transport" = 0 ]; then ok "PC/SC transport errors (transmit timeouts) during downloads and clean-up: 0"
else TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - PC/SC transport errors (transmit timeouts) during downloads and clean-up: $transport # TODO transmit timeouts under heavy load, doc/reliability.md section 1"; fi
diag "vicc-smdpp RSS: after round 0 ${rss1} kB, at the end ${rss2} kB; after each round (kB):$rss_trail"
# Bound: the first round brings in the TLS state, the 16 worker threads and their malloc arenas.
# After it, glibc's arenas keep growing slowly as sessions land on different threads: +2.9 MiB over
# rounds 1..99 of an 8 x 100 run, flattening (about 1.1 MiB in rounds 1-10, 0.6 MiB in rounds 50-99),
# while valgrind's massif shows the live heap flat at ~600 kB between rounds (doc/reliability.md).
# 8 MiB leaves margin for that and still fails on a per-download leak of a session's state
# (its certificates, keys and BPP, tens of kB) within a few hundred downloads.
if [ "$R" -ge 2 ]; then
    rss_grew_less "after the first round: vicc-smdpp" "$rss1" "$rss2" 8192
else
    skip "vicc-smdpp RSS growth (needs 2 or more rounds)"
fi
for i in $(seq 0 $((N - 1))); do card_stop "e$i"; done
card_stop smdpp
tap_done
