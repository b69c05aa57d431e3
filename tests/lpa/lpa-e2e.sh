#!/bin/bash
# The whole SGP.22 flow through real processes in a private pcscd: vicc -t euicc behind ifd-vpcd,
# vicc-smdpp over HTTPS, and vicc-lpa between them (ES10 over PC/SC as lpac drives it, ES9+ with the
# SM-DP+'s TLS chain verified against the test CI). For EACH TS.48 package (copied at test time
# into a profile directory as <matchingId>.der; SKIP when the packages are absent): download,
# listed disabled, install notification listed, enable, card reset, then pyscard reads EF.IMSI
# through ADF.USIM and runs AUTHENTICATE whose RES/CK/IK lpa-e2e.py computes from the package's
# own K (TS 34.108 test algorithm, or Milenage), notification delivered (handleNotification 204)
# and removed, disable, delete. Then one package on brainpoolP256r1, and refusals: unknown
# matchingId, wrong/missing confirmation code, an SM-DP+ certificate from another CI.
: "${PCSCD_TEST_TIMEOUT:=400}"
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
SMDPP=$top_builddir/smdpp/vicc-smdpp
LPA=$top_builddir/lpa/vicc-lpa
HELPER=$top_srcdir/tests/lpa/lpa-e2e.py
NIST=$top_builddir/vicc/euicc/pki/nist
BRP=$top_builddir/vicc/euicc/pki/brp
TS48=${VPCSC_TS48_DIR:-$top_srcdir/../shared/data/ts48-upp}
READER="Virtual PCD 00 00"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
for p in "$VICC" "$SMDPP" "$LPA"; do [ -x "$p" ] || tap_skip_all "$(basename "$p") not built"; done
[ -f "$NIST/ci.pem" ] && [ -f "$BRP/ci.pem" ] || tap_skip_all "test PKI not built ($NIST, $BRP)"
command -v jq >/dev/null || tap_skip_all "jq not installed"
/usr/bin/python3 -c 'import smartcard.System, Cryptodome' 2>/dev/null || tap_skip_all "python3-pyscard / pycryptodome not installed"
pcscd_enter "$@"

