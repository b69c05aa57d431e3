// READ / UPDATE / WRITE / APPEND / ERASE / SEARCH RECORD, ISO 7816-4 §11.4.
#include <catch2/catch.hpp>

#include "tests/iso7816/card_helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using vicc::test::tx;

namespace {
// EF 1002 (linear fixed, 3 x 4 bytes) current, records 01020304 at 2 and AA000001 at 3.
std::unique_ptr<Iso7816Card> cardIn1002() {
    auto card = test::sampleCard();
    for (const char* apdu : {"00 A4 08 0C 04 10 00 10 02", "00 DC 02 04 04 01 02 03 04", "00 DC 03 04 04 AA 00 00 01"})
        if (tx(*card, apdu) != "90 00") throw std::runtime_error(apdu);
    return card;
}
}  // namespace

TEST_CASE("READ RECORD by number, Le handling (6Cxx, 6282, 61xx)", "[record][response]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 B2 01 04 04") == "FF FF FF FF 90 00");
    CHECK(tx(*card, "00 B2 02 04 00") == "01 02 03 04 90 00");
    CHECK(tx(*card, "00 B2 02 04 02") == "6C 04");               // exact length known
    CHECK(tx(*card, "00 B2 02 04 06") == "01 02 03 04 62 82");  // end of record before Ne
    CHECK(tx(*card, "00 B2 02 04") == "61 04");
    CHECK(tx(*card, "00 C0 00 00 04") == "01 02 03 04 90 00");
    CHECK(tx(*card, "00 B2 00 04 00") == "01 02 03 04 90 00");  // P1 = 00: the current record
}

TEST_CASE("READ RECORD error paths", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 B2 04 04 00") == "6A 83");
    CHECK(tx(*card, "00 B2 FF 04 00") == "6A 86");
    CHECK(tx(*card, "00 B2 01 07 00") == "6A 86");
    CHECK(tx(*card, "00 B2 01 FC 00") == "6A 86");  // SFI 11111 is RFU
    CHECK(tx(*card, "00 B2 01 04 01 00 00") == "67 00");
    CHECK(tx(*card, "00 B2 01 1C 00") == "6A 82");  // SFI 3
    CHECK(tx(*card, "00 B2 01 0C 00") == "69 81");  // SFI 1 is transparent
    CHECK(tx(*card, "00 A4 00 0C 02 10 02") == "90 00");
    CHECK(tx(*card, "00 B2 00 04 00") == "6A 83");  // selecting clears the record pointer
    CHECK(tx(*card, "00 A4 00 0C 02 10 00") == "90 00");
    CHECK(tx(*card, "00 B2 01 04 00") == "69 86");
}

TEST_CASE("READ RECORD by SFI, several records, by identifier", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 A4 00 0C 02 10 01") == "90 00");
    CHECK(tx(*card, "00 B2 02 14 00") == "01 02 03 04 90 00");  // SFI 2
    CHECK(tx(*card, "00 B2 01 05 00") == "FF FF FF FF 01 02 03 04 AA 00 00 01 90 00");
    CHECK(tx(*card, "00 B2 02 06 00") == "AA 00 00 01 01 02 03 04 90 00");
    CHECK(tx(*card, "00 B2 01 05 0C") == "FF FF FF FF 01 02 03 04 AA 00 00 01 90 00");
    CHECK(tx(*card, "00 B2 01 05 0D") == "FF FF FF FF 01 02 03 04 AA 00 00 01 62 82");
    CHECK(tx(*card, "00 B2 01 05 08") == "FF FF FF FF 01 02 03 04 61 04");
    CHECK(tx(*card, "00 C0 00 00 00") == "AA 00 00 01 90 00");
    CHECK(tx(*card, "00 B2 AA 04 00") == "6A 83");               // there is no record 170
    CHECK(tx(*card, "00 B2 AA 00 00") == "AA 00 00 01 90 00");   // first with identifier AA
    CHECK(tx(*card, "00 B2 FF 01 00") == "FF FF FF FF 90 00");   // last with identifier FF
    CHECK(tx(*card, "00 B2 01 02 00") == "01 02 03 04 90 00");   // next with identifier 01
    CHECK(tx(*card, "00 B2 FF 03 00") == "FF FF FF FF 90 00");   // previous with identifier FF
    CHECK(tx(*card, "00 B2 FF 03 00") == "6A 83");
    CHECK(tx(*card, "00 B2 BB 00 00") == "6A 83");
}

