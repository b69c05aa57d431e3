#!/bin/bash
# The test PKI generator (vicc/euicc/pki/make-test-pki.sh): chains verify with `openssl verify`
# for both curves, the SGP.22 profiles are what the notes say, bad input is refused.
. "$top_srcdir/tests/lib/tap.sh"
command -v openssl >/dev/null || tap_skip_all "no openssl CLI"
gen="$top_srcdir/vicc/euicc/pki/make-test-pki.sh"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
tap_plan 29

check "generator runs (both curves)" "$gen" "$out"
for c in nist brp; do
    d=$out/$c
    check "$c: DPauth, DPpb, DPtls chain to the CI" openssl verify -x509_strict -CAfile "$d/ci.pem" "$d/dpauth.pem" "$d/dppb.pem" "$d/dptls.pem"
    check "$c: eUICC chains through the EUM" openssl verify -x509_strict -CAfile "$d/ci.pem" -untrusted "$d/eum.pem" "$d/euicc.pem"
    check "$c: DPtls is a TLS server certificate for the SM-DP+ host" \
        openssl verify -purpose sslserver -verify_hostname testsmdpplus1.example.com -CAfile "$d/ci.pem" "$d/dptls.pem"
    if openssl verify -CAfile "$d/ci.pem" "$d/euicc.pem" >/dev/null 2>&1; then not_ok "$c: eUICC without its EUM does not verify"; else ok "$c: eUICC without its EUM does not verify"; fi
    want=$([ $c = nist ] && echo prime256v1 || echo brainpoolP256r1)
    curves=$(for n in ci eum euicc dpauth dppb; do openssl pkey -in "$d/$n.key" -noout -text | sed -n 's/^ASN1 OID: //p'; done | sort -u)
    expect_eq "$c: CI/EUM/eUICC/DPauth/DPpb keys on $want" "$want" "$curves"
    expect_eq "$c: DPtls key on P-256" prime256v1 "$(openssl pkey -in "$d/dptls.key" -noout -text | sed -n 's/^ASN1 OID: //p')"
    eum=$(openssl x509 -in "$d/eum.pem" -noout -text)
    expect_match "$c: EUM permitted EINs in the GSMA extension 2.23.146.1.2.2.0" '2\.23\.146\.1\.2\.2\.0' "$eum"
    if printf '%s' "$eum" | grep -q 'Name Constraints'; then not_ok "$c: EUM has no X.509 nameConstraints"; else ok "$c: EUM has no X.509 nameConstraints"; fi
    expect_eq "$c: EUM permitted EIN is 89049032" "$(printf '\x30\x0a\x13\x0889049032' | od -An -tx1 | tr -d ' \n')" \
        "$(openssl x509 -in "$d/eum.pem" -outform DER | od -An -tx1 | tr -d ' \n' | grep -o '300a13083839303439303332' | head -1)"
    euicc=$(openssl x509 -in "$d/euicc.pem" -noout -subject -ext keyUsage,certificatePolicies)
    expect_match "$c: eUICC subject serialNumber is the EID" 'serialNumber ?= ?89049032123451234512345678901235' "$euicc"
    expect_match "$c: eUICC policy id-rspRole-euicc, digitalSignature" '2\.23\.146\.1\.2\.1\.1' "$euicc"
    expect_match "$c: DPauth carries the SM-DP+ OID and policy .4" 'Registered ID:2\.999\.10.*|2\.23\.146\.1\.2\.1\.4' \
        "$(openssl x509 -in "$d/dpauth.pem" -noout -ext subjectAltName,certificatePolicies | tr '\n' ' ')"
done
if EID=89049032123451234512345678901234 "$gen" "$out/bad" 2>/dev/null; then not_ok "an EID failing mod 97 is refused"; else ok "an EID failing mod 97 is refused"; fi
if EIN=89044444 "$gen" "$out/bad2" 2>/dev/null; then not_ok "an EID outside the EIN is refused"; else ok "an EID outside the EIN is refused"; fi
cross=$(openssl verify -CAfile "$out/nist/ci.pem" -untrusted "$out/brp/eum.pem" "$out/brp/euicc.pem" 2>&1)
if [ $? -ne 0 ]; then ok "a brainpool eUICC does not chain to the NIST CI"; else not_ok "a brainpool eUICC does not chain to the NIST CI"; fi
expect_eq "private keys are mode 600" "-rw-------" "$(ls -l "$out/nist/euicc.key" | cut -c1-10)"
tap_done
