#!/bin/bash
# vicc -t sim through a private pcscd + ifd-vpcd, read by a pyscard phonebook dumper
# (sim-phonebook.py): CLA A0 SELECT / 9Fxx / GET RESPONSE, READ RECORD of EF.ADN, names in the
# GSM alphabet and UCS2. Also: vicc refuses an invalid --iccid with a clear message.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.System' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
tap_plan 11
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"

out=$("$VICC" -t sim --iccid 8988211000000000012 2>&1); rc=$?
expect_match "an ICCID with a wrong Luhn digit is refused" 'wrong Luhn check digit, the last digit should be 1' "$out (exit $rc)"
expect_match "--imsi is refused for the iso7816 type" 'are for the sim and usim card types' "$("$VICC" -t iso7816 --imsi 001010123456789 2>&1)"

card_start vicc "$VICC" -t sim -f "$PCSCD_WORK/sim.json"
check "pcscd starts" pcscd_start 2
check "the sim is present" reader_wait "Virtual PCD 00 00" present 8000
while IFS= read -r line; do
    case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        "#"*) echo "$line" ;;
        *) echo "# $line" ;;
    esac
done < <(timeout -k 2 30 /usr/bin/python3 "$top_srcdir/tests/integration/sim-phonebook.py" "Virtual PCD 00 00" 2>&1)
tap_done
