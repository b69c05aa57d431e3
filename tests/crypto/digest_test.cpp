// FIPS 180-4 hashes against the FIPS 180 example messages ("abc" and the 448-bit message,
// NIST CSRC "Examples with intermediate values"), and RFC 8017 §9.2 DigestInfo.
#include <catch2/catch.hpp>

#include "common/tlv.hpp"
#include "tests/crypto/helpers.hpp"
#include "vicc/crypto/digest.hpp"
#include "vicc/crypto/random.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::crypto;
using test::h;
using test::hx;

namespace {
Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }
}  // namespace

TEST_CASE("FIPS 180 example message abc", "[crypto][digest]") {
    const Bytes abc = ascii("abc");
    CHECK(hx(digest(DigestAlgorithm::Sha1, abc)) == "A9993E364706816ABA3E25717850C26C9CD0D89D");
    CHECK(hx(digest(DigestAlgorithm::Sha224, abc)) == "23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7");
    CHECK(hx(digest(DigestAlgorithm::Sha256, abc)) ==
          "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
    CHECK(hx(digest(DigestAlgorithm::Sha384, abc)) ==
          "CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAECA134C825A7");
    CHECK(hx(digest(DigestAlgorithm::Sha512, abc)) ==
          "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD"
          "454D4423643CE80E2A9AC94FA54CA49F");
}

TEST_CASE("FIPS 180 example 448-bit message", "[crypto][digest]") {
    const Bytes m = ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
    CHECK(hx(digest(DigestAlgorithm::Sha1, m)) == "84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
    CHECK(hx(digest(DigestAlgorithm::Sha256, m)) ==
          "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
}

TEST_CASE("digest algorithms by name and OID", "[crypto][digest]") {
    CHECK(digestFromName("SHA-256") == DigestAlgorithm::Sha256);
    CHECK(digestFromName("sha384") == DigestAlgorithm::Sha384);
    CHECK(digestFromName("SHA2-512") == DigestAlgorithm::Sha512);
    CHECK(digestFromName("SHA1") == DigestAlgorithm::Sha1);
    CHECK_FALSE(digestFromName("MD5"));
    CHECK(digestFromOid(h("2B0E03021A")) == DigestAlgorithm::Sha1);
    CHECK(digestFromOid(h("608648016503040204")) == DigestAlgorithm::Sha224);
    CHECK_FALSE(digestFromOid(h("2A864886F70D0205")));  // md5
    for (auto alg : {DigestAlgorithm::Sha1, DigestAlgorithm::Sha224, DigestAlgorithm::Sha256,
                     DigestAlgorithm::Sha384, DigestAlgorithm::Sha512}) {
        CHECK(digestFromOid(digestOid(alg)) == alg);
        CHECK(digest(alg, {}).size() == digestSize(alg));
    }
}

TEST_CASE("DigestInfo matches the RFC 8017 §9.2 note 1 prefixes", "[crypto][digest]") {
    const Bytes hash256(32, 0xAB);
    const Bytes info = encodeDigestInfo(DigestAlgorithm::Sha256, hash256);
    CHECK(hx(ByteView(info).first(19)) == "3031300D060960864801650304020105000420");
    const Bytes info1 = encodeDigestInfo(DigestAlgorithm::Sha1, Bytes(20, 0));
    CHECK(hx(ByteView(info1).first(15)) == "3021300906052B0E03021A05000414");
    const Bytes info512 = encodeDigestInfo(DigestAlgorithm::Sha512, Bytes(64, 0));
    CHECK(hx(ByteView(info512).first(19)) == "3051300D060960864801650304020305000440");

    const DigestInfo parsed = parseDigestInfo(info);
    CHECK(parsed.algorithm == DigestAlgorithm::Sha256);
    CHECK(parsed.hash == hash256);
    // parameters absent is accepted too
    CHECK(parseDigestInfo(h("301F300706052B0E03021A0414" + std::string(40, '0'))).algorithm == DigestAlgorithm::Sha1);
    CHECK_THROWS_AS(parseDigestInfo(h("3021300906052B0E03021A05000413" + std::string(38, '0'))), ParseError);
    CHECK_THROWS_AS(parseDigestInfo(h("3020300906052B0E03021A050004")), ParseError);
    CHECK_THROWS_AS(encodeDigestInfo(DigestAlgorithm::Sha1, hash256), std::invalid_argument);
}

TEST_CASE("random bytes", "[crypto][random]") {
    CHECK(randomBytes(0).empty());
    const Bytes a = randomBytes(32), b = randomBytes(32);
    CHECK(a.size() == 32);
    CHECK(a != b);
}
