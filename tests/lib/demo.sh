#!/bin/bash
# build-aux/dev demo: the main job on its defaults, on this machine, without touching the host's
# pcscd. A private pcscd (own mount + network + pid namespace, see pcscd.sh) loads the ifd-vpcd
# driver just built with the default reader entry (/dev/null:0x8C7B, slots on 127.0.0.1:35963+i);
# `vicc` (the iso7816 card) connects to slot 0, and real PC/SC clients show the card.
# Usage: tests/lib/demo.sh BUILD_DIR (needs root for the namespace).
set -u

if [ -z "${VPCSC_IN_NS:-}" ]; then
    top_builddir=$(cd "${1:?usage: demo.sh BUILD_DIR}" && pwd)
    export top_builddir
fi
top_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PCSCD_DEBUG=0
PCSCD_TEST_TIMEOUT=${DEMO_TIMEOUT:-50}
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
tap_skip_all() { echo "demo: cannot run: $*" >&2; exit 1; }

pcscd_enter "$@"

VICC=$top_builddir/vicc/vicc
[ -x "$VICC" ] || pcscd__bail "vicc not built ($VICC)"

step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "== a private pcscd with ifd-vpcd: reader entry \"Virtual PCD\", DEVICENAME /dev/null:0x8C7B"
pcscd_reader "Virtual PCD" /dev/null:0x8C7B
pcscd_start 2 || pcscd__bail "pcscd did not start"

echo "== vicc -t iso7816 connects to 127.0.0.1:35963 (slot 0)"
card_start vicc "$VICC" -t iso7816 -v
reader_wait 0 present >/dev/null || pcscd__bail "the card did not appear in slot 0"

step pcsc_scan -r
step timeout 10 pcsc_scan -c -n
step opensc-tool --list-readers
step opensc-tool --reader 0 --atr
# SELECT MF returning its FCP (ISO 7816-4 §11.2.2); CREATE FILE 2F01, a 64-byte transparent EF
# (ISO 7816-9 §6.1); UPDATE BINARY "hello"; READ BINARY 5 bytes.
step opensc-tool --reader 0 \
    --send-apdu 00:A4:00:04:02:3F:00:00 \
    --send-apdu 00:E0:00:00:0D:62:0B:82:01:01:83:02:2F:01:80:02:00:40 \
    --send-apdu 00:D6:00:00:05:68:65:6C:6C:6F \
    --send-apdu 00:B0:00:00:05

echo
echo "== done: stopping vicc and the private pcscd"
card_stop vicc
exit 0
