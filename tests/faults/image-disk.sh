#!/bin/bash
# vicc -f saving its card image on a full disk and on a read-only file system (a tmpfs of 256 KiB
# mounted in this test's private mount namespace). A change the disk cannot take: the card still
# answers (the change lives in memory), vicc logs one clear error and keeps running, the image on
# disk stays the last saved one (parses, old value), no temporary file is left; once space is
# back / the file system is writable again, the next command saves the image ("saved again").
# SIGKILL in the middle of saves is tests/integration/iso7816-persistence.sh.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
VICC=$top_builddir/vicc/vicc
[ -x "$VICC" ] || tap_skip_all "vicc not built"
pcscd_enter "$@"
PCSCD_DEBUG=0
tap_plan 22
R="Virtual PCD 00 00"
DISK=$PCSCD_WORK/disk IMG=$PCSCD_WORK/disk/card.json
PERSIST=$top_srcdir/tests/integration/iso7816-persist.py
image() { /usr/bin/python3 "$PERSIST" image "$IMG" 6001 2>&1 | cut -d' ' -f1; }
tx() { pcsc_tool transmit -r "$R" "$1" 2>&1; }
leftovers() { (cd "$DISK" && ls -A | grep '^\.card\.json\.tmp\.' || true); }
mkdir -p "$DISK"
check "a 256 KiB tmpfs for the image" mount -t tmpfs -o size=256k vpcsc-disk "$DISK"
pcscd_reader "Virtual PCD" "/dev/null:0x8C7B"
check "pcscd starts" pcscd_start 2
card_start vicc "$VICC" -v --trace -f "$IMG"
check "vicc -f (new image on the small disk) is present" reader_wait "$R" present 8000
check "CREATE EF 6001 and UPDATE BINARY 11 11 11 11" eval '
    transmit_expect "$R" 00E000000C620A82010183026001800104 "90 00" &&
    transmit_expect "$R" 00D600000411111111 "90 00"'
expect_eq "the image holds 11111111" 11111111 "$(image)"

# --- disk full ---
dd if=/dev/zero of="$DISK/fill" bs=4k >/dev/null 2>&1
check "the disk is full" eval '! dd if=/dev/zero of="$DISK/probe" bs=4k count=1 2>/dev/null'
rm -f "$DISK/probe"
expect_eq "disk full: UPDATE BINARY 22 22 22 22 still answers 90 00 (in memory)" "90 00" "$(tx 00D600000422222222)"
expect_eq "disk full: READ BINARY gives the new value" "22 22 22 22 90 00" "$(tx 00B0000004)"
check "disk full: vicc keeps running" card_running vicc
check "disk full: vicc logs a clear error" grep -q "cannot save the card image.*No space left on device" "$PCSCD_WORK/vicc.log"
expect_eq "disk full: the image on disk is the last saved one (parses, 11111111)" 11111111 "$(image)"
expect_eq "disk full: no temporary file left" "" "$(leftovers)"
tx 00D600000433333333 >/dev/null; tx 00B0000004 >/dev/null
expect_eq "disk full: the error is logged once, not once per command" 1 \
    "$(grep -c "cannot save the card image" "$PCSCD_WORK/vicc.log")"
rm -f "$DISK/fill"
tx 00B0000004 >/dev/null
expect_eq "space back: the next command saves the image (33333333)" 33333333 "$(image)"
check "space back: vicc logs that the image is saved again" grep -q "saved again" "$PCSCD_WORK/vicc.log"

# --- read-only file system ---
check "the disk remounted read-only" mount -o remount,ro "$DISK"
expect_eq "read-only: UPDATE BINARY 44 44 44 44 answers 90 00" "90 00" "$(tx 00D600000444444444)"
check "read-only: vicc keeps running and logs the error" eval \
    'card_running vicc && grep -q "cannot save the card image.*Read-only file system" "$PCSCD_WORK/vicc.log"'
expect_eq "read-only: the image on disk is the last saved one (33333333)" 33333333 "$(image)"
mount -o remount,rw "$DISK"
tx 00B0000004 >/dev/null
expect_eq "writable again: the next command saves the image (44444444)" 44444444 "$(image)"

# --- SIGTERM while the disk is full: a clean exit, the image stays whole ---
tx 00D600000455555555 >/dev/null
dd if=/dev/zero of="$DISK/fill" bs=4k >/dev/null 2>&1
tx 00D600000466666666 >/dev/null
card_stop vicc TERM
check "disk full at exit: SIGTERM still ends vicc" eval '! card_running vicc'
expect_eq "disk full at exit: the image is the last saved one (55555555), no temporary file" "55555555" \
    "$(image)$(leftovers)"
umount "$DISK"
tap_done
