#!/bin/sh
# make-test-pki.sh: generate a TEST-ONLY SGP.22 PKI with the openssl CLI (OpenSSL >= 3.0).
#
#   make-test-pki.sh OUTDIR
#
# Writes, for each curve (OUTDIR/nist = prime256v1, OUTDIR/brp = brainpoolP256r1):
#   ci      self-signed GSMA-style Certificate Issuer          (policy 2.23.146.1.2.1.0, critical)
#   eum     EUM, signed by ci, CA pathlen 0                     (policy .2; permitted EINs in the
#           GSMA extension 2.23.146.1.2.2.0, SEQUENCE OF PrintableString -- not X.509
#           nameConstraints, whose DN-subtree semantics make `openssl verify` fail with error 47)
#   euicc   eUICC, signed by eum, subject serialNumber = EID    (policy .1)
#   dpauth  CERT.DPauth.SM-DP+ signed by ci                     (policy .4, SAN registeredID)
#   dppb    CERT.DPpb.SM-DP+ signed by ci                       (policy .5, SAN registeredID)
#   dptls   CERT.DP.TLS signed by ci, ALWAYS on P-256 (OpenSSL 3.0 will not handshake TLS with a
#           brainpool server key), EKU serverAuth+clientAuth    (policy .3, SAN DNS/IP + RID)
# each as NAME.key (unencrypted PKCS#8 PEM, mode 600), NAME.pem and NAME.der, plus a README.
#
# These keys are generated on your machine for tests and demos. They are NOT GSMA SGP.26
# certificates, chain to no real CI, and must never protect anything real.
#
# Environment (all optional):
#   EID        eUICC EID, 32 digits, ISO 7064 mod 97 == 1  (default: SGP.26's 89049032123451234512345678901235)
#   EIN        the EUM's permitted EID prefix               (default: the first 8 digits of EID)
#   SMDP_HOST  DNS name in the DPtls certificate            (default: testsmdpplus1.example.com)
#   SMDP_OID   SM-DP+ OID in the DPauth/DPpb/DPtls SAN      (default: 2.999.10)
#   DAYS       validity of the end-entity certificates      (default: 10950, CI/EUM twice that)
#   CURVES     which curve directories to make              (default: "nist brp")
set -eu

out=${1:?usage: make-test-pki.sh OUTDIR}
EID=${EID:-89049032123451234512345678901235}
EIN=${EIN:-$(printf %s "$EID" | cut -c1-8)}
SMDP_HOST=${SMDP_HOST:-testsmdpplus1.example.com}
SMDP_OID=${SMDP_OID:-2.999.10}
DAYS=${DAYS:-10950}
CURVES=${CURVES:-nist brp}
OPENSSL=${OPENSSL:-openssl}

case $EID in
    *[!0-9]*) echo "make-test-pki.sh: EID must be 32 decimal digits" >&2; exit 2 ;;
esac
[ ${#EID} -eq 32 ] || { echo "make-test-pki.sh: EID must be 32 decimal digits" >&2; exit 2; }
# ISO 7064 MOD 97-10: the 32-digit number mod 97 must be 1, folded digit by digit.
rem=0; i=1
while [ $i -le 32 ]; do
    d=$(printf %s "$EID" | cut -c$i); rem=$(( (rem * 10 + d) % 97 )); i=$((i + 1))
done
[ $rem -eq 1 ] || { echo "make-test-pki.sh: EID $EID fails the ISO 7064 mod 97 check" >&2; exit 2; }
case $EID in
    "$EIN"*) ;;
    *) echo "make-test-pki.sh: EID does not start with the EIN $EIN" >&2; exit 2 ;;
esac

