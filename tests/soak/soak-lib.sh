# Helpers shared by tests/soak/*.sh (source after tap.sh and pcscd.sh).
#
#   SOAK_SECONDS                 load duration (default: the short `make check` value of each test)
#   soak_cards N                 write N card images ($PCSCD_WORK/cardI.json, soak-client.py image)
#   soak_vicc I                  start vicc card I (-f its image, --trace) on slot I as card "vI";
#                                listening for the driver (-R) when SOAK_MODE=reversed
#   soak_reader I                the PC/SC name of slot I (from `pcsc_tool list`, in slot order)
#   soak_names N                 the names of slots 0..N-1 into SOAK_READERS (soak_drive uses them)
#   soak_all_present N           slots 0..N-1 all hold a card
#   rss_kb PID                   VmRSS of PID in kB (0 when gone)
#   soak_drive I SECONDS [ARGS]  run soak-client.py drive on slot I in the background, output in
#                                $PCSCD_WORK/client.I.out, pid in $PCSCD_WORK/client.I.pid
#   soak_collect N               wait for clients 0..N-1; sets SOAK_FAILED_CLIENTS, SOAK_TOTAL_OK
VICC=$top_builddir/vicc/vicc
SOAK_CLIENT=$top_srcdir/tests/soak/soak-client.py

soak_cards() {
    local i
    for i in $(seq 0 $(($1 - 1))); do
        /usr/bin/python3 "$SOAK_CLIENT" image "$i" "$PCSCD_WORK/card$i.json" || return 1
    done
}

soak_vicc() {
    card_start "v$1" "$VICC" --trace $([ "${SOAK_MODE:-server}" != reversed ] || echo -R) -P $((VPCD_PORT + $1)) \
        -f "$PCSCD_WORK/card$1.json"
}

soak_reader() { pcsc_tool list 2>/dev/null | sed -n "$(($1 + 1))p"; }

# soak_names N: remember the names of slots 0..N-1 in SOAK_READERS (stable across pcscd restarts)
soak_names() {
    local i try
    for try in 1 2 3 4 5; do
        mapfile -t SOAK_READERS < <(pcsc_tool list 2>/dev/null)
        [ "${#SOAK_READERS[@]}" -ge "$1" ] && return 0
        sleep 0.5
    done
    diag "pcscd lists ${#SOAK_READERS[@]} readers, not $1"; return 1
}

# rss_grew_less WHAT BEFORE AFTER LIMIT_KB: the TAP point "WHAT RSS grew by less than ..."; skipped
# in a sanitizer build, whose allocator quarantine and shadow memory make RSS measure the tool.
rss_grew_less() {
    local what="$1 RSS grew by less than $(($4 / 1024)) MiB ($2 -> $3 kB)"
    if [ "${VPCSC_SANITIZER:-no}" != no ]; then skip "$what: not meaningful under $VPCSC_SANITIZER sanitizer"; return; fi
    check "$what" test $(($3 - $2)) -lt "$4"
}

# soak_all_present N: slots 0..N-1 all hold a card (reader_wait's bound each).
soak_all_present() { local i; for i in $(seq 0 $(($1 - 1))); do reader_wait "$i" present || return 1; done; }

rss_kb() { awk '/^VmRSS:/ {print $2; f=1} END {if (!f) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

soak_drive() {
    local i=$1 secs=$2; shift 2
    /usr/bin/python3 "$SOAK_CLIENT" drive "${SOAK_READERS[$i]}" "$i" "$secs" "$@" \
        >"$PCSCD_WORK/client.$i.out" 2>&1 &
    echo $! >"$PCSCD_WORK/client.$i.pid"
}

soak_collect() {
    local i p
    SOAK_FAILED_CLIENTS=0 SOAK_TOTAL_OK=0
    for i in $(seq 0 $(($1 - 1))); do
        p=$(cat "$PCSCD_WORK/client.$i.pid")
        wait "$p" || SOAK_FAILED_CLIENTS=$((SOAK_FAILED_CLIENTS + 1))
        SOAK_TOTAL_OK=$((SOAK_TOTAL_OK + $(soak_field "$i" ok)))
    done
}

# field I NAME: a number from client I's summary line
soak_field() { local v; v=$(sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$PCSCD_WORK/client.$1.out" | tail -1); echo "${v:-0}"; }
