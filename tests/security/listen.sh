#!/bin/bash
# doc/security.md, "Network exposure": in a private network namespace, the listening sockets of a
# default ifd-vpcd entry (inside a real pcscd), of `vicc --reversed` and of a default vicc-smdpp
# (no -H, no -p) are on 127.0.0.1 only; a bind=0.0.0.0 entry shows as 0.0.0.0, so the check sees a
# wildcard when there is one. On vicc-smdpp's default port: TLS 1.2 verifies against the CI, TLS 1.1
# and 1.0 are refused (the client is allowed to offer them), plain HTTP gets no answer, a request
# body over 256 KiB gets 413 while one just under it is read and answered 400.
: "${PCSCD_TEST_TIMEOUT:=90}"
. "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pcscd.sh"
VICC=$top_builddir/vicc/vicc
SMDPP=$top_builddir/smdpp/vicc-smdpp
CI=$top_builddir/vicc/euicc/pki/nist/ci.pem
[ -f "$VPCD_DRIVER" ] || tap_skip_all "ifd-vpcd not built ($VPCD_DRIVER)"
for p in "$VICC" "$SMDPP"; do [ -x "$p" ] || tap_skip_all "$(basename "$p") not built"; done
[ -f "$CI" ] || tap_skip_all "no test PKI ($CI)"
for c in ss openssl curl; do command -v $c >/dev/null || tap_skip_all "$c not installed"; done
pcscd_enter "$@"
tap_plan 14

# listeners: "ADDRESS:PORT" of every listening TCP socket (v4 and v6), one a line, sorted.
listeners() { ss -ltnH | awk '{print $4}' | sort -u; }
wait_listen() {  # ADDRESS:PORT
    for _ in $(seq 100); do listeners | grep -qxF "$1" && return 0; sleep 0.05; done
    return 1
}

pcscd_reader "Virtual PCD" /dev/null:0x8C7B
pcscd_reader "Wide" "/dev/null:36000;slots=1;bind=0.0.0.0"
check "pcscd starts with a default entry and a bind=0.0.0.0 entry" pcscd_start 3
expect_eq "the default entry listens on 127.0.0.1:35963 and :35964, the bind=0.0.0.0 entry on 0.0.0.0:36000, nothing else" \
    "$(printf '0.0.0.0:36000\n127.0.0.1:35963\n127.0.0.1:35964')" "$(listeners)"

card_start reversed "$VICC" --reversed -P 36100
check "vicc --reversed listens" wait_listen 127.0.0.1:36100
expect_eq "... on 127.0.0.1 only" "" "$(listeners | grep ':36100$' | grep -vxF 127.0.0.1:36100)"
card_stop reversed

card_start smdpp "$SMDPP"
check "vicc-smdpp without -H/-p listens on 127.0.0.1:8443" wait_listen 127.0.0.1:8443
expect_eq "... and on no other address" "" "$(listeners | grep ':8443$' | grep -vxF 127.0.0.1:8443)"
expect_match "... over HTTPS" 'HTTPS on 127\.0\.0\.1:8443' "$(cat "$PCSCD_WORK/smdpp.log")"

tls() {  # s_client ARGS...: 0 when the handshake completes and verifies
    timeout 10 openssl s_client -connect 127.0.0.1:8443 -servername localhost -CAfile "$CI" \
        -verify_return_error -verify_hostname localhost "$@" </dev/null >"$PCSCD_WORK/s_client.log" 2>&1
}
check "a TLS 1.2 client verifying against the test CI connects" tls -tls1_2
grep -q 'Protocol *: TLSv1.2' "$PCSCD_WORK/s_client.log" && ok "... with TLS 1.2" || not_ok "... with TLS 1.2"
if tls -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'; then not_ok "TLS 1.1 is refused"; else ok "TLS 1.1 is refused"; fi
if tls -tls1 -cipher 'DEFAULT@SECLEVEL=0'; then not_ok "TLS 1.0 is refused"; else ok "TLS 1.0 is refused"; fi
if curl -sS --max-time 5 -o /dev/null http://127.0.0.1:8443/gsma/rsp2/es9plus/initiateAuthentication --data '{}' 2>/dev/null
then not_ok "plain HTTP on the TLS port gets no answer"; else ok "plain HTTP on the TLS port gets no answer"; fi

post_size() {  # BYTES: HTTP status of a POST with a body of that size
    head -c "$1" /dev/zero | tr '\0' 'a' >"$PCSCD_WORK/body"
    curl -sS --max-time 10 -o /dev/null -w '%{http_code}' --cacert "$CI" -H 'Content-Type: application/json' \
        -H 'X-Admin-Protocol: gsma/rsp/v2.2.0' --data-binary @"$PCSCD_WORK/body" \
        https://localhost:8443/gsma/rsp2/es9plus/initiateAuthentication
}
expect_eq "a body of 256 KiB + 1 is refused with 413" 413 "$(post_size $((256 * 1024 + 1)))"
expect_eq "a body just under the limit is read (and is no ES9+ JSON: 400)" 400 "$(post_size $((256 * 1024 - 16)))"
card_stop smdpp
tap_done
