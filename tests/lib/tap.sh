# TAP helpers for shell tests. Source it; call `tap_plan N` (or `tap_skip_all WHY`), then `ok`/`not_ok`.
# Each test script ends with `tap_done`, which exits non-zero if any point failed.
TAP_N=0
TAP_FAILED=0

tap_plan() { echo "1..$1"; }
tap_skip_all() { echo "1..0 # SKIP $*"; exit 0; }
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $* # SKIP"; }
diag() { echo "# $*"; }

# check DESCRIPTION COMMAND...: one test point from a command's exit status; output goes to diag.
check() {
    local desc=$1; shift
    local out
    if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; printf '%s\n' "$out" | sed 's/^/#   /' | head -40; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; return; fi
    not_ok "$1"
    # Every line as a diagnostic: a multi-line value must not put bare "ok ..." lines in the stream.
    if [ "$(printf '%s\n%s' "$2" "$3" | wc -l)" -gt 1 ]; then
        local d; d=$(mktemp -d)
        printf '%s\n' "$2" >"$d/expected"; printf '%s\n' "$3" >"$d/actual"
        diff "$d/expected" "$d/actual" | head -40 | sed 's/^/#   /'
        rm -rf "$d"
    else
        diag "expected: $2"; diag "actual:   $3"
    fi
}

# expect_match DESCRIPTION REGEX TEXT
expect_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1"; diag "no match for /$2/ in:"; printf '%s\n' "$3" | sed 's/^/#   /' | head -40; fi
}

tap_done() { [ "$TAP_FAILED" -eq 0 ]; exit $?; }
