#!/bin/bash
# OpenSC against our vicc (blank iso7816 card) through a real pcscd with our ifd-vpcd:
# opensc-tool -l/-a/-n/-s with exact bytes, and opensc-explorer scripts (OpenSC's "default"
# driver, as it does not know the ATR) that create, update, read, find and delete files, ask for
# random bytes and verify/change PIN 81; opensc-tool -s for GET CHALLENGE, RESET RETRY COUNTER
# and GENERATE ASYMMETRIC KEY PAIR into a new key of the blank card, MSE and PSO signing.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
. "$top_srcdir/tests/integration/iso7816-lib.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
[ -x "$VICC" ] || tap_skip_all "vicc not built"
command -v opensc-tool >/dev/null || tap_skip_all "opensc-tool not installed"
command -v opensc-explorer >/dev/null || tap_skip_all "opensc-explorer not installed"
pcscd_enter "$@"
tap_plan 30
R="Virtual PCD 00 00"

pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
vicc_start vicc
check "vicc (blank iso7816 card) is present" reader_wait "$R" present 8000

# opensc-tool -s prints "Received (SW1=0x90, SW2=0x00):" then hex+ASCII lines; keep the hex.
received() {
    awk '/^Received/ { sw = $0; sub(/.*SW1=0x/, "", sw); sub(/, SW2=0x/, " ", sw); sub(/\).*/, "", sw); next }
         /^Sending/ { if (sw != "") print out sw; out = ""; sw = ""; next }
         { for (i = 1; i <= NF && $i ~ /^[0-9A-F][0-9A-F]$/; i++) out = out $i " " }
         END { if (sw != "") print out sw }'
}
tool() { timeout -k 2 20 opensc-tool -r 0 "$@" 2>&1; }

expect_match "opensc-tool -l: reader 0 holds a card" '^0 +Yes +Virtual PCD 00 00$' "$(tool -l)"
expect_eq "opensc-tool -a: the iso7816 ATR" "3b:95:13:81:01:80:73:ff:01:00:0b" "$(tool -a | tail -1)"
expect_eq "opensc-tool -n: OpenSC's default driver names it 'Unsupported card'" "Unsupported card" \
    "$(tool -n | tail -1)"
expect_eq "opensc-tool -s SELECT MF, FCP: 62 0A 82 01 38 83 02 3F 00 8A 01 05 90 00" \
    "62 0A 82 01 38 83 02 3F 00 8A 01 05 90 00" "$(tool -s '00 A4 00 04 02 3F 00 00' | received)"
expect_eq "opensc-tool -s SELECT MF, FCI: 6F 0A ... 90 00" \
    "6F 0A 82 01 38 83 02 3F 00 8A 01 05 90 00" "$(tool -s '00 A4 00 00 02 3F 00 00' | received)"
expect_eq "opensc-tool -s: CREATE EF 2F01 (8 bytes), UPDATE, READ in one session" \
    "90 00
90 00
00 00 11 22 00 00 00 00 90 00" \
    "$(tool -s '00 E0 00 00 0C 62 0A 82 01 01 83 02 2F 01 80 01 08' -s '00 D6 00 02 02 11 22' \
            -s '00 B0 00 00 08' | received)"
expect_eq "opensc-tool -s: DELETE EF 2F01, then it is gone (6A 82)" "90 00
6A 82" "$(tool -s '00 E4 00 00 02 2F 01' -s '00 A4 00 0C 02 2F 01' | received)"

