#!/bin/bash
# doc/security.md, "Logs": at the most verbose level of every component (ifd-vpcd log=comm inside
# pcscd -d, vicc -vvvv --trace, vicc-smdpp -vv, vicc-lpa -vv), a flow that uses known secrets leaves
# none of them in any log, in hex (any case, any spacing) or ASCII: a PIN changed and verified on
# an iso7816 card, a usim's Ki/OPc given on the command line and used by AUTHENTICATE, and a DEMO
# profile downloaded into vicc -t euicc (its K, OPc, PIN1, PIN2, ADM1) with the test PKI's private
# keys (PEM text and raw scalar). Positive controls show each log really holds the APDU dumps.
# pcscd's own -a (APDU log) is not used: that is pcscd's feature and logs APDUs in clear.
: "${PCSCD_TEST_TIMEOUT:=150}"
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
SMDPP=$top_builddir/smdpp/vicc-smdpp
LPA=$top_builddir/lpa/vicc-lpa
PKI=$top_builddir/vicc/euicc/pki/nist
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
for p in "$VICC" "$SMDPP" "$LPA"; do [ -x "$p" ] || tap_skip_all "$(basename "$p") not built"; done
[ -f "$PKI/ci.pem" ] || tap_skip_all "no test PKI ($PKI)"
/usr/bin/python3 -c 'import smartcard.System' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
command -v jq >/dev/null || tap_skip_all "jq not installed"
pcscd_enter "$@"
tap_plan 13

NEW_PIN=73916482
KI=8F1E2D3C4B5A69788796A5B4C3D2E1F0
OPC=0F1E2D3C4B5A69788796A5B4C3D2E1F1
DEMO_K=465B5CE8B199B49FAA5F0A2EE238A6BC
DEMO_OPC=CD63CB71954A9F4E48A5994E37A02BAF

# pcscd -d (our driver's messages) without -a.
pcscd_start_quiet_apdus() { PCSCD_DEBUG=0 PCSCD_FLAGS=-d pcscd_start 3; }
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B;slots=3;log=comm"
check "pcscd -d with ifd-vpcd at log=comm, 3 slots" pcscd_start_quiet_apdus

# apdus READER HEX...: one connection, each APDU's answer printed; fails unless each ends in 90 00 / 61 xx.
apdus() {
    /usr/bin/python3 - "$@" <<'PY'
import sys
from smartcard.System import readers
r = [x for x in readers() if sys.argv[1] in str(x)][0]
c = r.createConnection(); c.connect()
for a in sys.argv[2:]:
    data, sw1, sw2 = c.transmit(list(bytes.fromhex(a)))
    print(bytes(data).hex().upper() + "%02X%02X" % (sw1, sw2))
    if sw1 not in (0x90, 0x61): sys.exit(1)
PY
}

card_start iso "$VICC" -vvvv --trace -P 35963
reader_wait "PCD 00 00" present 5000
pin_hex=$(printf %s "$NEW_PIN" | xxd -p | tr a-f A-F)
check "iso7816: VERIFY 1234, CHANGE REFERENCE DATA to $NEW_PIN, VERIFY $NEW_PIN" \
    apdus "PCD 00 00" 002000810431323334 "002400810C31323334$pin_hex" "0020008108$pin_hex"

card_start usim "$VICC" -t usim --ki "$KI" --opc "$OPC" -vvvv --trace -P 35964
reader_wait "PCD 00 01" present 5000
# TS 35.208 test set 1 RAND and AUTN, here under another K: the card answers 98 62 (MAC failure)
# after computing with Ki/OPc; the SELECT must succeed.
/usr/bin/python3 - <<'PY' >"$PCSCD_WORK/usim.out" 2>&1
from smartcard.System import readers
r = [x for x in readers() if "PCD 00 01" in str(x)][0]
c = r.createConnection(); c.connect()
for a in ["00A4040407A0000000871002", "008800812210" + "23553CBE9637A89D218AE64DAE47BF35" + "10" + "55F328B43577B9B94A9FFAC354DFAFB3"]:
    d, s1, s2 = c.transmit(list(bytes.fromhex(a)))
    print("%02X%02X" % (s1, s2))