PACKAGES=()
if [ -d "$TS48" ]; then for f in "$TS48"/*.der; do [ -f "$f" ] && PACKAGES+=("$f"); done; fi
PER_PACKAGE=19
tap_plan $((6 + PER_PACKAGE * ${#PACKAGES[@]} + 1 + PER_PACKAGE + 2 + PER_PACKAGE + 12 + 12))
[ ${#PACKAGES[@]} -gt 0 ] || diag "no TS.48 packages in $TS48 (VPCSC_TS48_DIR): their points are not run"

# Profiles are served from a temporary directory, never from the source tree.
PROFILES=$PCSCD_WORK/profiles
mkdir -p "$PROFILES"
for f in "${PACKAGES[@]}"; do cp "$f" "$PROFILES/$(basename "$f")"; done

lpa() { timeout -k 2 60 "$LPA" -r "$READER" "$@" 2>>"$PCSCD_WORK/lpa.log"; }
# jqc JSON FILTER: the filter's value, compact.
jqc() { local j=$1; shift; printf "%s" "$j" | jq -cS "$@" 2>/dev/null; }  # keys sorted
smdpp_wait() {  # PORT: until it accepts connections
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
    return 1
}
start_card() {  # PKI
    VPCSC_EUICC_PKI=$1 card_start vicc "$VICC" -t euicc
    reader_wait "$READER" present 8000
}

# lifecycle MATCHINGID PACKAGE|"info:ICCID IMSI ALG K OPC PINS" CA|"" PORT [LABEL]: the whole life of
# one profile (PER_PACKAGE points). Without a CA, vicc-lpa's default (the default test PKI's CIs).
lifecycle() {
    local mid=$1 pkg=$2 port=$4 tag=${5:-$1} out iccid seq info imsi alg k opc pins n line
    local ca=(); [ -z "$3" ] || ca=(--ca "$3")
    case $pkg in
        info:*) info=${pkg#info:} ;;
        *) info=$(/usr/bin/python3 "$HELPER" upp "$pkg") ;;
    esac
    read -r iccid imsi alg k opc pins <<<"$info"
    out=$(lpa "${ca[@]}" download -s "127.0.0.1:$port" -m "$mid")
    expect_eq "$tag: download succeeds" 0 "$(jqc "$out" .payload.code)"
    expect_eq "$tag: the installed ICCID is the package's" "\"$iccid\"" "$(jqc "$out" .payload.data.iccid)"
    seq=$(jqc "$out" .payload.data.seqNumber)
    out=$(lpa profile list)
    expect_eq "$tag: profile list shows it disabled" '"disabled"' \
        "$(jqc "$out" ".payload.data[] | select(.iccid == \"$iccid\") | .profileState")"
    out=$(lpa notification list)
    expect_eq "$tag: the install notification is pending for 127.0.0.1:$port" \
        "{\"iccid\":\"$iccid\",\"notificationAddress\":\"127.0.0.1:$port\",\"profileManagementOperation\":\"install\",\"seqNumber\":$seq}" \
        "$(jqc "$out" ".payload.data[] | select(.seqNumber == $seq)")"
    out=$(lpa profile enable "$iccid")
    expect_eq "$tag: enable" '{"code":0,"data":null,"message":"success"}' "$(jqc "$out" .payload)"
    out=$(lpa profile list)
    expect_eq "$tag: profile list shows it enabled" '"enabled"' \
        "$(jqc "$out" ".payload.data[] | select(.iccid == \"$iccid\") | .profileState")"
    # After a reset the card is the profile's USIM (5 points from the helper).
    n=0
    while IFS= read -r line; do
        case $line in
            "ok - "*) ok "$tag: ${line#ok - }"; n=$((n + 1)) ;;
            "not ok - "*) not_ok "$tag: ${line#not ok - }"; n=$((n + 1)) ;;
            *) diag "$line" ;;
        esac
    done < <(timeout -k 2 30 /usr/bin/python3 "$HELPER" usim "$READER" "$imsi" "$alg" "$k" "$opc" "$pins" 2>&1)
    while [ $n -lt 5 ]; do not_ok "$tag: USIM check did not run"; n=$((n + 1)); done
    out=$(lpa "${ca[@]}" notification process "$seq" --remove)
    expect_eq "$tag: the install notification is delivered (handleNotification 204) and removed" \
        "{\"notificationAddress\":\"127.0.0.1:$port\",\"profileManagementOperation\":\"install\",\"removed\":true,\"seqNumber\":$seq}" \
        "$(jqc "$out" '.payload.data[0]')"
    out=$(lpa notification list)
    expect_eq "$tag: it is no longer listed" "[0,null]" "$(jqc "$out" "[.payload.code, ([.payload.data[].seqNumber] | index($seq))]")"
    out=$(lpa profile disable "$iccid")
    expect_eq "$tag: disable" 0 "$(jqc "$out" .payload.code)"
    out=$(lpa profile delete "$iccid")
    expect_eq "$tag: delete" 0 "$(jqc "$out" .payload.code)"
    out=$(lpa profile delete "$iccid")
    expect_eq "$tag: deleting it again: iccidOrAidNotFound" \
        '{"code":-1,"data":{"reason":"iccidOrAidNotFound","result":1},"message":"es10c_delete_profile"}' "$(jqc "$out" .payload)"
    out=$(lpa profile list)
    expect_eq "$tag: profile list is empty" '[]' "$(jqc "$out" .payload.data)"
    # What enable/disable/delete queued (per the profile's notification configuration) is
    # delivered too; then nothing is pending.
    local rest
    out=$(lpa notification list)
    rest=$(jqc "$out" -r '[.payload.data[].seqNumber] | map(tostring) | join(" ")')
    if [ "$(jqc "$out" .payload.code)" != 0 ]; then
        not_ok "$tag: notification list fails"; diag "$out"
    elif [ -n "$rest" ]; then
        # shellcheck disable=SC2086
        out=$(lpa "${ca[@]}" notification process $rest --remove)
        expect_eq "$tag: the other notifications ($rest) are delivered and removed" \
            "true" "$(jqc "$out" '[.payload.data[].removed] | all and (length > 0)')"
    else
        ok "$tag: no other notifications queued"
    fi
    expect_eq "$tag: no notification left" '[]' "$(jqc "$(lpa notification list)" .payload.data)"
}

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
check "vicc -t euicc (NIST PKI) is present" start_card "$NIST"
SMDPP_ARGS=(-H 127.0.0.1 -p 8443 --pki "$NIST" -d "$PROFILES")
card_start smdpp "$SMDPP" "${SMDPP_ARGS[@]}"
check "vicc-smdpp listens on 127.0.0.1:8443" smdpp_wait 8443
out=$(lpa chip-info)
EID=$(openssl x509 -in "$NIST/euicc.der" -inform DER -noout -subject -nameopt multiline | sed -n 's/^ *serialNumber *= *//p')
expect_eq "chip-info: the EID of the test PKI's eUICC certificate" "\"$EID\"" "$(jqc "$out" .payload.data.eidValue)"
out=$(timeout -k 2 60 "$LPA" -r 0 --mss 6 chip-info 2>>"$PCSCD_WORK/lpa.log")
expect_eq "chip-info by reader index, in 6-byte STORE DATA blocks" "\"$EID\"" "$(jqc "$out" .payload.data.eidValue)"
out=$(timeout -k 2 60 "$LPA" -r "no such reader" chip-info 2>>"$PCSCD_WORK/lpa.log"); rc=$?
expect_eq "an unknown reader: exit 1 at connect" '[1,"connect"]' "[$rc,$(jqc "$out" .payload.message)]"