TEST_CASE("UPDATE and WRITE RECORD", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 DC 02 04 03 01 02 03") == "67 00");  // fixed size records
    CHECK(tx(*card, "00 DC 04 04 04 01 02 03 04") == "6A 83");
    CHECK(tx(*card, "00 DC 01 07 04 01 02 03 04") == "6A 86");
    CHECK(tx(*card, "00 DC 00 00 04 11 11 11 11") == "90 00");  // first
    CHECK(tx(*card, "00 DC 00 02 04 22 22 22 22") == "90 00");  // next
    CHECK(tx(*card, "00 DC 00 01 04 33 33 33 33") == "90 00");  // last
    CHECK(tx(*card, "00 DC 00 02 04 44 44 44 44") == "6A 83");  // no next after the last
    CHECK(tx(*card, "00 DC 00 03 04 55 55 55 55") == "90 00");  // previous
    CHECK(tx(*card, "00 B2 01 05 00") == "11 11 11 11 55 55 55 55 33 33 33 33 90 00");
    // reading several records leaves the pointer on the last one read
    CHECK(tx(*card, "00 D2 00 04 04 66 66 66 66") == "90 00");  // WRITE RECORD, current
    CHECK(tx(*card, "00 B2 03 04 00") == "66 66 66 66 90 00");
    CHECK(tx(*card, "00 DC 02 14 04 77 77 77 77") == "90 00");  // by SFI 2
    CHECK(tx(*card, "00 DC 00 04") == "67 00");
}

TEST_CASE("APPEND RECORD on linear fixed, linear variable and cyclic EFs", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 E2 00 00 04 01 01 01 01") == "6A 84");  // 3 of 3 records exist
    CHECK(tx(*card, "00 E2 01 00 04 01 01 01 01") == "6A 86");
    CHECK(tx(*card, "00 E2 00 04 04 01 01 01 01") == "6A 86");
    // Linear variable, max record size 16, no number of records: empty.
    CHECK(tx(*card, "00 E0 00 00 0B 62 09 82 03 04 21 10 83 02 40 02") == "90 00");
    CHECK(tx(*card, "00 B2 01 04 00") == "6A 83");
    CHECK(tx(*card, "00 E2 00 00 03 01 02 03") == "90 00");
    CHECK(tx(*card, "00 E2 00 00 01 09") == "90 00");
    CHECK(tx(*card, "00 E2 00 00 11 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10") == "67 00");
    CHECK(tx(*card, "00 E2 00 00") == "67 00");
    CHECK(tx(*card, "00 B2 00 04 00") == "09 90 00");  // appended record is current
    CHECK(tx(*card, "00 B2 01 04 00") == "01 02 03 90 00");
    CHECK(tx(*card, "00 DC 01 04 05 01 02 03 04 05") == "90 00");  // variable length update
    CHECK(tx(*card, "00 B2 01 05 00") == "01 02 03 04 05 09 90 00");
    // Cyclic, 2 records of 2 bytes: the newest record is record 1.
    CHECK(tx(*card, "00 E0 00 00 0D 62 0B 82 05 06 21 00 02 02 83 02 40 03") == "90 00");
    CHECK(tx(*card, "00 E2 00 00 02 01 01") == "90 00");
    CHECK(tx(*card, "00 E2 00 00 02 02 02") == "90 00");
    CHECK(tx(*card, "00 E2 00 00 02 03 03") == "90 00");
    CHECK(tx(*card, "00 B2 01 05 00") == "03 03 02 02 90 00");
    CHECK(tx(*card, "00 DC 00 03 02 04 04") == "90 00");  // PREVIOUS: overwrite the oldest
    CHECK(tx(*card, "00 B2 01 05 00") == "04 04 03 03 90 00");
    CHECK(tx(*card, "00 E2 00 00 03 01 02 03") == "67 00");
}

TEST_CASE("ERASE RECORD(S)", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 0C 02 04") == "90 00");
    CHECK(tx(*card, "00 B2 02 04 00") == "00 00 00 00 90 00");
    CHECK(tx(*card, "00 0C 01 05") == "90 00");
    CHECK(tx(*card, "00 B2 01 05 00") == "00 00 00 00 00 00 00 00 00 00 00 00 90 00");
    CHECK(tx(*card, "00 0C 04 04") == "6A 83");
    CHECK(tx(*card, "00 0C 01 06") == "6A 86");
    CHECK(tx(*card, "00 0C 01 04 01 00") == "67 00");
}

TEST_CASE("SEARCH RECORD forward and backward", "[record]") {
    auto card = cardIn1002();
    CHECK(tx(*card, "00 A2 01 04 02 03 04 00") == "02 90 00");
    CHECK(tx(*card, "00 A2 01 04 01 FF 00") == "01 90 00");
    CHECK(tx(*card, "00 A2 01 04 01 01 00") == "02 03 90 00");
    CHECK(tx(*card, "00 A2 03 05 01 01 00") == "03 02 90 00");
    CHECK(tx(*card, "00 A2 02 05 01 FF 00") == "01 90 00");
    CHECK(tx(*card, "00 A2 01 04 01 77 00") == "6A 83");
    CHECK(tx(*card, "00 A2 01 06 01 77 00") == "6A 86");
    CHECK(tx(*card, "00 A2 01 04") == "67 00");
    CHECK(tx(*card, "00 A2 01 14 01 AA 00") == "03 90 00");  // SFI 2
}
