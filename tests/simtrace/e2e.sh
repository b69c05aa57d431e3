#!/bin/bash
# End to end: a private pcscd loads the build's ifd-simtrace bundle, finds a simulated SIMtrace2
# (cardem firmware) through libudev under umockdev, and vicc --transport cardem with a usim card
# answers the simulated phone's SELECT / GET RESPONSE / READ BINARY / VERIFY.
. "${top_srcdir:-.}/tests/lib/tap.sh"
if [ -z "${SIMTRACE_DEVICE:-}" ]; then
    command -v umockdev-wrapper >/dev/null 2>&1 || tap_skip_all "umockdev-wrapper not found (apt-get install umockdev)"
    [ "$(id -u)" = 0 ] || tap_skip_all "needs root for a private mount+network namespace"
    [ -x "$top_builddir/tests/simtrace/sim-st2-serve" ] || tap_skip_all "sim-st2-serve not built"
    # Debian's pcscd with the ASan runtime and umockdev's preload library both preloaded dies of
    # SIGSEGV before main (either order; each alone works), so the ASan stage covers ifd-simtrace
    # through tests/simtrace/simtrace-driver.sh (the IFDH* calls against the same simulated board).
    [ "${VPCSC_SANITIZER:-no}" != address ] ||
        tap_skip_all "pcscd cannot start with both the ASan runtime and umockdev preloaded (doc/ci.md)"
    PHONE_LOG=$(mktemp "${TMPDIR:-/tmp}/vpcsc-phone.XXXXXX")
    export PHONE_LOG
    umockdev-wrapper "$top_builddir/tests/simtrace/sim-st2-serve" "$PHONE_LOG" -- bash "$0" "$@"
    rc=$?
    rm -f "$PHONE_LOG"
    exit $rc
fi
. "$top_srcdir/tests/lib/pcscd.sh"
pcscd_enter "$@"
tap_plan 8

dropdir=$(pkg-config libpcsclite --variable=usbdropdir 2>/dev/null || echo /usr/lib/pcsc/drivers)
# pcscd_enter put a private tmpfs there; never write into the system's driver directory.
[ "$(findmnt -n -o FSTYPE --target "$dropdir" 2>/dev/null)" = tmpfs ] || pcscd__bail "$dropdir is not a private tmpfs"
bundle=$dropdir/ifd-simtrace.bundle/Contents
mkdir -p "$bundle/Linux" && cp "$top_builddir/ifd-simtrace/Info.plist" "$bundle/" &&
    cp -L "$top_builddir/.libs/libifdsimtrace.so" "$bundle/Linux/" || pcscd__bail "cannot install the bundle"
PCSCD_DEBUG=1 pcscd_start 1 || pcscd__bail "pcscd did not list the SIMtrace2 reader"
readers=$(pcsc_tool list 2>&1)
expect_match "pcscd lists the cardem interface as a reader" "CardEmulator Modem 1" "$readers"
expect_match "the DFU runtime interface is refused" "is not a SIMtrace2 trace or cardem function" "$(cat "$PCSCD_WORK/pcscd.log")"

card_start vicc "$top_builddir/vicc/vicc" -t usim --transport "cardem:CardEmulator Modem 1" -vv
for i in $(seq 100); do grep -q '^done' "$PHONE_LOG" && break; sleep 0.1; done
log=$(cat "$PHONE_LOG")
printf '%s\n' "$log" | sed 's/^/# /'
expect_match "vicc armed the emulator with its ATR" "host: 01 02 00 00 00 00 .. 00 .. 3B" "$log"
expect_match "SELECT MF: the card's FCP is announced with 61xx" "^00 A4 00 04 02 3F 00 => A4 61 [0-9A-F]{2}$" "$log"
expect_match "GET RESPONSE returns the FCP (62 ...) and 90 00" "=> C0 62 .* 90 00$" "$log"
expect_match "READ BINARY EF.ICCID answers 10 bytes" "^00 B0 00 00 0A => B0( [0-9A-F]{2}){10} 90 00$" "$log"
expect_match "VERIFY PIN1 reaches the card" "^00 20 00 01 08 31 32 33 34 FF FF FF FF => 20 (90 00|63 C.|69 8.)$" "$log"
card_stop vicc
# pcscd exits ("direct suicide") with the driver's threads running: it must not crash doing so.
p=$(pcscd__pid); kill -TERM "$p"; wait "$p"; rc=$?
expect_eq "pcscd exits cleanly on SIGTERM with the driver loaded" 0 "$rc"
tap_done