umask 077
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcsc-pki.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/ext.cnf" <<CNF
# SGP.22 v2 §4.5.2 certificate profiles (role OIDs id-rspRole 2.23.146.1.2.1.x)
[ci]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
certificatePolicies = critical, 2.23.146.1.2.1.0
subjectKeyIdentifier = hash
subjectAltName = RID:2.999.1
crlDistributionPoints = URI:http://ci.test.invalid/CRL-A.crl
[eum]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign
certificatePolicies = critical, 2.23.146.1.2.1.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = RID:2.999.5
2.23.146.1.2.2.0 = ASN1:SEQUENCE:permitted_eins
[permitted_eins]
ein1 = PRINTABLESTRING:$EIN
[euicc]
keyUsage = critical, digitalSignature
certificatePolicies = critical, 2.23.146.1.2.1.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[dpauth]
keyUsage = critical, digitalSignature
certificatePolicies = critical, 2.23.146.1.2.1.4
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = RID:$SMDP_OID
[dppb]
keyUsage = critical, digitalSignature
certificatePolicies = critical, 2.23.146.1.2.1.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = RID:$SMDP_OID
[dptls]
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, serverAuth, clientAuth
certificatePolicies = 2.23.146.1.2.1.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:$SMDP_HOST, DNS:localhost, IP:127.0.0.1, RID:$SMDP_OID
CNF

# key NAME CURVE DIR
key() {
    "$OPENSSL" genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$2" -pkeyopt ec_param_enc:named_curve \
        -out "$3/$1.key" 2>/dev/null
}
# cert NAME SUBJECT DAYS SERIAL ISSUER|self DIR
cert() {
    "$OPENSSL" req -new -key "$6/$1.key" -subj "$2" -out "$tmp/$1.csr"
    if [ "$5" = self ]; then
        "$OPENSSL" x509 -req -in "$tmp/$1.csr" -signkey "$6/$1.key" -days "$3" -set_serial "$4" \
            -sha256 -extfile "$tmp/ext.cnf" -extensions "$1" -out "$6/$1.pem" 2>/dev/null
    else
        "$OPENSSL" x509 -req -in "$tmp/$1.csr" -CA "$6/$5.pem" -CAkey "$6/$5.key" -days "$3" \
            -set_serial "$4" -sha256 -extfile "$tmp/ext.cnf" -extensions "$1" -out "$6/$1.pem" 2>/dev/null
    fi
    "$OPENSSL" x509 -in "$6/$1.pem" -outform DER -out "$6/$1.der"
    chmod 644 "$6/$1.pem" "$6/$1.der"
}

for c in $CURVES; do
    case $c in
        nist) curve=prime256v1; label=NIST ;;
        brp) curve=brainpoolP256r1; label=BRP ;;
        *) echo "make-test-pki.sh: unknown curve directory $c (nist, brp)" >&2; exit 2 ;;
    esac
    d="$out/$c"
    mkdir -p "$d"
    for n in ci eum euicc dpauth dppb; do key $n $curve "$d"; done
    key dptls prime256v1 "$d"
    cert ci "/C=XX/O=vpcsc TEST ONLY/CN=vpcsc Test CI $label" $((DAYS * 2)) 1 self "$d"
    cert eum "/C=XX/O=vpcsc TEST ONLY EUM/CN=vpcsc Test EUM $label" $((DAYS * 2)) 2 ci "$d"
    cert euicc "/C=XX/O=vpcsc TEST ONLY EUM/serialNumber=$EID/CN=vpcsc Test eUICC" "$DAYS" 3 eum "$d"
    cert dpauth "/O=vpcsc TEST ONLY/CN=vpcsc Test SM-DP\+ auth $label" "$DAYS" 4 ci "$d"
    cert dppb "/O=vpcsc TEST ONLY/CN=vpcsc Test SM-DP\+ pb $label" "$DAYS" 5 ci "$d"
    cert dptls "/O=vpcsc TEST ONLY/CN=$SMDP_HOST" "$DAYS" 6 ci "$d"
    cat >"$d/README" <<TXT
TEST-ONLY SGP.22 PKI generated by vpcsc's make-test-pki.sh on $(date -u +%Y-%m-%d).
Curve $curve (dptls: prime256v1). EID $EID, permitted EIN $EIN, SM-DP+ $SMDP_HOST ($SMDP_OID).
The .key files are unencrypted private keys for tests: never use them for anything real.
TXT
    chmod 644 "$d/README"
done
