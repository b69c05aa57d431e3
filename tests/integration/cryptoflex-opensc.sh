#!/bin/bash
# OpenSC 0.23's flex driver against vicc's cryptoflex card through a private pcscd and our
# ifd-vpcd: identification, opensc-explorer, the whole pkcs15-init life (-C, -P, -G rsa/1024 and
# rsa/2048, -E), pkcs15-tool, pkcs11-tool, cryptoflex-tool, and the RSA operation OpenSC cannot
# send itself (cryptoflex-rsa.py, checked with openssl). The card image keeps the keys across a
# vicc restart. OpenSC 0.23 disables the flex driver by default: OPENSC_CONF enables it.
: "${PCSCD_TEST_TIMEOUT:=300}"
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built ($VICC)"
for tool in opensc-tool opensc-explorer pkcs15-init pkcs15-tool pkcs11-tool cryptoflex-tool openssl; do
    command -v $tool >/dev/null || tap_skip_all "$tool not installed"
done
/usr/bin/python3 -c 'import smartcard.System' 2>/dev/null || tap_skip_all "python3-pyscard not installed"
PKCS11_MODULE=$(for m in /usr/lib/*/opensc-pkcs11.so /usr/lib/opensc-pkcs11.so; do [ -f "$m" ] && echo "$m" && break; done)
[ -n "$PKCS11_MODULE" ] || tap_skip_all "opensc-pkcs11.so not found"
pcscd_enter "$@"
tap_plan 60

R="Virtual PCD 00 00"
SO="--so-pin 87654321 --so-puk 12345678"
export OPENSC_CONF=$PCSCD_WORK/opensc.conf
printf 'app default {\n  card_drivers = old, internal;\n}\n' >"$OPENSC_CONF"
IMAGE=$PCSCD_WORK/cryptoflex.json

start_card() { card_start cryptoflex "$VICC" -t cryptoflex -f "$IMAGE" -P $VPCD_PORT --trace; }
# run DESCRIPTION COMMAND...: the command must succeed; its output is kept in $OUT.
run() {
    local desc=$1; shift
    if OUT=$(timeout -k 2 60 "$@" 2>&1); then ok "$desc"; else not_ok "$desc"; printf '%s\n' "$OUT" | sed 's/^/#   /' | tail -25; fi
}
explorer() { printf '%s\n' "$@" >"$PCSCD_WORK/explorer.txt"; timeout -k 2 30 opensc-explorer -r 0 "$PCSCD_WORK/explorer.txt" 2>&1; }
rsa_points() {
    local line
    while IFS= read -r line; do
        case $line in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) not_ok "${line#not ok - }" ;;
            *) diag "$line" ;;
        esac
    done < <(timeout -k 2 60 /usr/bin/python3 "$top_srcdir/tests/integration/cryptoflex-rsa.py" "$R" "$@" 2>&1)
}

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
start_card
check "vicc cryptoflex seen present" reader_wait "$R" present 10000

# Identification (reference notes §1.1, §1.3).
run "opensc-tool -n" opensc-tool -r 0 -n
expect_eq "opensc-tool -n names the Cryptoflex 32K e-gate" "Cryptoflex 32K e-gate" "$OUT"
run "opensc-tool --serial" opensc-tool -r 0 --serial
expect_match "--serial shows the 8 bytes of EF 0002" '^([0-9A-F]{2} ){8}' "$OUT"

# opensc-explorer on the blank card.
OUT=$(explorer "ls" "info 0002" "cat 0002" "random 8")
expect_match "explorer ls lists 0002 and 0011" '0002.*wEF.*8' "$OUT"
expect_match "explorer ls lists 0011" '0011' "$OUT"
expect_match "explorer info 0002 shows an 8-byte transparent EF" 'File size:[[:space:]]+8 bytes' "$OUT"
expect_match "explorer info 0002 shows the ACLs of the header nibbles" 'ACL for UPDATE:[[:space:]]+NEVR' "$OUT"
expect_match "explorer random 8 prints random bytes" '00000000: ([0-9A-F]{2} ){8}' "$OUT"

# Personalisation (reference notes §1.8).
run "pkcs15-init -C (SO PIN and PUK)" pkcs15-init -r 0 -T -C $SO --label vpcsc
run "pkcs15-init -P (user PIN 1234, PUK 123456)" pkcs15-init -r 0 -T -P -a 01 --pin 1234 --puk 123456 $SO --label user
run "pkcs15-init -G rsa/1024" pkcs15-init -r 0 -T -G rsa/1024 -a 01 --id 45 --pin 1234 $SO --label key1024
run "pkcs15-tool -D" pkcs15-tool -r 0 -D
expect_match "pkcs15-tool -D shows the 1024-bit private key" 'ModLength[[:space:]]+: 1024' "$OUT"
expect_match "pkcs15-tool -D shows the user PIN" 'user' "$OUT"
run "pkcs15-tool --read-public-key 45" pkcs15-tool -r 0 --read-public-key 45 -o "$PCSCD_WORK/pub45.pem"
expect_match "the public key is a 1024-bit RSA key" 'Public-Key: \(1024 bit\)' \
    "$(openssl pkey -pubin -in "$PCSCD_WORK/pub45.pem" -noout -text 2>&1)"
OUT=$(explorer "cd 5015" "ls" "cd 4B01" "ls" "cd 3000" "ls")
expect_match "explorer cd/ls shows the key files 0012 and 1012" '0012.*326' "$OUT"
diag "$(printf '%s\n' "$OUT" | grep -E '^ *\[?[0-9A-F]{4}' | tr '\n' ' ')"
run "cryptoflex-tool -l" cryptoflex-tool -r 0 -a 50154B013000 -l
expect_match "cryptoflex-tool -l lists key 1 of 1024 bits" 'Key 1 -- Modulus length 1024' "$OUT"
rsa_points "$PCSCD_WORK/pub45.pem" 1024 0 5015 4B01 3000

# PIN management.
run "pkcs15-tool --change-pin" pkcs15-tool -r 0 --change-pin --auth-id 01 --pin 1234 --new-pin 5678
OUT=$(timeout 30 pkcs15-tool -r 0 --verify-pin --auth-id 01 --pin 1234 2>&1)
expect_match "the old PIN is refused" 'incorrect|failed' "$OUT"
run "pkcs15-tool --unblock-pin resets the PIN" pkcs15-tool -r 0 --unblock-pin --auth-id 01 --puk 123456 --new-pin 1234
OUT=$(timeout 30 pkcs15-tool -r 0 --verify-pin --auth-id 01 --pin 0000 2>&1)
expect_match "a wrong PIN is reported as incorrect" 'incorrect|failed' "$OUT"
rsa_points "$PCSCD_WORK/pub45.pem" 1024 0 5015 4B01 3000 --wrong-pin

# PKCS#11.
run "pkcs11-tool -L" pkcs11-tool --module "$PKCS11_MODULE" -L
expect_match "pkcs11-tool -L shows the token" 'token label[[:space:]]+: vpcsc' "$OUT"
run "pkcs11-tool --login -O" pkcs11-tool --module "$PKCS11_MODULE" --login --pin 1234 -O
expect_match "pkcs11-tool -O lists the private key" 'Private Key Object; RSA' "$OUT"
expect_match "pkcs11-tool -O lists the public key" 'Public Key Object; RSA 1024 bits' "$OUT"

# A 2048-bit key (CLA 10/00 chaining for the RSA operation).
run "pkcs15-init -G rsa/2048" pkcs15-init -r 0 -T -G rsa/2048 -a 01 --id 46 --pin 1234 $SO --label key2048
run "pkcs15-tool --read-public-key 46" pkcs15-tool -r 0 --read-public-key 46 -o "$PCSCD_WORK/pub46.pem"
expect_match "the second public key is a 2048-bit RSA key" 'Public-Key: \(2048 bit\)' \
    "$(openssl pkey -pubin -in "$PCSCD_WORK/pub46.pem" -noout -text 2>&1)"
OUT=$(explorer "cd 5015" "cd 4B01" "ls")
KEYDF=$(printf '%s\n' "$OUT" | grep -oE '30[0-9A-F]{2}' | grep -v '^3000$' | head -1)
diag "2048-bit key DF: 4B01/${KEYDF:-?}"
rsa_points "$PCSCD_WORK/pub46.pem" 2048 0 5015 4B01 "${KEYDF:-3001}"

# The image keeps everything across a restart of vicc.
card_stop cryptoflex
check "slot empty after vicc stops" reader_wait "$R" empty 5000
start_card
check "vicc restarted from its image" reader_wait "$R" present 10000
rsa_points "$PCSCD_WORK/pub45.pem" 1024 0 5015 4B01 3000

# Erase.
run "pkcs15-init -E" pkcs15-init -r 0 -T -E $SO
OUT=$(explorer "ls")
expect_match "after -E the MF holds 0002 and 0011 again" '0011' "$OUT"
if printf '%s' "$OUT" | grep -q '5015'; then not_ok "5015 is gone after -E"; else ok "5015 is gone after -E"; fi
card_stop cryptoflex
tap_done