PY
expect_match "usim: SELECT ADF.USIM and AUTHENTICATE answered" '^(90|61)..'$'\n''(9862|9000|61..|9F..)' "$(cat "$PCSCD_WORK/usim.out")"

card_start euicc "$VICC" -t euicc -vvvv --trace -P 35965
reader_wait "PCD 00 02" present 8000
card_start smdpp "$SMDPP" -vv
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null && break; sleep 0.05; done
out=$(timeout -k 2 60 "$LPA" -vv -r "Virtual PCD 00 02" download -s 127.0.0.1:8443 -m DEMO 2>"$PCSCD_WORK/lpa.log")
expect_eq "euicc: vicc-lpa downloads DEMO from vicc-smdpp" 0 "$(printf %s "$out" | jq .payload.code 2>/dev/null)"
card_stop smdpp; card_stop euicc; card_stop usim; card_stop iso

# Every log, normalised: upper case, no whitespace, no ':' (hex in any spacing or case).
logs=("$PCSCD_WORK"/*.log)
norm=$(cat "${logs[@]}" | tr -d ' \t\r\n:' | tr a-f A-F)
raw=$(cat "${logs[@]}")
expect_match "control: ifd-vpcd dumped the CHANGE REFERENCE DATA header, data masked" '002400810C\*\*' \
    "$(tr -d ' \t\r\n:' <"$PCSCD_WORK/pcscd.log" | tr a-f A-F)"
expect_match "control: vicc --trace dumped it too, masked" '002400810C\*\*' "$(tr -d ' \t\r\n:' <"$PCSCD_WORK/iso.log" | tr a-f A-F)"
expect_match "control: the usim's trace shows AUTHENTICATE with its RAND" '0088008122' "$(tr -d ' \t\r\n:' <"$PCSCD_WORK/usim.log" | tr a-f A-F)"
expect_match "control: vicc-lpa -vv dumped ES10 APDUs" 'BF38' "$(tr -d ' \t\r\n:' <"$PCSCD_WORK/lpa.log" | tr a-f A-F)"

# The secrets, hex (normalised) and ASCII.
hex_secrets=("$pin_hex" 002000810431323334 31323334FFFFFFFF 35363738FFFFFFFF 3838383838383838 "$KI" "$OPC" "$DEMO_K" "$DEMO_OPC")
ascii_secrets=("$NEW_PIN" 88888888)
key_forms=()
for k in "$PKI"/*.key; do
    key_forms+=("$(sed -n 2p "$k")")   # the PEM's first base64 line
    key_forms+=("$(openssl pkey -in "$k" -noout -text 2>/dev/null | sed -n '/^priv:/,/^pub:/p' | sed '1d;$d' | tr -d ' :\n' | tr a-f A-F)")
done
[[ $norm == *23553CBE9637A89D218AE64DAE47BF35* ]] && ok "control: the same search finds the AUTHENTICATE RAND (not a secret)" ||
    not_ok "control: the same search finds the AUTHENTICATE RAND (not a secret)"
found=
for s in "${hex_secrets[@]}"; do [[ $norm == *"$s"* ]] && found+=" hex:$s"; done
expect_eq "no PIN, ADM, Ki or OPc in hex in any log" "" "$found"
found=
for s in "${ascii_secrets[@]}"; do grep -qF -- "$s" <<<"$raw" && found+=" $s"; done
expect_eq "no PIN or ADM in ASCII in any log" "" "$found"
found=
for s in "${key_forms[@]}"; do
    [ ${#s} -ge 32 ] || continue
    { grep -qF -- "$s" <<<"$raw" || [[ $norm == *"$s"* ]]; } && found+=" ${s:0:12}..."
done
expect_eq "no private key (PEM line or raw scalar) of the PKI in any log" "" "$found"
expect_eq "and never a PEM private key block" 0 "$(grep -c 'PRIVATE KEY' <<<"$raw")"
tap_done