for f in "${PACKAGES[@]}"; do lifecycle "$(basename "$f" .der)" "$f" "$NIST/ci.pem" 8443; done

# DEMO with everything default: vicc-smdpp without options (127.0.0.1:8443, the default test PKI,
# the built-in DEMO profile), vicc-lpa without --ca. DEMO's values (saip.hpp): ICCID
# 8900101234567890120, IMSI 001010123456789, Milenage with TS 35.208 test set 1, PIN1 1234.
card_stop smdpp
card_start smdpp "$SMDPP"
check "vicc-smdpp with no options listens on 127.0.0.1:8443" smdpp_wait 8443
lifecycle DEMO "info:8900101234567890120 001010123456789 milenage 465b5ce8b199b49faa5f0a2ee238a6bc cd63cb71954a9f4e48a5994e37a02baf 01:31323334ffffffff:07" "" 8443

# brainpoolP256r1: another eUICC and SM-DP+ on the brainpool PKI (DPtls stays P-256).
card_stop vicc
card_stop smdpp
check "vicc -t euicc (brainpool PKI) is present" start_card "$BRP"
card_start smdpp "$SMDPP" -H 127.0.0.1 -p 8444 --pki "$BRP" -d "$PROFILES"
check "vicc-smdpp (brainpool) listens on 127.0.0.1:8444" smdpp_wait 8444
if [ ${#PACKAGES[@]} -gt 0 ]; then
    lifecycle "$(basename "${PACKAGES[0]}" .der)" "${PACKAGES[0]}" "$BRP/ci.pem" 8444 "brainpool $(basename "${PACKAGES[0]}" .der)"
else
    for _ in $(seq $PER_PACKAGE); do skip "brainpool: no TS.48 package"; done
fi

# Refusals (12 points), on the brainpool pair.
out=$(lpa --ca "$BRP/ci.pem" download -s 127.0.0.1:8444 -m NO-SUCH-PROFILE); rc=$?
expect_eq "unknown matchingId: vicc-lpa exits 1" 1 "$rc"
expect_eq "unknown matchingId: authenticateClient refused with 8.2.6 / 3.8" \
    '["es9p_authenticate_client","8.2.6","3.8"]' "$(jqc "$out" '[.payload.message, .payload.data.subjectCode, .payload.data.reasonCode]')"
expect_eq "nothing was installed" '[]' "$(jqc "$(lpa profile list)" .payload.data)"
out=$(lpa --ca "$NIST/ci.pem" download -s 127.0.0.1:8444 -m NO-SUCH-PROFILE); rc=$?
expect_eq "an SM-DP+ whose TLS certificate is from another CI: refused before any ES9+ call" \
    '[1,"es9p_initiate_authentication"]' "[$rc,$(jqc "$out" .payload.message)]"
expect_match "... and the reason is the TLS verification" "SSLServerVerification" "$(jqc "$out" -r .payload.data.detail)"
card_stop smdpp
card_start smdpp "$SMDPP" -H 127.0.0.1 -p 8445 --pki "$BRP" -d "$PROFILES" --confirmation-code 4711
check "vicc-smdpp with a confirmation code listens on 127.0.0.1:8445" smdpp_wait 8445
MID=$( [ ${#PACKAGES[@]} -gt 0 ] && basename "${PACKAGES[0]}" .der || echo DEMO)
out=$(lpa --ca "$BRP/ci.pem" download -s 127.0.0.1:8445 -m "$MID"); rc=$?
expect_eq "confirmation code required but not given: refused before PrepareDownload, session cancelled" \
    '[1,"es10b_prepare_download",true]' "[$rc,$(jqc "$out" '.payload.message, .payload.data.cancelled' | paste -sd,)]"
out=$(lpa --ca "$BRP/ci.pem" download -s 127.0.0.1:8445 -m "$MID" -c 1234); rc=$?
expect_eq "wrong confirmation code: getBoundProfilePackage refused with 8.2.7 / 3.8" \
    '[1,"es9p_get_bound_profile_package","8.2.7","3.8"]' \
    "[$rc,$(jqc "$out" '.payload.message, .payload.data.subjectCode, .payload.data.reasonCode' | paste -sd,)]"
expect_eq "still nothing installed" '[]' "$(jqc "$(lpa profile list)" .payload.data)"
out=$(lpa --ca "$BRP/ci.pem" download -s 127.0.0.1:8445 -m "$MID" -c 4711)
expect_eq "the right confirmation code: installed" 0 "$(jqc "$out" .payload.code)"
out=$(lpa profile delete "$(jqc "$out" -r .payload.data.iccid)")
expect_eq "... and deleted" 0 "$(jqc "$out" .payload.code)"

# Activation codes (SGP.22 §4.1) and the eUICC's default SM-DP+ address (12 points), same pair.
# The test PKI's DPauth names SM-DP+ OID 2.999.10 (make-test-pki.sh).
out=$(lpa --ca "$BRP/ci.pem" download -a "LPA:1\$127.0.0.1:8445\$$MID\$2.999.10\$1"); rc=$?
expect_eq "activation code with the confirmation code flag, no -c: refused before any call" \
    '[1,"download"]' "[$rc,$(jqc "$out" .payload.message)]"
out=$(lpa --ca "$BRP/ci.pem" download -a "LPA:1\$127.0.0.1:8445\$$MID\$2.999.99" -c 4711); rc=$?
expect_eq "activation code naming another SM-DP+ OID: refused after AuthenticateServer, session cancelled" \
    '[1,"es10b_authenticate_server",true]' "[$rc,$(jqc "$out" '.payload.message, .payload.data.cancelled' | paste -sd,)]"
out=$(lpa --ca "$BRP/ci.pem" download -a "2\$127.0.0.1:8445\$$MID"); rc=$?
expect_eq "activation code of an unknown format: refused" '[1,"download"]' "[$rc,$(jqc "$out" .payload.message)]"
out=$(lpa --ca "$BRP/ci.pem" download -a "LPA:1\$127.0.0.1:8445\$$MID\$2.999.10\$1" -c 4711)
expect_eq "activation code LPA:1\$127.0.0.1:8445\$$MID\$2.999.10\$1 with -c: installed" 0 "$(jqc "$out" .payload.code)"
out=$(lpa profile delete "$(jqc "$out" -r .payload.data.iccid)")
expect_eq "... and deleted" 0 "$(jqc "$out" .payload.code)"
out=$(lpa default-smdp 127.0.0.1:8445)
expect_eq "default-smdp sets the eUICC's default SM-DP+ (SetDefaultDpAddress)" 0 "$(jqc "$out" .payload.code)"
expect_eq "chip-info shows it" '"127.0.0.1:8445"' "$(jqc "$(lpa chip-info)" .payload.data.EuiccConfiguredAddresses.defaultDpAddress)"
out=$(lpa --ca "$BRP/ci.pem" download -m "$MID" -c 4711)
expect_eq "download without -s goes to the default SM-DP+" 0 "$(jqc "$out" .payload.code)"
out=$(lpa profile delete "$(jqc "$out" -r .payload.data.iccid)")
expect_eq "... and deleted" 0 "$(jqc "$out" .payload.code)"
# Neither -s nor -m: the default SM-DP+ serves the profile ordered for this eUICC's EID.
if [ ${#PACKAGES[@]} -gt 0 ]; then
    BRP_EID=$(openssl x509 -in "$BRP/euicc.der" -inform DER -noout -subject -nameopt multiline | sed -n 's/^ *serialNumber *= *//p')
    mkdir -p "$PROFILES/by-eid" && cp "${PACKAGES[0]}" "$PROFILES/by-eid/$BRP_EID.der"
    read -r iccid _ <<<"$(/usr/bin/python3 "$HELPER" upp "${PACKAGES[0]}")"
    out=$(lpa --ca "$BRP/ci.pem" download -c 4711)
    expect_eq "download with neither -s nor -m: the profile ordered for the EID (by-eid/<EID>.der)" \
        "[0,\"$iccid\"]" "[$(jqc "$out" '.payload.code, .payload.data.iccid' | paste -sd,)]"
    out=$(lpa profile delete "$iccid")
    expect_eq "... and deleted" 0 "$(jqc "$out" .payload.code)"
else
    skip "by-eid download: no TS.48 package"; skip "by-eid delete: no TS.48 package"
fi
lpa default-smdp "" >/dev/null
out=$(lpa --ca "$BRP/ci.pem" download -m "$MID" -c 4711); rc=$?
expect_eq "without -s and with no default SM-DP+: refused" '[1,"es10a_get_euicc_configured_addresses"]' "[$rc,$(jqc "$out" .payload.message)]"
check "vicc and vicc-smdpp are still running" eval 'card_running vicc && card_running smdpp'
card_stop smdpp
card_stop vicc
tap_done
