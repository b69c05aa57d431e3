# Helpers shared by the iso7816-*.sh integration tests (source after tap.sh and pcscd.sh).
#
#   todo_not_ok DESC REASON     a failing point that is expected to fail for now (TAP TODO):
#                               reported, not counted as a failure
#   relay_points CMD...         run CMD; turn its "ok - X" / "not ok - X" / "todo - X # WHY" /
#                               "skip - X # WHY" lines into numbered TAP points, "#" lines into diag
#   vicc_start NAME ARGS...     start vicc/vicc (iso7816) as card NAME with --trace, slot 0
#   ins_pending READER APDU     true while the card answers APDU (a probe without side effects)
#                               with 6D 00: that command is not implemented yet
VICC=$top_builddir/vicc/vicc
SECURITY_TODO="security commands pending"

todo_not_ok() { TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - $1 # TODO $2"; }

relay_points() {
    local line
    while IFS= read -r line; do
        case $line in
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) not_ok "${line#not ok - }" ;;
            "todo - "*) line=${line#todo - }; todo_not_ok "${line% \# *}" "${line##* \# }" ;;
            "skip - "*) line=${line#skip - }; TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - ${line% \# *} # SKIP ${line##* \# }" ;;
            "#relay-rc="*) [ "${line#\#relay-rc=}" = 0 ] || not_ok "the point script exits 0 (status ${line#\#relay-rc=})" ;;
            "#"*) echo "$line" ;;
            *) echo "# $line" ;;
        esac
    done < <("$@" 2>&1; echo "#relay-rc=$?")
}

vicc_start() {
    local name=$1; shift
    card_start "$name" "$VICC" --trace "$@"
}

ins_pending() { [ "$(pcsc_tool transmit -r "$1" "$2" 2>&1)" = "6D 00" ]; }

# opensc_explorer SCRIPT-TEXT: run opensc-explorer with the "default" driver (it does not know our
# ATR) on reader 0, the script given on stdin as a file; output on stdout.
opensc_explorer() {
    local f=$PCSCD_WORK/explorer.$TAP_N.txt
    printf '%s\n' "$1" >"$f"
    timeout -k 2 20 opensc-explorer -r 0 -c default "$f" 2>&1
}
