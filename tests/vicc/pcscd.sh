#!/bin/bash
# vicc end to end: a private pcscd with our ifd-vpcd, the real vicc (iso7816) as the card.
# vicc started before pcscd connects when it comes up; opensc-tool shows the ATR; APDUs work;
# pcscd restarted -> vicc reconnects by itself; reversed mode through a second entry;
# SIGTERM saves the image and ends vicc.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
command -v opensc-tool >/dev/null || tap_skip_all "opensc-tool not installed"
pcscd_enter "$@"
tap_plan 14
IMG=$PCSCD_WORK/card.json
REV_PORT=36100

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
pcscd_reader "Reversed PCD" "127.0.0.1:$REV_PORT"

card_start vicc "$VICC" -t iso7816 -f "$IMG" -vv --trace
sleep 0.5   # vicc is up first, retrying
check "the image is created before any reader exists" test -s "$IMG"
check "pcscd starts with 4 readers" pcscd_start 4
readers=$(pcsc_tool list)
R0=$(grep -m1 '^Virtual PCD .. 00$' <<<"$readers")
RR=$(grep -m1 '^Reversed PCD .. 00$' <<<"$readers")
check "vicc started before pcscd is connected once pcscd is up" reader_wait "$R0" present 8000
idx=$(opensc-tool -l 2>/dev/null | awk -v r="$R0" 'index($0, r) { print $1; exit }')
expect_eq "opensc-tool -a shows the iso7816 ATR" "3b:95:13:81:01:80:73:ff:01:00:0b" \
    "$(timeout 10 opensc-tool -r "${idx:-0}" -a 2>&1)"
check "SELECT MF answers 90 00 through pcscd" transmit_expect "$R0" 00A4000C023F00 "90 00"
expect_match "--trace names the command and the status word" \
    '> 00 A4 00 0C 02 3F 00  SELECT.*|< 90 00  9000' "$(cat "$PCSCD_WORK/vicc.log")"

# pcscd restart: vicc gets EOF, says once that it cannot reach pcscd, and comes back.
kill -TERM "$(cat "$PCSCD_WORK/pcscd.pid")"
for _ in $(seq 50); do pcscd_alive || break; sleep 0.1; done
sleep 1
check "vicc keeps running while pcscd is down" card_running vicc
check "pcscd starts again" pcscd_start 4
check "vicc reconnects by itself" reader_wait "$R0" present 8000
check "and answers" transmit_expect "$R0" 00A4000C023F00 "90 00"
expect_eq "each outage (before start, restart) is logged once, not per retry" 2 "$(grep -c 'cannot reach' "$PCSCD_WORK/vicc.log")"

# Reversed: the driver connects to a listening vicc.
card_start vicc_r "$VICC" -R -P "$REV_PORT" --atr "3B 02 14 50"
check "reversed vicc is found by the driver" reader_wait "$RR" present 8000
expect_eq "with its ATR" "3B 02 14 50" "$(pcsc_tool atr -r "$RR" 2>&1)"

card_stop vicc TERM
expect_match "SIGTERM: vicc saved the image and stopped" '"type": "iso7816"' \
    "$(card_running vicc || cat "$IMG")"
tap_done
