// Cryptoflex file commands with exact bytes (reference notes §1.3-§1.5): SELECT and its header,
// DIRECTORY, CREATE FILE, DELETE FILE, READ/UPDATE BINARY and RECORD, INVALIDATE/REHABILITATE.
#include <catch2/catch.hpp>

#include "tests/cryptoflex/helpers.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;

TEST_CASE("cryptoflex SELECT: the EF 0002 header and the serial number (flex_get_serialnr)") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "C0 A4 00 00 02 00 02") == "61 10");
    CHECK(tx(*card, "C0 C0 00 00 10") == "00 00 00 08 00 02 01 00 0F FF 44 01 03 00 00 11 90 00");
    CHECK(tx(*card, "C0 B0 00 00 08") == "01 02 03 04 05 06 07 08 90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 00 11 00") == "00 00 00 0C 00 11 01 00 F4 F4 44 01 03 01 01 11 90 00");
}

TEST_CASE("cryptoflex SELECT: parameters and the GSM selection rules") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "C0 A4 04 00 05 A0 00 00 00 63") == "6A 82");  // by name: none
    CHECK(tx(*card, "C0 A4 00 04 02 3F 00") == "6A 86");
    CHECK(tx(*card, "C0 A4 01 00 02 3F 00") == "6A 86");
    CHECK(tx(*card, "C0 A4 00 00 01 3F") == "67 00");
    CHECK(tx(*card, "C0 A4 00 00 03 3F 00 00") == "67 00");
    CHECK(tx(*card, "C0 A4 00 00") == "67 00");
    CHECK(tx(*card, "C0 A4 00 00 02 12 34") == "6A 82");

    run(*card, {kVerifyAak, createDf(0x5015, 12000), createDf(0x4B01, 2792), select(0x3F00),
                createDf(0x6000, 100)});
    // A child, the current DF itself, the parent, a DF beside the current DF, the MF.
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, select(0x6000)) == "61 16");
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, select(0x4B01)) == "61 16");
    CHECK(tx(*card, select(0x5015)) == "61 16");
    // An EF of the parent is not visible from a DF (pkcs15-init relies on 5015/0100 being absent
    // while the dummy 3F00/0100 exists).
    CHECK(tx(*card, select(0x0002)) == "6A 82");
    // A DF two levels away is not either.
    CHECK(tx(*card, select(0x4B01)) == "61 16");
    CHECK(tx(*card, select(0x6000)) == "6A 82");
    // Selecting an EF keeps its DF current.
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, select(0x0002)) == "61 10");
    CHECK(tx(*card, select(0x5015)) == "61 16");
}

TEST_CASE("cryptoflex SELECT: the DF header shows free memory, counts and CHV status") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createDf(0x5015, 12000, 0x00, 0x02)});
    CHECK(tx(*card, "C0 A4 00 00 02 50 15 00") ==
          "00 00 2E E0 50 15 38 00 00 02 00 01 09 00 00 00 00 00 00 00 00 00 90 00");
    // The dummy CHV2 of pkcs15-init (§1.8): 0100 in the MF, 2 PIN tries, 4 PUK tries.
    run(*card, {select(0x3F00), createEf(0x0100, 23), "C0 D6 00 00 17 " + chvContent("87654321", 2, "12345678", 4)});
    // 32768 - (16+8) - (16+12) - (16+12000) - (16+23) = 20661 = 50B5
    CHECK(tx(*card, "C0 A4 00 00 02 3F 00 00") ==
          "00 00 50 B5 3F 00 38 00 00 44 44 01 09 00 01 03 01 00 00 00 82 84 90 00");
}

