#!/bin/bash
# vicc -t usim, personalised from the command line, through a private pcscd + ifd-vpcd: a pyscard
# client selects ADF.USIM from EF.DIR, reads EF.IMSI and runs AUTHENTICATE, checking RES/CK/IK
# against MILENAGE computed independently in Python (sim-usim.py, pycryptodome's AES).
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
/usr/bin/python3 -c 'import smartcard.System' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
/usr/bin/python3 -c 'import Cryptodome.Cipher.AES' 2>/dev/null || tap_skip_all "python3-pycryptodome not installed"
pcscd_enter "$@"
tap_plan 12
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
KI=000102030405060708090a0b0c0d0e0f
OP=63bfa50ee6523365ff14c1f45f88737d
OPC=$(/usr/bin/python3 -c "
from Cryptodome.Cipher import AES
k, op = bytes.fromhex('$KI'), bytes.fromhex('$OP')
print(bytes(a ^ b for a, b in zip(AES.new(k, AES.MODE_ECB).encrypt(op), op)).hex())")
IMSI=262423403000001

card_start vicc "$VICC" -t usim --imsi $IMSI --ki $KI --op $OP -f "$PCSCD_WORK/usim.json"
check "pcscd starts" pcscd_start 2
check "the usim is present" reader_wait "Virtual PCD 00 00" present 8000
while IFS= read -r line; do
    case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        "#"*) echo "$line" ;;
        *) echo "# $line" ;;
    esac
done < <(timeout -k 2 30 /usr/bin/python3 "$top_srcdir/tests/integration/sim-usim.py" "Virtual PCD 00 00" $KI "$OPC" $IMSI 2>&1)
card_stop vicc TERM
expect_match "the image keeps the accepted SQN" '"seq"' "$(cat "$PCSCD_WORK/usim.json")"
tap_done
