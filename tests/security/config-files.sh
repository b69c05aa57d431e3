#!/bin/bash
# doc/security.md, "udev rules" and "reader.conf": the SIMtrace2 rules give every device they
# match to group plugdev with mode 0660 (never world, never another group, no RUN), and cover every
# USB id of the driver's Info.plist; the generated reader.conf has no active bind= (so ifd-vpcd
# stays on 127.0.0.1) and no reversed-mode entry connecting to another host.
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
RULES=$top_srcdir/udev/60-vpcsc-simtrace2.rules
PLIST=$top_builddir/ifd-simtrace/Info.plist
CONF=$top_builddir/reader.conf.d/vpcd
[ -f "$RULES" ] || tap_skip_all "no $RULES"
tap_plan 7

rules=$(grep -v '^[[:space:]]*#' "$RULES" | grep -v '^[[:space:]]*$')
assigning=$(grep -E 'MODE|GROUP|OWNER' <<<"$rules")
[ -n "$assigning" ] && ok "the rules assign permissions" || not_ok "the rules assign permissions"
expect_eq "every assignment is exactly GROUP=\"plugdev\", MODE=\"0660\"" "" \
    "$(grep -vE '^ATTR\{idProduct\}=="[0-9a-f]{4}", GROUP="plugdev", MODE="0660"$' <<<"$assigning")"
expect_eq "no OWNER, RUN, PROGRAM or TAG+=\"uaccess\"" "" "$(grep -E 'OWNER|RUN|PROGRAM|uaccess' <<<"$rules")"
expect_match "the rules only match vendor 1d50 (osmocom) USB devices" \
    'ATTR\{idVendor\}!="1d50", GOTO="vpcsc_simtrace2_end"' "$rules"
if [ -f "$PLIST" ]; then
    missing=
    for p in $(grep -oiE '<string>0x[0-9a-f]{4}</string>' "$PLIST" | sed -n 's/.*0x\([0-9a-fA-F]*\).*/\1/p' | tr A-F a-f | sort -u); do
        [ "$p" = 1d50 ] && continue
        grep -q "ATTR{idProduct}==\"$p\"" <<<"$rules" || missing+=" $p"
    done
    expect_eq "every product id of ifd-simtrace's Info.plist has a rule" "" "$missing"
else
    skip "Info.plist not generated ($PLIST)"
fi
if [ -f "$CONF" ]; then
    active=$(grep -v '^[[:space:]]*#' "$CONF")
    expect_eq "reader.conf: no active bind= option" "" "$(grep -i 'bind=' <<<"$active")"
    expect_eq "reader.conf: every active DEVICENAME is a listening one (/dev/null:PORT)" "" \
        "$(grep '^DEVICENAME' <<<"$active" | grep -vE '^DEVICENAME[[:space:]]+"?/dev/null:')"
else
    skip "reader.conf not generated ($CONF)"; skip "reader.conf not generated ($CONF)"
fi
tap_done
