#!/bin/bash
# vicc -t euicc through a private pcscd + ifd-vpcd, driven by pyscard exactly as lpac drives an
# eUICC (euicc-pyscard.py): T=0, MANAGE CHANNEL, SELECT ISD-R, ES10 over STORE DATA + GET RESPONSE;
# then profile management and notifications on an image (-f) with two profiles, and what the image
# kept after a restart.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
PKI=$top_builddir/vicc/euicc/pki/nist
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
[ -f "$PKI/euicc.der" ] || tap_skip_all "test PKI not built ($PKI)"
/usr/bin/python3 -c 'import smartcard.System' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
pcscd_enter "$@"
tap_plan 50
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
EID=$(openssl x509 -in "$PKI/euicc.der" -inform DER -noout -subject -nameopt multiline | sed -n 's/^ *serialNumber *= *//p')
VPCSC_EUICC_PKI=$PKI card_start vicc "$VICC" -t euicc
check "pcscd starts" pcscd_start 2
check "the euicc is present" reader_wait "Virtual PCD 00 00" present 8000
expect_match "its ATR offers T=0" '3B 9F 96 80 1F' "$(pcsc_tool atr -r "Virtual PCD 00 00" 2>&1)"
pyscard() {
    while IFS= read -r line; do
        case $line in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) not_ok "${line#not ok - }" ;;
            "#"*) echo "$line" ;;
            *) echo "# $line" ;;
        esac
    done < <(timeout -k 2 30 /usr/bin/python3 "$top_srcdir/tests/euicc/euicc-pyscard.py" "Virtual PCD 00 00" "$EID" "$@" 2>&1)
}
pyscard
check "vicc is still running" card_running vicc
card_stop vicc TERM
check "vicc -t euicc has left the reader" reader_wait "Virtual PCD 00 00" empty 8000

IMAGE=$PCSCD_WORK/euicc.json
/usr/bin/python3 "$top_srcdir/tests/euicc/euicc-pyscard.py" image "$IMAGE" "$EID"
VPCSC_EUICC_PKI=$PKI card_start vicc "$VICC" -t euicc -f "$IMAGE"
check "the euicc with two profiles is present" reader_wait "Virtual PCD 00 00" present 8000
pyscard profiles
card_stop vicc TERM
check "the image is still private (0600)" test "$(stat -c %a "$IMAGE")" = 600
check "vicc -f has left the reader" reader_wait "Virtual PCD 00 00" empty 8000
VPCSC_EUICC_PKI=$PKI card_start vicc "$VICC" -f "$IMAGE"
check "restarted from the image (its type)" reader_wait "Virtual PCD 00 00" present 8000
pyscard persisted
check "vicc is still running" card_running vicc
card_stop vicc TERM
tap_done