# opensc-explorer, one script per point.
out=$(opensc_explorer 'create 5015 32
info 5015')
expect_match "explorer create 5015 32 / info: a 32-byte transparent EF" \
    'Working Elementary File  ID 5015.*File size: +32 bytes.*EF structure: +Transparent' "$(tr '\n' ' ' <<<"$out")"
out=$(opensc_explorer 'update_binary 5015 0 "hello"
cat 5015')
expect_match "explorer update_binary 5015 0 \"hello\" then cat" \
    '00000000: 68 65 6C 6C 6F 00 00 00 00 00 00 00 00 00 00 00 hello\.+' "$out"
out=$(opensc_explorer 'update_binary 5015 16 41:42:43
cat 5015')
expect_match "explorer update_binary at offset 16 with hex data" \
    '00000010: 41 42 43 00 00 00 00 00 00 00 00 00 00 00 00 00 ABC\.+' "$out"
out=$(opensc_explorer 'mkdir 5000 0
cd 5000
create 4001 8
update_binary 4001 2 "xy"
cat 4001')
expect_match "explorer mkdir 5000, cd 5000, create 4001, update, cat" '00000000: 00 00 78 79 00 00 00 00 \.\.xy\.\.\.\.' "$out"
out=$(opensc_explorer 'cd 5000
info')
expect_match "explorer cd 5000 / info: a DF with path 3F00/5000" 'Dedicated File  ID 5000.*File path: +3F00/5000 ' \
    "$(tr '\n' ' ' <<<"$out")"
out=$(opensc_explorer 'cd 5000
cd ..
info')
expect_match "explorer cd .. returns to the MF" 'Dedicated File  ID 3F00' "$out"
out=$(opensc_explorer 'find 4FF0 5020')
expect_match "explorer find 4FF0 5020 (ls by probing) lists 5000 (DF) and 5015 (EF, 32 bytes)" \
    '\[5000\][[:space:]]+DF +0 .* 5015[[:space:]]+wEF +32 ' "$(tr '\n' ' ' <<<"$out")"
out=$(opensc_explorer 'ls')
expect_match "explorer ls: the default driver has no list command (a clean error, not a crash)" \
    'Unable to receive file listing: Not supported' "$out"
out=$(opensc_explorer 'rm 5015
cat 5015')
expect_match "explorer rm 5015, then cat: File not found" 'unable to select file: File not found' "$out"
out=$(opensc_explorer 'cd 5000
rm 4001
cd ..
rm 5000
cd 5000')
expect_match "explorer rm of an EF in a DF and of the (now empty) DF" 'File not found' "$out"

# Security: GET CHALLENGE, VERIFY, CHANGE REFERENCE DATA through opensc-explorer.
expect_match "explorer random 8: 8 bytes" '^00000000:( [0-9A-F]{2}){8} ' "$(opensc_explorer 'random 8')"
expect_match "explorer verify CHV129 (PIN 81) with a wrong PIN: 2 tries left" 'Incorrect code, 2 tries left' \
    "$(opensc_explorer 'verify CHV129 "9999"')"
expect_match "explorer verify CHV129 \"1234\": Code correct" '^Code correct\.' \
    "$(opensc_explorer 'verify CHV129 "1234"')"
expect_match "explorer change CHV129 \"1234\" \"5678\": PIN changed" '^PIN changed\.' \
    "$(opensc_explorer 'change CHV129 "1234" "5678"')"
expect_match "explorer verify CHV129 with the new PIN 5678" '^Code correct\.' \
    "$(opensc_explorer 'verify CHV129 "5678"')"

# Raw security commands with opensc-tool -s on the blank card (no keys, PIN 81 without a PUK).
out=$(tool -s '00 84 00 00 08' -s '00 84 01 00 08' | received)
expect_match "opensc-tool -s GET CHALLENGE 8: 8 bytes 90 00; P1=01: 6A 86" \
    '^([0-9A-F]{2} ){8}90 00 6A 86$' "$(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
expect_eq "opensc-tool -s RESET RETRY COUNTER of PIN 81 (no PUK): 69 84; absent PIN 83: 6A 88" "69 84
6A 88" "$(tool -s '00 2C 03 81' -s '00 2C 03 83' | received)"
expect_eq "opensc-tool -s GENERATE without a key or algorithm: 6A 88; unknown algorithm: 6A 80" "6A 88
6A 80" "$(tool -s '00 46 00 21 00' -s '00 47 80 21 05 B6 03 80 01 77 00' | received)"
# GENERATE EC P-256 into the new key 21 (DO 80 = 10, ECDSA r||s), MSE SET DST, then sign a hash.
out=$(tool -s '00 47 80 00 08 B6 06 80 01 10 84 01 21 00' -s '00 22 41 B6 06 80 01 10 84 01 21' \
           -s '00 2A 9E 9A 20 BA 78 16 BF 8F 01 CF EA 41 41 40 DE 5D AE 22 23 B0 03 61 A3 96 17 7A 9C B4 10 FF 61 F2 00 15 AD 00' \
           -s '00 47 81 21 00' | received)
expect_match "opensc-tool -s GENERATE EC P-256 into a new key 21 (7F 49 43 86 41 04 ...), MSE SET 90 00, PSO sign: 64 bytes" \
    '^7F 49 43 86 41 04 ([0-9A-F]{2} ){64}90 00 90 00 ([0-9A-F]{2} ){64}90 00 7F 49 43 86 41 04' \
    "$(tr '\n' ' ' <<<"$out")"
gen=$(sed -n 1p <<<"$out"); back=$(sed -n 4p <<<"$out")
expect_eq "opensc-tool -s GENERATE P1=81 reads the generated public key back" "$gen" "$back"
check "vicc is still running" card_running vicc
tap_done
