// FIPS 180-4 hashes through EVP_Digest, DigestInfo of RFC 8017 §9.2.
#include "vicc/crypto/digest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "common/tlv.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::vicc::crypto {
namespace {

struct DigestEntry {
    DigestAlgorithm alg;
    const char* name;     // OpenSSL fetch name
    const char* plain;    // "SHA256": the name without '-', upper case, for digestFromName
    std::size_t size;
    const char* oidHex;   // content octets of the OID
};

// FIPS 180-4; OIDs from RFC 8017 Appendix A.2.4 (id-sha1 1.3.14.3.2.26, id-sha224..512
// 2.16.840.1.101.3.4.2.4, .1, .2, .3).
constexpr std::array<DigestEntry, 5> kDigests{{
    {DigestAlgorithm::Sha1, "SHA1", "SHA1", 20, "2B0E03021A"},
    {DigestAlgorithm::Sha224, "SHA2-224", "SHA224", 28, "608648016503040204"},
    {DigestAlgorithm::Sha256, "SHA2-256", "SHA256", 32, "608648016503040201"},
    {DigestAlgorithm::Sha384, "SHA2-384", "SHA384", 48, "608648016503040202"},
    {DigestAlgorithm::Sha512, "SHA2-512", "SHA512", 64, "608648016503040203"},
}};

const DigestEntry& entry(DigestAlgorithm alg) {
    for (const auto& e : kDigests)
        if (e.alg == alg) return e;
    throw std::invalid_argument("unknown digest algorithm");
}

const EVP_MD* fetched(DigestAlgorithm alg) {
    // Fetched once per algorithm (OpenSSL 3 explicit fetch), freed at exit.
    static const std::array<MdPtr, 5> mds = [] {
        std::array<MdPtr, 5> out;
        for (std::size_t i = 0; i < kDigests.size(); ++i) out[i].reset(EVP_MD_fetch(nullptr, kDigests[i].name, nullptr));
        return out;
    }();
    const EVP_MD* md = mds[static_cast<std::size_t>(alg)].get();
    if (!md) throwOpenSsl("EVP_MD_fetch");
    return md;
}

}  // namespace

std::optional<DigestAlgorithm> digestFromName(std::string_view name) {
    std::string plain;
    for (char c : name)
        if (c != '-' && c != '_') plain += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (plain == "SHA2224" || plain == "SHA2256" || plain == "SHA2384" || plain == "SHA2512") plain.erase(3, 1);
    for (const auto& e : kDigests)
        if (plain == e.plain) return e.alg;
    return std::nullopt;
}

std::optional<DigestAlgorithm> digestFromOid(ByteView oid) {
    for (const auto& e : kDigests)
        if (std::ranges::equal(fromHex(e.oidHex), oid)) return e.alg;
    return std::nullopt;
}

const char* digestName(DigestAlgorithm alg) { return entry(alg).name; }
Bytes digestOid(DigestAlgorithm alg) { return fromHex(entry(alg).oidHex); }
std::size_t digestSize(DigestAlgorithm alg) { return entry(alg).size; }

Bytes digest(DigestAlgorithm alg, ByteView data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, fetched(alg), nullptr) != 1)
        throwOpenSsl("EVP_Digest");
    out.resize(len);
    return out;
}

Bytes encodeDigestInfo(DigestAlgorithm alg, ByteView hash) {
    if (hash.size() != digestSize(alg)) throw std::invalid_argument("hash length does not match the algorithm");
    tlv::Builder algorithmIdentifier;
    algorithmIdentifier.add(0x06, digestOid(alg)).add(0x05, ByteView{});
    tlv::Builder info;
    info.add(0x30, algorithmIdentifier).add(0x04, hash);
    return info.wrap(0x30);
}

DigestInfo parseDigestInfo(ByteView der) {
    const tlv::Tlv info = tlv::parseOne(der);
    if (info.tag != 0x30) throw ParseError("DigestInfo: not a SEQUENCE");
    auto fields = tlv::parseAll(info.value);
    if (fields.size() != 2 || fields[0].tag != 0x30 || fields[1].tag != 0x04)
        throw ParseError("DigestInfo: expected SEQUENCE { AlgorithmIdentifier, OCTET STRING }");
    auto algorithm = tlv::parseAll(fields[0].value);
    if (algorithm.empty() || algorithm.size() > 2 || algorithm[0].tag != 0x06)
        throw ParseError("DigestInfo: malformed AlgorithmIdentifier");
    if (algorithm.size() == 2 && (algorithm[1].tag != 0x05 || !algorithm[1].value.empty()))
        throw ParseError("DigestInfo: hash parameters must be NULL or absent");
    auto alg = digestFromOid(algorithm[0].value);
    if (!alg) throw ParseError("DigestInfo: unknown hash algorithm OID");
    if (fields[1].value.size() != digestSize(*alg)) throw ParseError("DigestInfo: wrong hash length");
    return {*alg, fields[1].valueBytes()};
}

}  // namespace vpcsc::vicc::crypto
