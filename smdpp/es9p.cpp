// ES9+ JSON bodies (SGP.22 §6.5): see es9p.hpp.
#include "smdpp/es9p.hpp"

#include <cctype>

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace vpcsc::smdpp::es9p {

using nlohmann::json;

namespace {

constexpr std::string_view kSuccess = "Executed-Success";
constexpr std::string_view kFailed = "Failed";
constexpr std::size_t kMaxTransactionId = 16;  // TransactionId ::= OCTET STRING (SIZE(1..16))

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : 63;
}

// Compact JSON; invalid UTF-8 in a string (a message quoting input) becomes U+FFFD, never an exception.
std::string text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json parseObject(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw Es9Error("body is not JSON", false, true);
    if (!j.is_object()) throw Es9Error("body is not a JSON object", false, true);
    return j;
}

const std::string& stringField(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) throw Es9Error(std::string("missing ") + name, true);
    if (!it->is_string()) throw Es9Error(std::string(name) + " is not a string");
    return it->get_ref<const std::string&>();
}

Bytes binaryField(const json& j, const char* name) {
    const std::string& text = stringField(j, name);
    try {
        return base64Decode(text);
    } catch (const Es9Error& e) {
        throw Es9Error(std::string(name) + ": " + e.what());
    }
}

Bytes tidField(const json& j) {
    return transactionIdFromHex(stringField(j, "transactionId"));
}

json statusJson(const FunctionExecutionStatus& s) {
    json fes;
    if (s.ok()) {
        fes["status"] = kSuccess;
    } else {
        fes["status"] = kFailed;
        json scd;
        scd["subjectCode"] = s.failure->subjectCode;
        scd["reasonCode"] = s.failure->reasonCode;
        if (s.failure->subjectIdentifier) scd["subjectIdentifier"] = *s.failure->subjectIdentifier;
        if (s.failure->message) scd["message"] = *s.failure->message;
        fes["statusCodeData"] = std::move(scd);
    }
    json header;
    header["functionExecutionStatus"] = std::move(fes);
    return header;
}

FunctionExecutionStatus statusOf(const json& j) {
    auto h = j.find("header");
    if (h == j.end() || !h->is_object()) throw Es9Error("missing header", true);
    auto f = h->find("functionExecutionStatus");
    if (f == h->end() || !f->is_object()) throw Es9Error("missing header.functionExecutionStatus", true);
    const std::string& status = stringField(*f, "status");
    FunctionExecutionStatus out;
    if (status == kSuccess) return out;
    if (status != kFailed) throw Es9Error("unknown functionExecutionStatus.status '" + status + "'");
    auto d = f->find("statusCodeData");
    if (d == f->end() || !d->is_object()) throw Es9Error("Failed without statusCodeData", true);
    StatusCodeData scd;
    scd.subjectCode = stringField(*d, "subjectCode");
    scd.reasonCode = stringField(*d, "reasonCode");
    if (auto it = d->find("subjectIdentifier"); it != d->end() && it->is_string()) scd.subjectIdentifier = it->get<std::string>();
    if (auto it = d->find("message"); it != d->end() && it->is_string()) scd.message = it->get<std::string>();
    out.failure = std::move(scd);
    return out;
}

// A response: the header, then the payload fields only on success.
std::string response(const FunctionExecutionStatus& s, json payload) {
    json j;
    j["header"] = statusJson(s);
    if (s.ok()) {
        for (auto& [k, v] : payload.items()) j[k] = std::move(v);
    }
    return text(j);
}

}  // namespace

std::string base64Encode(ByteView data) {
    if (data.size() > (std::size_t{1} << 30)) throw Es9Error("base64: input too large");
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Bytes base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) throw Es9Error("base64: length not a multiple of 4");
    if (text.size() > (std::size_t{1} << 30)) throw Es9Error("base64: input too large");
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') pad = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
    for (std::size_t i = 0; i < text.size() - pad; ++i)
        if (!isBase64Char(text[i])) throw Es9Error("base64: invalid character at offset " + std::to_string(i));
    // Canonical form: the bits the padding discards must be zero (RFC 4648 §3.5).
    if (pad == 1 && (base64Value(text[text.size() - 2]) & 0x03) != 0) throw Es9Error("base64: non-canonical padding");
    if (pad == 2 && (base64Value(text[text.size() - 3]) & 0x0F) != 0) throw Es9Error("base64: non-canonical padding");
    if (text.empty()) return {};
    Bytes out(3 * (text.size() / 4));
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0 || static_cast<std::size_t>(n) != out.size()) throw Es9Error("base64: invalid encoding");
    out.resize(out.size() - pad);  // EVP_DecodeBlock counts the padding as zero bytes
    return out;
}

std::string transactionIdToHex(ByteView tid) { return toHex(tid, 0); }

Bytes transactionIdFromHex(std::string_view hex) {
    if (hex.empty() || hex.size() > 2 * kMaxTransactionId || hex.size() % 2 != 0)
        throw Es9Error("transactionId: not 1..16 bytes of hex");
    for (char c : hex)
        if (!std::isxdigit(static_cast<unsigned char>(c))) throw Es9Error("transactionId: not hex");
    return fromHex(hex);
}

std::string encodeStatusOnly(const FunctionExecutionStatus& status) {
    json j;
    j["header"] = statusJson(status);
    return text(j);
}

FunctionExecutionStatus decodeStatus(std::string_view body) { return statusOf(parseObject(body)); }

