// Status word table and SwError: ISO 7816-4 §5.6, GSM 11.11 §9.4, ETSI TS 102 221 §10.2.1.
#include <catch2/catch.hpp>

#include <cstring>

#include "common/sw.hpp"

using namespace vpcsc;

TEST_CASE("SwError carries the status word through a throw", "[sw]") {
    try {
        throw SwError{sw::kFileNotFound};
    } catch (const std::exception& e) {
        CHECK(std::strcmp(e.what(), "status word 6A82") == 0);
        const auto* s = dynamic_cast<const SwError*>(&e);
        REQUIRE(s != nullptr);
        CHECK(s->sw == 0x6A82);
        CHECK(s->sw1() == 0x6A);
        CHECK(s->sw2() == 0x82);
    }
    SwError copy = SwError(0x6985);
    SwError other = copy;
    CHECK(std::strcmp(other.what(), "status word 6985") == 0);
}

TEST_CASE("swName: exact ISO 7816-4 values", "[sw]") {
    CHECK(std::strcmp(swName(0x9000), "normal processing") == 0);
    CHECK(std::strcmp(swName(0x6700), "wrong length") == 0);
    CHECK(std::strcmp(swName(0x6982), "security status not satisfied") == 0);
    CHECK(std::strcmp(swName(0x6A82), "file or application not found") == 0);
    CHECK(std::strcmp(swName(0x6A86), "incorrect parameters P1-P2") == 0);
    CHECK(std::strcmp(swName(0x6B00), "wrong parameters P1-P2") == 0);
    CHECK(std::strcmp(swName(0x6D00), "instruction code not supported or invalid") == 0);
    CHECK(std::strcmp(swName(0x6E00), "class not supported") == 0);
    CHECK(std::strcmp(swName(0x6F00), "no precise diagnosis") == 0);
    CHECK(std::strcmp(swName(0x6883), "last command of the chain expected") == 0);
    CHECK(std::strcmp(swName(0x6282), "end of file or record reached before reading Ne bytes") == 0);
}

TEST_CASE("swName: groups and parameterised values", "[sw]") {
    CHECK(std::strcmp(swName(0x6110), "response bytes still available") == 0);
    CHECK(std::strcmp(swName(0x6C20), "wrong Le field, SW2 gives the exact length") == 0);
    CHECK(std::strcmp(swName(0x63C3), "verification failed, counter in SW2 low nibble") == 0);
    CHECK(std::strcmp(swName(0x6299), "warning, state of non-volatile memory unchanged") == 0);
    CHECK(std::strcmp(swName(0x6A99), "wrong parameters P1-P2") == 0);
    CHECK(std::strcmp(swName(0x9F22), "normal ending, response data available") == 0);
    CHECK(std::strcmp(swName(0x9112), "normal ending, proactive command pending") == 0);
    CHECK(std::strcmp(swName(0x9804), "access condition not fulfilled") == 0);
    CHECK(std::strcmp(swName(0x9404), "file ID or pattern not found") == 0);
    CHECK(std::strcmp(swName(0x1234), "unknown status word") == 0);
    CHECK(std::strcmp(swName(0x6C00 | 0x5A), swName(sw::wrongLe(0x5A))) == 0);
}

TEST_CASE("describeSw for --trace", "[sw]") {
    CHECK(describeSw(0x9000) == "9000 normal processing");
    CHECK(describeSw(0x6A82) == "6A82 file or application not found");
    CHECK(describeSw(0x611A) == "611A 26 response bytes still available");
    CHECK(describeSw(0x6100) == "6100 256 response bytes still available");
    CHECK(describeSw(0x6C10) == "6C10 wrong Le, 16 bytes available");
    CHECK(describeSw(0x63C2) == "63C2 verification failed, 2 retries left");
    CHECK(describeSw(0x9F0F) == "9F0F normal ending, 15 response bytes available");
    CHECK(describeSw(0x9120) == "9120 normal ending, proactive command of 32 bytes pending");
    CHECK(describeSw(0x0001) == "0001 unknown status word");
}

TEST_CASE("parameterised constructors", "[sw]") {
    CHECK(sw::bytesRemaining(0x1A) == 0x611A);
    CHECK(sw::wrongLe(0x00) == 0x6C00);
    CHECK(sw::retriesLeft(3) == 0x63C3);
    CHECK(sw::retriesLeft(0x1F) == 0x63CF);
    CHECK(sw::gsmResponseLength(0x22) == 0x9F22);
}

TEST_CASE("swCategory", "[sw]") {
    CHECK(swCategory(0x9000) == SwCategory::Normal);
    CHECK(swCategory(0x6110) == SwCategory::Normal);
    CHECK(swCategory(0x9F10) == SwCategory::Normal);
    CHECK(swCategory(0x9110) == SwCategory::Normal);
    CHECK(swCategory(0x6283) == SwCategory::Warning);
    CHECK(swCategory(0x63C0) == SwCategory::Warning);
    CHECK(swCategory(0x6581) == SwCategory::ExecutionError);
    CHECK(swCategory(0x6700) == SwCategory::CheckingError);
    CHECK(swCategory(0x6F00) == SwCategory::CheckingError);
    CHECK(swCategory(0x9804) == SwCategory::CheckingError);
    CHECK(swCategory(0x9001) == SwCategory::Unknown);
    CHECK(swCategory(0x0000) == SwCategory::Unknown);
}