TEST_CASE("cryptoflex DIRECTORY: each child of the current DF, then 6A82") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 08 00 02 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 0C 00 11 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "6A 82");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 08 00 02 90 00");  // starts again
    CHECK(tx(*card, select(0x3F00)) == "61 16");                 // SELECT restarts it
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 08 00 02 90 00");
    CHECK(tx(*card, "F0 A8 00 00") == "61 04");                  // T=0 case 1 form
    CHECK(tx(*card, "C0 C0 00 00 04") == "00 0C 00 11 90 00");
    CHECK(tx(*card, "F0 A8 00 00 02") == "6C 04");
    CHECK(tx(*card, "F0 A8 00 00 04") == "6A 82");               // 6C04 did not consume an entry
    CHECK(tx(*card, "F0 A8 00 01 04") == "6A 86");
    CHECK(tx(*card, "F0 A8 00 00 01 00") == "67 00");
    // A DF lists its free memory; LIST FILES needs its condition.
    run(*card, {kVerifyAak, createDf(0x5015, 1000, 0x10, 0x00), createEf(0x4401, 256)});
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 08 00 02 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 0C 00 11 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "02 D8 50 15 90 00");  // 1000 - (16+256)
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, "F0 A8 00 00 04") == "69 82");                // LIST = CHV1
}

TEST_CASE("cryptoflex CREATE FILE: the traced 5015 and 0012, conditions and errors") {
    auto card = cryptoflexCard();
    const std::string df5015 = "F0 E0 00 00 10 FF FF 2E E0 50 15 38 FF 00 02 00 01 03 00 00 00";
    CHECK(tx(*card, df5015) == "69 82");  // MF CREATE = AUT
    CHECK(tx(*card, kVerifyAak) == "90 00");
    CHECK(tx(*card, df5015) == "90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "6A 82");  // the new DF is current, and empty
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 01 46 00 12 01 FF F1 F1 FF 01 03 00 00 00") == "69 82");  // CREATE = CHV2
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, df5015) == "6A 89");
    // The new EF is current: UPDATE without SELECT (cflex_create_pin_file).
    CHECK(tx(*card, createEf(0x2F00, 4)) == "90 00");
    CHECK(tx(*card, "C0 D6 00 00 04 61 62 63 64") == "90 00");
    CHECK(tx(*card, "C0 B0 00 00 04") == "61 62 63 64 90 00");
    // A record EF: 3 records of 4 bytes.
    CHECK(tx(*card, "F0 E0 00 03 11 FF FF 00 0C 00 20 02 FF 00 00 00 01 04 00 00 00 04") == "90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 00 20 00") == "00 00 00 0C 00 20 02 00 00 00 00 01 04 00 00 00 04 90 00");
    // A cyclic EF sized by the size field when P2 = 0: 2 records of 5 bytes.
    CHECK(tx(*card, "F0 E0 00 00 11 FF FF 00 0A 00 21 06 FF 00 00 00 01 04 00 00 00 05") == "90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 00 21 00") == "00 00 00 0A 00 21 06 00 00 00 00 01 04 00 00 00 05 90 00");
    // Created invalidated (status 00).
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 22 01 FF 00 00 00 00 03 00 00 00") == "90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 00 22 00") == "00 00 00 04 00 22 01 00 00 00 00 00 03 00 00 00 90 00");

    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "F0 E0 00 00 0F FF FF 00 04 00 30 01 FF 00 00 00 01 03 00 00") == "67 00");
    CHECK(tx(*card, "F0 E0 00 00 11 FF FF 00 04 00 30 01 FF 00 00 00 01 03 00 00 00 00") == "67 00");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 30 01 FF 00 00 00 01 05 00 00 00") == "6A 80");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 30 07 FF 00 00 00 01 03 00 00 00") == "6A 80");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 30 04 FF 00 00 00 01 03 00 00 00") == "6A 80");  // linear variable
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 3F 00 01 FF 00 00 00 01 03 00 00 00") == "6A 80");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 FF FF 01 FF 00 00 00 01 03 00 00 00") == "6A 80");
    CHECK(tx(*card, "F0 E0 00 01 10 FF FF 00 04 00 30 01 FF 00 00 00 01 03 00 00 00") == "6A 86");
    CHECK(tx(*card, "F0 E0 01 00 10 FF FF 00 04 00 30 01 FF 00 00 00 01 03 00 00 00") == "6A 86");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 30 02 FF 00 00 00 01 03 00 00 00") == "6A 80");  // no record length
    CHECK(tx(*card, "F0 E0 00 00 11 FF FF 00 04 00 30 02 FF 00 00 00 01 04 00 00 00 00") == "6A 80");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF 00 04 00 02 01 FF 00 00 00 01 03 00 00 00") == "6A 89");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF FF FF 00 30 01 FF 00 00 00 01 03 00 00 00") == "90 00");
    CHECK(tx(*card, "F0 E0 00 00 10 FF FF FF FF 00 31 01 FF 00 00 00 01 03 00 00 00") == "90 00");
    // 1 MiB per card at most (vicc/fs): the 17th 64 KiB file does not fit.
    std::string last;
    for (unsigned fid = 0x0032; fid < 0x0042; ++fid) last = tx(*card, createEf(fid, 0xFFFF));
    CHECK(last == "6A 84");
}