// ---- initiateAuthentication ----
std::string InitiateAuthenticationRequest::encode() const {
    json j;
    j["smdpAddress"] = smdpAddress;
    j["euiccChallenge"] = base64Encode(euiccChallenge);
    j["euiccInfo1"] = base64Encode(euiccInfo1);
    return text(j);
}

InitiateAuthenticationRequest InitiateAuthenticationRequest::decode(std::string_view body) {
    json j = parseObject(body);
    InitiateAuthenticationRequest r;
    r.smdpAddress = stringField(j, "smdpAddress");
    r.euiccChallenge = binaryField(j, "euiccChallenge");
    r.euiccInfo1 = binaryField(j, "euiccInfo1");
    if (r.euiccChallenge.size() != 16) throw Es9Error("euiccChallenge is not 16 bytes");
    return r;
}

std::string InitiateAuthenticationResponse::encode() const {
    json p;
    p["transactionId"] = transactionIdToHex(transactionId);
    p["serverSigned1"] = base64Encode(serverSigned1);
    p["serverSignature1"] = base64Encode(serverSignature1);
    p["euiccCiPKIdToBeUsed"] = base64Encode(euiccCiPkIdToBeUsed);
    p["serverCertificate"] = base64Encode(serverCertificate);
    return response(status, std::move(p));
}

InitiateAuthenticationResponse InitiateAuthenticationResponse::decode(std::string_view body) {
    json j = parseObject(body);
    InitiateAuthenticationResponse r;
    r.status = statusOf(j);
    if (!r.status.ok()) return r;
    r.transactionId = tidField(j);
    r.serverSigned1 = binaryField(j, "serverSigned1");
    r.serverSignature1 = binaryField(j, "serverSignature1");
    r.euiccCiPkIdToBeUsed = binaryField(j, "euiccCiPKIdToBeUsed");
    r.serverCertificate = binaryField(j, "serverCertificate");
    return r;
}

// ---- authenticateClient ----
std::string AuthenticateClientRequest::encode() const {
    json j;
    j["transactionId"] = transactionIdToHex(transactionId);
    j["authenticateServerResponse"] = base64Encode(authenticateServerResponse);
    return text(j);
}

AuthenticateClientRequest AuthenticateClientRequest::decode(std::string_view body) {
    json j = parseObject(body);
    AuthenticateClientRequest r;
    r.transactionId = tidField(j);
    r.authenticateServerResponse = binaryField(j, "authenticateServerResponse");
    return r;
}

std::string AuthenticateClientResponse::encode() const {
    json p;
    p["transactionId"] = transactionIdToHex(transactionId);
    p["profileMetadata"] = base64Encode(profileMetadata);
    p["smdpSigned2"] = base64Encode(smdpSigned2);
    p["smdpSignature2"] = base64Encode(smdpSignature2);
    p["smdpCertificate"] = base64Encode(smdpCertificate);
    return response(status, std::move(p));
}

AuthenticateClientResponse AuthenticateClientResponse::decode(std::string_view body) {
    json j = parseObject(body);
    AuthenticateClientResponse r;
    r.status = statusOf(j);
    if (!r.status.ok()) return r;
    r.transactionId = tidField(j);
    r.profileMetadata = binaryField(j, "profileMetadata");
    r.smdpSigned2 = binaryField(j, "smdpSigned2");
    r.smdpSignature2 = binaryField(j, "smdpSignature2");
    r.smdpCertificate = binaryField(j, "smdpCertificate");
    return r;
}

// ---- getBoundProfilePackage ----
std::string GetBoundProfilePackageRequest::encode() const {
    json j;
    j["transactionId"] = transactionIdToHex(transactionId);
    j["prepareDownloadResponse"] = base64Encode(prepareDownloadResponse);
    return text(j);
}

GetBoundProfilePackageRequest GetBoundProfilePackageRequest::decode(std::string_view body) {
    json j = parseObject(body);
    GetBoundProfilePackageRequest r;
    r.transactionId = tidField(j);
    r.prepareDownloadResponse = binaryField(j, "prepareDownloadResponse");
    return r;
}

std::string GetBoundProfilePackageResponse::encode() const {
    json p;
    p["transactionId"] = transactionIdToHex(transactionId);
    p["boundProfilePackage"] = base64Encode(boundProfilePackage);
    return response(status, std::move(p));
}

GetBoundProfilePackageResponse GetBoundProfilePackageResponse::decode(std::string_view body) {
    json j = parseObject(body);
    GetBoundProfilePackageResponse r;
    r.status = statusOf(j);
    if (!r.status.ok()) return r;
    r.transactionId = tidField(j);
    r.boundProfilePackage = binaryField(j, "boundProfilePackage");
    return r;
}

// ---- handleNotification ----
std::string HandleNotificationRequest::encode() const {
    json j;
    j["pendingNotification"] = base64Encode(pendingNotification);
    return text(j);
}

HandleNotificationRequest HandleNotificationRequest::decode(std::string_view body) {
    json j = parseObject(body);
    HandleNotificationRequest r;
    r.pendingNotification = binaryField(j, "pendingNotification");
    return r;
}

// ---- cancelSession ----
std::string CancelSessionRequest::encode() const {
    json j;
    j["transactionId"] = transactionIdToHex(transactionId);
    j["cancelSessionResponse"] = base64Encode(cancelSessionResponse);
    return text(j);
}

CancelSessionRequest CancelSessionRequest::decode(std::string_view body) {
    json j = parseObject(body);
    CancelSessionRequest r;
    r.transactionId = tidField(j);
    r.cancelSessionResponse = binaryField(j, "cancelSessionResponse");
    return r;
}

}  // namespace vpcsc::smdpp::es9p
