#!/bin/bash
# vicc-smdpp as a user runs it: the command line (help, bad options, bad PKI), HTTPS on the port it
# prints with CERT.DP.TLS verified by curl against the test CI for 127.0.0.1, the default address
# (HOST:PORT) checked in initiateAuthentication, one log line per request, SIGTERM ends it with 0,
# and --http serving plain HTTP only when asked.
. "$top_srcdir/tests/lib/tap.sh"
SMDPP=$top_builddir/smdpp/vicc-smdpp
PKI=$top_builddir/vicc/euicc/pki/nist
command -v curl >/dev/null || tap_skip_all "no curl"
command -v xxd >/dev/null || tap_skip_all "no xxd"
[ -f "$PKI/ci.pem" ] || tap_skip_all "no test PKI in $PKI (make vicc/euicc/pki/stamp)"
work=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
tap_plan 17

check "--help" "$SMDPP" --help
"$SMDPP" --curve p384 >/dev/null 2>&1; expect_eq "an unknown curve is a usage error (2)" 2 $?
out=$("$SMDPP" --pki "$work/none" -p 0 2>&1); rc=$?
expect_eq "a missing PKI fails (1)" 1 $rc
expect_match "and says which file" "cannot read $work/none/ci.der" "$out"

# start SERVER-ARGS...: runs vicc-smdpp on a free port, sets pid and port from its first log line.
start() {
    : >"$work/log"
    "$SMDPP" -p 0 --pki "$PKI" "$@" >/dev/null 2>"$work/log" & pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.* on 127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/log" | head -1)
        [ -n "$port" ] && return 0
        sleep 0.05
    done
    return 1
}
# post PATH JSON [curl args]: HTTP status and body.
post() {
    local path=$1 body=$2; shift 2
    curl -sS --max-time 10 -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' \
        -H 'X-Admin-Protocol: gsma/rsp/v2.2.0' --data "$body" "$@" "$path"
}

if start; then ok "starts on a free port with the test PKI"; else not_ok "starts on a free port with the test PKI"; fi
ski=$(openssl x509 -in "$PKI/ci.pem" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :\n')
# EUICCInfo1 (SGP.22 §5.7.8): BF20 { 82 svn 2.2.0, A9 { 04 SKI }, AA { 04 SKI } }
info1=$(printf 'BF2035820302020 0A9160414%sAA160414%s' "$ski" "$ski" | tr -d ' ' | xxd -r -p | base64 -w0)
challenge=$(head -c 16 /dev/urandom | base64 -w0)
url=https://127.0.0.1:$port/gsma/rsp2/es9plus/initiateAuthentication
code=$(post "$url" "{\"smdpAddress\":\"127.0.0.1:$port\",\"euiccChallenge\":\"$challenge\",\"euiccInfo1\":\"$info1\"}" --cacert "$PKI/ci.pem")
expect_eq "initiateAuthentication over HTTPS verified against the CI: HTTP 200" 200 "$code"
expect_match "Executed-Success with a 16-byte transactionId" '"status":"Executed-Success".*"transactionId":"[0-9A-F]{32}"' "$(cat "$work/body")"
code=$(post "$url" "{\"smdpAddress\":\"smdp.example.com\",\"euiccChallenge\":\"$challenge\",\"euiccInfo1\":\"$info1\"}" --cacert "$PKI/ci.pem")
expect_match "another smdpAddress: 8.8.1/3.8" '"reasonCode":"3.8","subjectCode":"8.8.1"' "$code $(cat "$work/body")"
if curl -sS --max-time 5 -o /dev/null --cacert "$PKI/ci.pem" --resolve "smdp.example.org:$port:127.0.0.1" \
    "https://smdp.example.org:$port/" 2>/dev/null; then not_ok "a name outside CERT.DP.TLS fails verification"
else ok "a name outside CERT.DP.TLS fails verification"; fi
if curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$port/gsma/rsp2/es9plus/handleNotification" 2>/dev/null; then
    not_ok "plain HTTP on the TLS port gets no answer"; else ok "plain HTTP on the TLS port gets no answer"; fi
expect_match "one log line per request: peer, path, tid, status, outcome" \
    'POST /gsma/rsp2/es9plus/initiateAuthentication tid=[0-9A-F]{32} -> 200 Executed-Success' "$(cat "$work/log")"
expect_eq "no key material in the log" 0 "$(grep -c 'PRIVATE' "$work/log")"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
expect_eq "SIGTERM stops it cleanly (0)" 0 $rc

echo 1234 >"$work/cc"
if start --http --confirmation-code-file "$work/cc"; then ok "--http starts"; else not_ok "--http starts"; fi
code=$(post "http://127.0.0.1:$port/gsma/rsp2/es9plus/handleNotification" '{"pendingNotification":"MAA="}')
expect_eq "--http: handleNotification over plain HTTP is 204" 204 "$code"
expect_match "the log says plain HTTP" 'plain HTTP on 127\.0\.0\.1' "$(cat "$work/log")"
expect_match "a confirmation code from a file (not the command line) is required" 'confirmation code required' "$(cat "$work/log")"
kill -TERM "$pid"; wait "$pid"; pid=
tap_done
