#!/bin/sh
# Driver-level tests of ifd-simtrace against the simulated SIMtrace2; needs umockdev-wrapper
# (Debian: umockdev). ASan builds need the preload library ahead of the sanitizer runtime check.
. "${top_srcdir:-.}/tests/lib/tap.sh"
command -v umockdev-wrapper >/dev/null 2>&1 || tap_skip_all "umockdev-wrapper not found (apt-get install umockdev)"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" export ASAN_OPTIONS
exec umockdev-wrapper "${top_builddir:-.}/tests/simtrace/simtrace-driver-tests" "$@"
