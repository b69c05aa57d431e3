// RSP certificate helpers over OpenSSL's X509v3 API.
#include "vicc/euicc/certs.hpp"

#include <algorithm>
#include <memory>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "common/tlv.hpp"
#include "vicc/crypto/ossl.hpp"

namespace vpcsc::euicc {
namespace {

using vicc::crypto::OsslDeleter;
using vicc::crypto::throwOpenSsl;

using StorePtr = std::unique_ptr<X509_STORE, OsslDeleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OsslDeleter<X509_STORE_CTX_free>>;
struct X509StackFree {  // sk_X509_free is a macro; the stack borrows its certificates
    void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_free(s); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;
using PoliciesPtr = std::unique_ptr<CERTIFICATEPOLICIES, OsslDeleter<CERTIFICATEPOLICIES_free>>;
using KeyIdPtr = std::unique_ptr<ASN1_OCTET_STRING, OsslDeleter<ASN1_OCTET_STRING_free>>;
using AkidPtr = std::unique_ptr<AUTHORITY_KEYID, OsslDeleter<AUTHORITY_KEYID_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OsslDeleter<GENERAL_NAMES_free>>;

std::string oidText(const ASN1_OBJECT* obj) {
    char buf[128];
    const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
    return n > 0 && n < static_cast<int>(sizeof buf) ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

Bytes octets(const ASN1_OCTET_STRING* s) {
    if (!s) return {};
    const unsigned char* p = ASN1_STRING_get0_data(s);
    return Bytes(p, p + ASN1_STRING_length(s));
}

bool isEid(const std::string& s) {
    return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string rspRoleOid(RspRole role) { return "2.23.146.1.2.1." + std::to_string(static_cast<int>(role)); }

bool hasRole(const Certificate& cert, RspRole role) {
    PoliciesPtr pol(static_cast<CERTIFICATEPOLICIES*>(X509_get_ext_d2i(cert.get(), NID_certificate_policies, nullptr, nullptr)));
    if (!pol) return false;
    const std::string want = rspRoleOid(role);
    for (int i = 0; i < sk_POLICYINFO_num(pol.get()); ++i)
        if (oidText(sk_POLICYINFO_value(pol.get(), i)->policyid) == want) return true;
    return false;
}

Bytes subjectKeyId(const Certificate& cert) {
    KeyIdPtr ski(static_cast<ASN1_OCTET_STRING*>(X509_get_ext_d2i(cert.get(), NID_subject_key_identifier, nullptr, nullptr)));
    return octets(ski.get());
}

Bytes authorityKeyId(const Certificate& cert) {
    AkidPtr akid(static_cast<AUTHORITY_KEYID*>(X509_get_ext_d2i(cert.get(), NID_authority_key_identifier, nullptr, nullptr)));
    return akid ? octets(akid->keyid) : Bytes{};
}

std::vector<std::string> permittedEins(const Certificate& eum) {
    std::vector<std::string> eins;
    const int n = X509_get_ext_count(eum.get());
    for (int i = 0; i < n; ++i) {
        X509_EXTENSION* ext = X509_get_ext(eum.get(), i);
        if (oidText(X509_EXTENSION_get_object(ext)) != kOidPermittedEins) continue;
        const Bytes der = octets(X509_EXTENSION_get_data(ext));
        const tlv::Tlv seq = tlv::parseOne(der);  // throws TlvError (a ParseError)
        if (seq.tag != 0x30) throw ParseError("permittedEins: not a SEQUENCE");
        for (const tlv::Tlv& ein : tlv::parseAll(seq.value)) {
            if (ein.tag != 0x13) throw ParseError("permittedEins: element is not a PrintableString");
            std::string s(ein.value.begin(), ein.value.end());
            if (s.empty() || s.size() > 32 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                throw ParseError("permittedEins: element is not 1-32 decimal digits");
            eins.push_back(std::move(s));
        }
    }
    return eins;
}

std::optional<std::string> eidOf(const Certificate& euicc) {
    const X509_NAME* name = X509_get_subject_name(euicc.get());
    const int idx = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1);
    if (idx < 0) return std::nullopt;
    const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    const unsigned char* p = ASN1_STRING_get0_data(s);
    std::string eid(reinterpret_cast<const char*>(p), static_cast<std::size_t>(ASN1_STRING_length(s)));
    if (!isEid(eid)) return std::nullopt;
    return eid;
}

bool eidPermitted(const Certificate& eum, const std::string& eid) {
    if (!isEid(eid)) return false;
    for (const std::string& ein : permittedEins(eum))
        if (eid.compare(0, ein.size(), ein) == 0) return true;
    return false;
}

std::string registeredId(const Certificate& cert) {
    GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    if (!names) return {};
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
        if (gn->type == GEN_RID) return oidText(gn->d.registeredID);
    }
    return {};
}

ChainResult verifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                        const std::vector<Certificate>& trustedCis, RspRole leafRole, std::time_t when) {
    StorePtr store(X509_STORE_new());
    X509StackPtr untrusted(sk_X509_new_null());
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !untrusted || !ctx) throwOpenSsl("X509_STORE_new");
    for (const Certificate& ci : trustedCis)
        if (X509_STORE_add_cert(store.get(), ci.get()) != 1) throwOpenSsl("X509_STORE_add_cert");
    for (const Certificate& c : intermediates)
        if (sk_X509_push(untrusted.get(), c.get()) <= 0) throwOpenSsl("sk_X509_push");  // borrowed
    if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1) throwOpenSsl("X509_STORE_CTX_init");
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    if (when != 0) X509_VERIFY_PARAM_set_time(param, when);

    ChainResult r;
    if (X509_verify_cert(ctx.get()) != 1) {
        r.error = X509_STORE_CTX_get_error(ctx.get());
        r.message = X509_verify_cert_error_string(r.error);
        vicc::crypto::clearOpenSslErrors();
        return r;
    }
    if (!hasRole(leaf, leafRole)) {
        r.message = "leaf certificate lacks policy " + rspRoleOid(leafRole);
        return r;
    }
    // The chain OpenSSL built: leaf, (EUM,) CI.
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    for (int i = 1; i + 1 < sk_X509_num(chain); ++i) {
        X509* mid = sk_X509_value(chain, i);
        if (X509_up_ref(mid) != 1) throwOpenSsl("X509_up_ref");
        const Certificate eum{vicc::crypto::X509Ptr(mid)};
        if (!hasRole(eum, RspRole::Eum)) {
            r.message = "intermediate certificate lacks the EUM policy " + rspRoleOid(RspRole::Eum);
            return r;
        }
        if (leafRole == RspRole::Euicc) {
            const auto eid = eidOf(leaf);
            bool permitted = false;
            try {
                permitted = eid && eidPermitted(eum, *eid);
            } catch (const ParseError& e) {
                r.message = std::string("EUM permitted EINs: ") + e.what();
                return r;
            }
            if (!permitted) {
                r.message = "EID not permitted by the EUM certificate";
                return r;
            }
        }
    }
    const X509* root = sk_X509_value(chain, sk_X509_num(chain) - 1);
    if (X509_up_ref(const_cast<X509*>(root)) != 1) throwOpenSsl("X509_up_ref");
    if (!hasRole(Certificate{vicc::crypto::X509Ptr(const_cast<X509*>(root))}, RspRole::Ci)) {
        r.message = "trust anchor lacks the CI policy " + rspRoleOid(RspRole::Ci);
        return r;
    }
    r.ok = true;
    return r;
}

}  // namespace vpcsc::euicc
