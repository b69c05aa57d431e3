#!/bin/bash
# python3-pyscard through our driver: short and largest extended APDUs echoed byte for byte,
# SCARD_ATTR_ATR_STRING, insertion and removal via SCardGetStatusChange (pyscard_roundtrip.py).
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
/usr/bin/python3 -c 'import smartcard.scard' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
PCSCD_DEBUG=0   # -a would log 64 KB APDUs in hex
tap_plan 12
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
while IFS= read -r line; do
    case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        "#"*) echo "$line" ;;
        *) echo "# $line" ;;
    esac
done < <(timeout -k 2 40 /usr/bin/python3 "$top_srcdir/tests/integration/pyscard_roundtrip.py" \
             "Virtual PCD 00 00" "$BENCH_PEER" -e -p $VPCD_PORT 2>&1)
tap_done
