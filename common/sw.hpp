// Status words: ISO 7816-4 §5.6 (Tables 5 and 6), plus the GSM 11.11 / ETSI TS 102 221 §10.2
// values a SIM answers with. SwError carries a status word from any depth of card code to the
// one place that builds the R-APDU (DESIGN.md, style 6).
#pragma once

#include <cstdint>
#include <exception>
#include <string>

namespace vpcsc {

struct SwError : std::exception {
    std::uint16_t sw;

    explicit SwError(std::uint16_t status) noexcept;
    std::uint8_t sw1() const noexcept { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const noexcept { return static_cast<std::uint8_t>(sw); }
    const char* what() const noexcept override { return m_what; }

private:
    char m_what[24];  // "status word 6A82"; fixed size so copying never throws
};

namespace sw {
// ISO 7816-4 §5.6
constexpr std::uint16_t kNoError = 0x9000;
constexpr std::uint16_t kWarningNoInfo = 0x6200;
constexpr std::uint16_t kEndOfFileBeforeNe = 0x6282;
constexpr std::uint16_t kSelectedFileDeactivated = 0x6283;
constexpr std::uint16_t kVerifyFailedNoInfo = 0x6300;
constexpr std::uint16_t kExecutionError = 0x6400;
constexpr std::uint16_t kMemoryFailure = 0x6581;
constexpr std::uint16_t kWrongLength = 0x6700;
constexpr std::uint16_t kClaFunctionNotSupported = 0x6800;
constexpr std::uint16_t kLogicalChannelNotSupported = 0x6881;
constexpr std::uint16_t kSecureMessagingNotSupported = 0x6882;
constexpr std::uint16_t kLastCommandOfChainExpected = 0x6883;
constexpr std::uint16_t kChainingNotSupported = 0x6884;
constexpr std::uint16_t kCommandNotAllowed = 0x6900;
constexpr std::uint16_t kIncompatibleFileStructure = 0x6981;
constexpr std::uint16_t kSecurityStatusNotSatisfied = 0x6982;
constexpr std::uint16_t kAuthenticationMethodBlocked = 0x6983;
constexpr std::uint16_t kReferenceDataNotUsable = 0x6984;
constexpr std::uint16_t kConditionsOfUseNotSatisfied = 0x6985;
constexpr std::uint16_t kNoCurrentEf = 0x6986;
constexpr std::uint16_t kSmDataObjectsMissing = 0x6987;
constexpr std::uint16_t kSmDataObjectsIncorrect = 0x6988;
constexpr std::uint16_t kWrongParametersNoInfo = 0x6A00;
constexpr std::uint16_t kIncorrectDataField = 0x6A80;
constexpr std::uint16_t kFunctionNotSupported = 0x6A81;
constexpr std::uint16_t kFileNotFound = 0x6A82;
constexpr std::uint16_t kRecordNotFound = 0x6A83;
constexpr std::uint16_t kNotEnoughMemory = 0x6A84;
constexpr std::uint16_t kNcInconsistentWithTlv = 0x6A85;
constexpr std::uint16_t kIncorrectP1P2 = 0x6A86;
constexpr std::uint16_t kNcInconsistentWithP1P2 = 0x6A87;
constexpr std::uint16_t kReferencedDataNotFound = 0x6A88;
constexpr std::uint16_t kFileAlreadyExists = 0x6A89;
constexpr std::uint16_t kDfNameAlreadyExists = 0x6A8A;
constexpr std::uint16_t kWrongP1P2 = 0x6B00;
constexpr std::uint16_t kInsNotSupported = 0x6D00;
constexpr std::uint16_t kClaNotSupported = 0x6E00;
constexpr std::uint16_t kNoPreciseDiagnosis = 0x6F00;

// Parameterised forms.
constexpr std::uint16_t bytesRemaining(std::uint8_t n) { return 0x6100 | n; }   // 61xx
constexpr std::uint16_t wrongLe(std::uint8_t exact) { return 0x6C00 | exact; }  // 6Cxx
constexpr std::uint16_t retriesLeft(std::uint8_t n) { return 0x63C0 | (n & 0x0F); }  // 63Cx
constexpr std::uint16_t gsmResponseLength(std::uint8_t n) { return 0x9F00 | n; }   // 9Fxx, GSM 11.11
}  // namespace sw

enum class SwCategory {
    Normal,          // 9000, 61xx (and 91xx, 9Fxx, 92xx for SIMs)
    Warning,         // 62xx, 63xx
    ExecutionError,  // 64xx, 65xx, 66xx
    CheckingError,   // 67xx-6Fxx (and GSM 93xx, 94xx, 98xx)
    Unknown,
};

SwCategory swCategory(std::uint16_t sw);
// The meaning from the tables, never null; "unknown status word" when nothing matches.
const char* swName(std::uint16_t sw);
// "6A82 file or application not found", "63C2 verification failed, 2 retries left",
// "611A 26 response bytes available": for --trace annotations.
std::string describeSw(std::uint16_t sw);

}  // namespace vpcsc
