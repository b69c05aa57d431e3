#!/bin/bash
# doc/security.md, "Files": whatever the umask, make-test-pki.sh writes private keys 0600 and its
# directories 0700; the per-user default PKI that vicc-smdpp generates on first use (no --pki, no
# build tree) lives in 0700 directories with 0600 keys; a card image saved by vicc is 0600 even
# with umask 000 (the image's own atomic-save tests: tests/vicc/image_test.cpp, tests/vicc/signals.sh).
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
GEN=$top_srcdir/vicc/euicc/pki/make-test-pki.sh
SMDPP=$top_builddir/smdpp/vicc-smdpp
VICC=$top_builddir/vicc/vicc
[ -x "$SMDPP" ] && [ -x "$VICC" ] || tap_skip_all "vicc / vicc-smdpp not built"
command -v openssl >/dev/null || tap_skip_all "openssl not installed"
work=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
tap_plan 11

# bad DIR: the entries that break the rules (keys 0600, directories 0700, nothing group/world writable).
bad() {
    find "$1" \( \( -type d ! -perm 700 \) -o \( -name '*.key' ! -perm 600 \) -o -perm /022 \) -printf '%m %y %P\n'
}

(umask 000; /bin/sh "$GEN" "$work/pki" >/dev/null 2>&1); rc=$?
expect_eq "make-test-pki.sh with umask 000 succeeds" 0 $rc
n=$(find "$work/pki" -name '*.key' | wc -l)
[ "$n" -ge 12 ] && ok "it wrote the keys of both curves ($n)" || not_ok "it wrote the keys of both curves ($n)"
expect_eq "every key 0600, every directory 0700, nothing group/world writable" "" "$(bad "$work/pki")"
expect_eq "the output directory is 0700" 700 "$(stat -c %a "$work/pki")"

# The default PKI: vicc-smdpp without --pki, outside the build tree, HOME-less, umask 000.
(umask 000; exec env -u top_builddir -u VPCSC_EUICC_PKI -u HOME XDG_DATA_HOME="$work/xdg" \
    "$SMDPP" -p 0 2>"$work/smdpp.log") & pid=$!
for _ in $(seq 600); do grep -q ' on 127\.0\.0\.1:' "$work/smdpp.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.05; done
expect_match "vicc-smdpp generated the default PKI and started" 'HTTPS on 127\.0\.0\.1:.*PKI .*/xdg/vpcsc/test-pki/nist' "$(cat "$work/smdpp.log")"
kill $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
n=$(find "$work/xdg/vpcsc" -name '*.key' 2>/dev/null | wc -l)
[ "$n" -ge 12 ] && ok "the default PKI holds both curves' keys ($n)" || not_ok "the default PKI holds both curves' keys ($n)"
expect_eq "default PKI: keys 0600, directories 0700 (vpcsc/, test-pki/, nist/, brp/)" "" "$(bad "$work/xdg/vpcsc")"
expect_eq "no temporary directory left next to it" "test-pki" "$(ls "$work/xdg/vpcsc")"

# A card image: vicc writes it at start (a new image); no reader is needed for that.
(umask 000; exec "$VICC" -t usim -f "$work/card.json" -P 1 --ki 000102030405060708090A0B0C0D0E0F 2>"$work/vicc.log") & pid=$!
for _ in $(seq 400); do [ -f "$work/card.json" ] && break; sleep 0.05; done
kill $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
check "vicc -f wrote a new usim image" test -s "$work/card.json"
expect_eq "... with mode 0600 under umask 000" 600 "$(stat -c %a "$work/card.json")"
expect_eq "... and no temporary file left" "card.json" "$(ls "$work" | grep card)"
tap_done
