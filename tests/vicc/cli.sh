#!/bin/bash
# vicc's command line: --version, --list-types, --help, usage errors exit 2, image errors exit 1
# with the file and the reason, an image of another card type is refused.
. "$top_srcdir/tests/lib/tap.sh"
VICC=$top_builddir/vicc/vicc
VICC_TEST=$top_builddir/tests/vicc/vicc-testcard
[ -x "$VICC" ] && [ -x "$VICC_TEST" ] || tap_skip_all "vicc not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vicc-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
tap_plan 16

# run CMD...: sets $out (stdout+stderr) and $rc
run() { out=$(timeout 10 "$@" 2>&1); rc=$?; }

run "$VICC" --version
expect_match "--version prints the version, exit 0" '^vicc \(vpcsc\) [0-9]+\.[0-9]+' "$out"
expect_eq "--version exit status" 0 "$rc"

run "$VICC_TEST" --list-types
expect_match "--list-types lists the registered types" '^test +runtime test card' "$out"

run "$VICC" --help
expect_match "--help shows the vsmartcard-compatible options" '-R,--reversed.*' "$out"

run "$VICC" --no-such-option
expect_eq "an unknown option exits 2" 2 "$rc"
expect_match "... and prints the usage" 'Usage: vicc' "$out"

run "$VICC" -P 70000
expect_eq "a port above 65535 exits 2" 2 "$rc"

run "$VICC" --atr 3B9
expect_eq "an odd-length --atr exits 2" 2 "$rc"

run "$VICC_TEST" -t nosuch
expect_eq "an unknown card type exits 2" 2 "$rc"
expect_match "... and points at --list-types" "unknown card type 'nosuch'.*--list-types" "$out"

printf '{\n  "type": "test",\n  "data": 12\n  "atr": "3B 00"\n}\n' >"$WORK/broken.json"
run "$VICC_TEST" -t test -f "$WORK/broken.json"
expect_eq "a broken image exits 1" 1 "$rc"
expect_match "... naming the file and the line" "$WORK/broken.json: .*line 4" "$out"

printf '{"type": "iso7816", "atr": "3B 00"}\n' >"$WORK/other.json"
run "$VICC_TEST" -t test -f "$WORK/other.json"
expect_eq "an image of another type than -t exits 1" 1 "$rc"
expect_match "... and says so" 'is an image of a iso7816 card, not test' "$out"

printf '{"type": "test", "atr": "3B 00", "data": 5}\n' >"$WORK/state.json"
run "$VICC_TEST" -f "$WORK/state.json"
expect_eq "card state the card type rejects exits 1" 1 "$rc"
expect_match "... with the file and the card's reason" "state.json: cannot set up the test card: .*data" "$out"
tap_done