TEST_CASE("cryptoflex DELETE FILE: a child of the current DF, a DF with its subtree") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createDf(0x5015, 12000, 0x00, 0x20), createEf(0x5031, 10), select(0x5015),
                createDf(0x4B01, 100), createEf(0x0000, 23)});
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "F0 E4 00 00 02 50 31") == "6A 82");  // not a child of the MF
    CHECK(tx(*card, "F0 E4 00 00 01 50") == "67 00");
    CHECK(tx(*card, "F0 E4 00 00 00") == "67 00");
    CHECK(tx(*card, "F0 E4 01 00 02 50 15") == "6A 86");
    CHECK(tx(*card, "F0 22 07 00") == "90 00");
    CHECK(tx(*card, "F0 E4 00 00 02 50 15") == "69 82");  // MF DELETE = AUT
    CHECK(tx(*card, kVerifyAak) == "90 00");
    CHECK(tx(*card, select(0x5015)) == "61 16");
    CHECK(tx(*card, "F0 E4 00 00 02 50 31") == "69 82");  // 5015 DELETE = CHV2
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "F0 E4 00 00 02 50 15") == "90 00");
    CHECK(tx(*card, select(0x5015)) == "6A 82");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 08 00 02 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "00 0C 00 11 90 00");
    CHECK(tx(*card, "F0 A8 00 00 04") == "6A 82");
    // Deleting the current EF leaves no current EF.
    run(*card, {createEf(0x2F00, 4), "F0 E4 00 00 02 2F 00"});
    CHECK(tx(*card, "C0 B0 00 00 04") == "69 86");
}

TEST_CASE("cryptoflex READ/UPDATE BINARY: conditions, status and ranges") {
    auto card = cryptoflexCard();
    CHECK(tx(*card, "C0 B0 00 00 08") == "69 86");  // no current EF
    CHECK(tx(*card, select(0x0002)) == "61 10");
    CHECK(tx(*card, "C0 D6 00 00 01 00") == "69 82");  // UPDATE never
    CHECK(tx(*card, "C0 B0 00 04 04") == "05 06 07 08 90 00");
    CHECK(tx(*card, "C0 B0 00 06 04") == "07 08 62 82");
    CHECK(tx(*card, "C0 B0 00 08 01") == "6B 00");
    CHECK(tx(*card, "C0 B0 80 00 01") == "6B 00");  // no SFI addressing
    CHECK(tx(*card, "C0 B0 00 00 01 00") == "67 00");
    CHECK(tx(*card, select(0x0011)) == "61 10");
    CHECK(tx(*card, "C0 B0 00 00 0C") == "69 82");  // READ never

    run(*card, {kVerifyAak, createEf(0x1000, 8, 0x12, 0x12, 0x00)});  // READ CHV1, UPDATE CHV2
    CHECK(tx(*card, "C0 B0 00 00 08") == "69 82");
    CHECK(tx(*card, "C0 D6 00 00 02 01 02") == "69 82");
    run(*card, {createEf(0x0100, 23), "C0 D6 00 00 17 " + chvContent("2222", 3, "22222222", 3), createEf(0x0000, 23),
                "C0 D6 00 00 17 " + chvContent("1111", 3, "11111111", 3), verifyChv(2, "2222")});
    CHECK(tx(*card, select(0x1000)) == "61 10");
    CHECK(tx(*card, "C0 D6 00 06 02 01 02") == "90 00");
    CHECK(tx(*card, "C0 D6 00 07 02 01 02") == "6A 84");
    CHECK(tx(*card, "C0 D6 00 08 01 01") == "6B 00");
    CHECK(tx(*card, "C0 D6 00 00 00") == "67 00");
    CHECK(tx(*card, "C0 B0 00 00 08") == "69 82");
    CHECK(tx(*card, verifyChv(1, "1111")) == "90 00");
    CHECK(tx(*card, "C0 B0 00 00 08") == "00 00 00 00 00 00 01 02 90 00");
    // Record EFs are not read with READ BINARY.
    run(*card, {"F0 E0 00 02 11 FF FF 00 04 00 20 02 FF 00 00 00 01 04 00 00 00 02"});
    CHECK(tx(*card, "C0 B0 00 00 02") == "69 81");
    CHECK(tx(*card, "C0 D6 00 00 01 00") == "69 81");
}

