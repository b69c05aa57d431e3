// X.509 through OpenSSL's X509 API (d2i/i2d, PEM, X509_verify, X509_sign).
#include "vicc/crypto/x509.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace vpcsc::vicc::crypto {
namespace {

std::string nameString(const X509_NAME* name) {
    auto bio = memoryBio();
    if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) throwOpenSsl("X509_NAME_print_ex");
    const Bytes text = bioContents(bio.get());
    return std::string(text.begin(), text.end());
}

X509NamePtr commonName(const std::string& cn) {
    X509NamePtr name(X509_NAME_new());
    if (!name || X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0) != 1)
        throwOpenSsl("X509_NAME_add_entry_by_txt");
    return name;
}

}  // namespace

Certificate::Certificate(X509Ptr x509) : m_x509(std::move(x509)) {
    if (!m_x509) throw std::invalid_argument("null X509");
}
Certificate::Certificate(const Certificate& other) : m_x509(X509_dup(other.get())) {
    if (!m_x509) throwOpenSsl("X509_dup");
}
Certificate& Certificate::operator=(const Certificate& other) {
    if (this != &other) *this = Certificate(other);
    return *this;
}

Certificate Certificate::fromDer(ByteView der) {
    const unsigned char* p = der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x) throwOpenSsl("d2i_X509");
    if (p != der.data() + der.size()) throw CryptoError("trailing bytes after the certificate");
    return Certificate(std::move(x));
}

Certificate Certificate::fromPem(std::string_view pem) {
    auto bio = memoryBio(ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x) throwOpenSsl("PEM_read_bio_X509");
    return Certificate(std::move(x));
}

Bytes Certificate::toDer() const {
    unsigned char* der = nullptr;
    const int len = i2d_X509(get(), &der);
    if (len <= 0) throwOpenSsl("i2d_X509");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::string Certificate::toPem() const {
    auto bio = memoryBio();
    if (PEM_write_bio_X509(bio.get(), get()) != 1) throwOpenSsl("PEM_write_bio_X509");
    const Bytes text = bioContents(bio.get());
    return std::string(text.begin(), text.end());
}

std::string Certificate::subject() const { return nameString(X509_get_subject_name(get())); }
std::string Certificate::issuer() const { return nameString(X509_get_issuer_name(get())); }

Bytes Certificate::serialNumber() const {
    BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(get()), nullptr));
    if (!bn) throwOpenSsl("ASN1_INTEGER_to_BN");
    Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

PublicKey Certificate::publicKey() const {
    EVP_PKEY* pkey = X509_get0_pubkey(get());
    if (!pkey) throwOpenSsl("X509_get0_pubkey");
    if (EVP_PKEY_up_ref(pkey) != 1) throwOpenSsl("EVP_PKEY_up_ref");
    return PublicKey(PkeyPtr(pkey));
}

bool Certificate::signatureValid(const PublicKey& issuerKey) const {
    const int rc = X509_verify(get(), issuerKey.get());
    clearOpenSslErrors();
    return rc == 1;
}

bool Certificate::issuedBy(const Certificate& issuerCert) const {
    return X509_NAME_cmp(X509_get_issuer_name(get()), X509_get_subject_name(issuerCert.get())) == 0 &&
           signatureValid(issuerCert.publicKey());
}

bool Certificate::validAt(std::time_t when) const {
    std::time_t t = when;
    return X509_cmp_time(X509_get0_notBefore(get()), &t) <= 0 && X509_cmp_time(X509_get0_notAfter(get()), &t) >= 0;
}

Certificate issueCertificate(const CertificateTemplate& t, const PublicKey& subjectKey, const PrivateKey& issuerKey) {
    X509Ptr x(X509_new());
    if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1) throwOpenSsl("X509_new");
    if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), t.serial) != 1) throwOpenSsl("serial");
    if (!X509_gmtime_adj(X509_getm_notBefore(x.get()), 0) ||
        !X509_time_adj_ex(X509_getm_notAfter(x.get()), t.validDays, 0, nullptr))
        throwOpenSsl("validity");
    if (X509_set_subject_name(x.get(), commonName(t.subjectCommonName).get()) != 1 ||
        X509_set_issuer_name(x.get(), commonName(t.issuerCommonName).get()) != 1)
        throwOpenSsl("names");
    if (X509_set_pubkey(x.get(), subjectKey.get()) != 1) throwOpenSsl("X509_set_pubkey");
    if (t.ca) {
        // RFC 5280 §4.2.1.9: basicConstraints, critical, cA TRUE.
        std::unique_ptr<X509_EXTENSION, OsslDeleter<X509_EXTENSION_free>> ext(
            X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE"));
        if (!ext || X509_add_ext(x.get(), ext.get(), -1) != 1) throwOpenSsl("basicConstraints");
    }
    MdPtr md(EVP_MD_fetch(nullptr, digestName(t.digest), nullptr));
    if (!md) throwOpenSsl("EVP_MD_fetch");
    if (X509_sign(x.get(), issuerKey.get(), md.get()) <= 0) throwOpenSsl("X509_sign");
    return Certificate(std::move(x));
}

}  // namespace vpcsc::vicc::crypto
