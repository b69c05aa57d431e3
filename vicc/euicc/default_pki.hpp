// Where `vicc -t euicc` and `vicc-smdpp` find their test PKI when no --pki is given (doc/euicc.md),
// so that both trust the same CI out of the box.
#pragma once

#include <string>

namespace vpcsc::euicc {

// The PKI directory for curve "nist" (P-256) or "brp" (brainpoolP256r1), in this order:
//   1. $VPCSC_EUICC_PKI when set and non-empty (a curve directory, returned as is);
//   2. $top_builddir/vicc/euicc/pki/<curve> when $top_builddir is set and it holds ci.der
//      (the build tree's PKI that `make` generates; what `make check` uses);
//   3. ${XDG_DATA_HOME:-$HOME/.local/share}/vpcsc/test-pki/<curve>, generated on first use (both
//      curves) by the installed make-test-pki.sh, with an info log line naming the directory;
//      directories 0700, private keys 0600.
// Throws std::runtime_error (unknown curve, no home directory, no generator, generator failed).
std::string defaultPkiDirectory(const std::string& curve);

}  // namespace vpcsc::euicc
