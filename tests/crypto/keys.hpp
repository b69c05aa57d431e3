// Keys generated once per test run (RSA generation is slow): shared by the asymmetric tests.
#pragma once

#include "vicc/crypto/asymmetric.hpp"

namespace vpcsc::vicc::crypto::test {

inline const PrivateKey& rsa2048() {
    static const PrivateKey key = PrivateKey::generateRsa(2048);
    return key;
}
inline const PrivateKey& p256() {
    static const PrivateKey key = PrivateKey::generateEc(EcCurve::P256);
    return key;
}
inline const PrivateKey& p384() {
    static const PrivateKey key = PrivateKey::generateEc(EcCurve::P384);
    return key;
}

}  // namespace vpcsc::vicc::crypto::test