TEST_CASE("cryptoflex READ/UPDATE RECORD: absolute record numbers in the current EF") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, "F0 E0 00 03 11 FF FF 00 0C 00 20 02 FF 00 00 00 01 04 00 00 00 04"});
    CHECK(tx(*card, "C0 B2 01 04 04") == "00 00 00 00 90 00");
    CHECK(tx(*card, "C0 DC 02 04 04 11 22 33 44") == "90 00");
    CHECK(tx(*card, "C0 B2 02 04 04") == "11 22 33 44 90 00");
    CHECK(tx(*card, "C0 B2 02 04 00") == "11 22 33 44 90 00");
    CHECK(tx(*card, "C0 B2 02 04 02") == "6C 04");
    CHECK(tx(*card, "C0 B2 04 04 04") == "6A 83");
    CHECK(tx(*card, "C0 DC 01 04 03 11 22 33") == "67 00");
    CHECK(tx(*card, "C0 B2 01 02 04") == "6A 86");
    CHECK(tx(*card, "C0 DC 01 03 04 11 22 33 44") == "6A 86");
    CHECK(tx(*card, "F0 B2 01 04 04") == "6E 00");
    CHECK(tx(*card, select(0x0002)) == "61 10");
    CHECK(tx(*card, "C0 B2 01 04 04") == "69 81");
    CHECK(tx(*card, "C0 DC 01 04 04 11 22 33 44") == "69 81");
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "C0 B2 01 04 04") == "69 86");
    // Conditions: READ CHV1.
    run(*card, {"F0 E0 00 01 11 FF FF 00 02 00 21 02 FF 10 00 00 01 04 00 00 00 02"});
    CHECK(tx(*card, "C0 B2 01 04 02") == "69 82");
    CHECK(tx(*card, "C0 DC 01 04 02 01 02") == "90 00");
}

TEST_CASE("cryptoflex INVALIDATE / REHABILITATE the current EF") {
    auto card = cryptoflexCard();
    run(*card, {kVerifyAak, createEf(0x1000, 4, 0x00, 0x00, 0x21)});  // REHAB CHV2, INVAL CHV1
    CHECK(tx(*card, "C0 04 00 00 00") == "69 82");
    run(*card, {createEf(0x0000, 23), "C0 D6 00 00 17 " + chvContent("1111", 3, "11111111", 3), verifyChv(1, "1111"),
                select(0x1000)});
    CHECK(tx(*card, "C0 04 00 00 00") == "90 00");
    CHECK(tx(*card, "C0 A4 00 00 02 10 00 00") == "00 00 00 04 10 00 01 00 00 00 21 00 03 00 00 00 90 00");
    CHECK(tx(*card, "C0 B0 00 00 04") == "69 84");
    CHECK(tx(*card, "C0 D6 00 00 01 00") == "69 84");
    CHECK(tx(*card, "C0 44 00 00 00") == "69 82");  // REHABILITATE = CHV2
    run(*card, {createEf(0x0100, 23), "C0 D6 00 00 17 " + chvContent("2222", 3, "22222222", 3), verifyChv(2, "2222"),
                select(0x1000)});
    CHECK(tx(*card, "C0 44 00 00") == "90 00");
    CHECK(tx(*card, "C0 B0 00 00 04") == "00 00 00 00 90 00");
    CHECK(tx(*card, "C0 04 01 00 00") == "6A 86");
    CHECK(tx(*card, "C0 04 00 00 01 00") == "67 00");
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "C0 04 00 00 00") == "69 86");
}
