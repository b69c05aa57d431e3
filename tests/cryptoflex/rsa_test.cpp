// Cryptoflex RSA (reference notes §1.3, §1.7): key file records, a known-answer private-key
// operation on an imported 512-bit key, GENERATE RSA KEY at every size with the result checked by
// OpenSSL against the public key read back from EF 1012, CLA 10/00 chaining at 2048 bits, errors.
#include <catch2/catch.hpp>

#include "tests/cryptoflex/helpers.hpp"
#include "vicc/crypto/asymmetric.hpp"
#include "vicc/crypto/random.hpp"
#include "vicc/crypto/rsa.hpp"
#include "vicc/cryptoflex/key_files.hpp"
#include "vicc/cryptoflex/rsa_key.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc;
using namespace vpcsc::vicc::test;
using cryptoflex::reversed;

namespace {

// A 512-bit key made with `openssl genpkey` for these tests only, in the Cryptoflex records
// (numbers little-endian), and RSASP1 of 00 11 11 .. 11 under it, computed outside vpcsc.
const char* kPrivateRecord =
    "00A30175D99A004121D42EE28F4E54B0B12E2806C6F54FF7DB7E4730765AFBDEB74AFACF60B7BD513E75DE3828BC6A9780841035CA4789F5BD"
    "ABE0C9F2BCB78E85B5F53DA8EC411D7668C62D1EFF2A2949F558C56907E4F9C40386119E8717176F2AE23DC80EDE735F2AF88342852F79C2D0"
    "B636CA6CCDE5952091CAB14F14D93988A745D3589BDFBD5A3F162C9A3E5A59F50BC0D04A8B26B3045F98FC4ABA9B2FED1A";
const char* kPublicRecord =
    "00A7019BB564620B290BB74BECEAB25B7D58C025B31F3B7C26E26A62E8274B1B5447EFC64FB51E480A91FA031AA275F2E8080589B0B219414CB6"
    "9F0646D2C160FB3AF000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000100";
const char* kModulus =
    "F03AFB60C1D246069FB64C4119B2B0890508E8F275A21A03FA910A481EB54FC6EF47541B4B27E8626AE2267C3B1FB325C0587D5BB2EAEC4BB7"
    "0B290B6264B59B";
const char* kReversedSignature =
    "F4EA049FFF9F059AB700D3090B00C836B2F6BA9B3DBCD45E11EDA546D5157E7DF25E73A299C13474269FB15CFA5C6A142D6EA6EE198F59245F"
    "FD37A60C30A244";

std::string hexOf(ByteView b) { return toHex(b); }
std::string spaced(const char* compact) { return toHex(fromHex(compact)); }

// 3000 holds 0012 (READ never, UPDATE, REHABILITATE and INVALIDATE CHV1) and 1012 (READ always, UPDATE CHV1) sized for
// `keys` keys of `bits`; CHV1 is verified and 3000 is current.
std::unique_ptr<CryptoflexCard> cardWithKeyFiles(int bits, unsigned keys = 1) {
    auto card = cardWithChv1();
    const unsigned base = static_cast<unsigned>(cryptoflex::baseOfBits(bits));
    run(*card, {createEf(0x0012, keys * (5 * base + 3) + 3, 0xF1, 0xF1, 0x11),
                createEf(0x1012, keys * (5 * base + 7) + 3, 0x01, 0x01, 0x11), select(0x3000)});
    return card;
}

// UPDATE BINARY in chunks of at most 255 bytes, as OpenSC writes.
void write(Card& card, unsigned fid, ByteView content) {
    run(card, {select(fid)});
    for (std::size_t off = 0; off < content.size(); off += 255) {
        const std::size_t n = std::min<std::size_t>(255, content.size() - off);
        run(card, {"C0 D6 " + hex2(static_cast<unsigned>(off)) + " " + hex1(static_cast<unsigned>(n)) + " " +
                   toHex(content.subspan(off, n))});
    }
}

Bytes readAll(Card& card, unsigned offset, unsigned length) {
    Bytes out;
    while (length > 0) {
        const unsigned n = std::min(length, 256u);
        Bytes r = card.process(fromHex("C0 B0 " + hex2(offset) + " " + hex1(n == 256 ? 0 : n)));
        REQUIRE(r.size() == n + 2);
        REQUIRE(r[n] == 0x90);
        out.insert(out.end(), r.begin(), r.begin() + n);
        offset += n;
        length -= n;
    }
    return out;
}

// The T=0 exchange of OpenSC's cryptoflex_compute_signature: reversed data in, 61xx, GET
// RESPONSE, reversed data out; 2048 bits as a CLA 10 / CLA 00 chain.
Bytes privateOperation(Card& card, ByteView bigEndianInput, unsigned keyIndex = 0) {
    const Bytes in = reversed(bigEndianInput);
    const std::string p2 = hex1(keyIndex);
    std::string last;
    if (in.size() == 256) {
        REQUIRE(tx(card, "10 88 00 " + p2 + " 0A " + toHex(ByteView(in).first(10))) == "90 00");
        last = tx(card, "00 88 00 " + p2 + " F6 " + toHex(ByteView(in).subspan(10)));
    } else {
        last = tx(card, "C0 88 00 " + p2 + " " + hex1(static_cast<unsigned>(in.size())) + " " + toHex(in));
    }
    REQUIRE(last == "61 " + hex1(static_cast<unsigned>(in.size())));
    Bytes r = card.process(fromHex("C0 C0 00 00 " + hex1(static_cast<unsigned>(in.size()))));
    REQUIRE(r.size() == in.size() + 2);
    REQUIRE(toHex(ByteView(r).last(2)) == "90 00");
    r.resize(in.size());
    return reversed(r);
}

}  // namespace

TEST_CASE("cryptoflex key records: layout of §1.7, little-endian numbers, record lists") {
    using namespace cryptoflex;
    const auto prv = PrivateKeyRecord::decode(fromHex(kPrivateRecord));
    REQUIRE(prv);
    CHECK(prv->keyNumber == 1);
    CHECK(prv->base() == 32);
    CHECK(hexOf(prv->p) == spaced("FA4AB7DEFB5A7630477EDBF74FF5C606282EB1B0544E8FE22ED42141009AD975"));
    CHECK(hexOf(prv->iqmp) == spaced("E22A6F1717879E118603C4F9E40769C558F549292AFF1E2DC668761D41ECA83D"));
    CHECK(hexOf(prv->encode()) == spaced(kPrivateRecord));
    const auto pub = PublicKeyRecord::decode(fromHex(kPublicRecord));
    REQUIRE(pub);
    CHECK(pub->e == 65537);
    CHECK(hexOf(pub->n) == spaced(kModulus));
    CHECK(hexOf(pub->encode()) == spaced(kPublicRecord));
    CHECK(baseOfBits(768) == 48);
    CHECK(baseOfBits(1000) == 0);

    CHECK_FALSE(PrivateKeyRecord::decode(fromHex("00 03 01")));
    CHECK_FALSE(PrivateKeyRecord::decode(ByteView(fromHex(kPrivateRecord)).first(100)));
    CHECK_FALSE(PublicKeyRecord::decode(fromHex(kPrivateRecord)));

    // A file with two records and the end mark; replacing key 1 keeps key 2.
    Bytes file(2 * 163 + 3, 0xEE);
    CHECK(storeKeyRecord(file, fromHex(kPrivateRecord)));
    CHECK(keyRecords(file).size() == 1);
    PrivateKeyRecord two = *prv;
    two.keyNumber = 2;
    CHECK(storeKeyRecord(file, two.encode()));
    CHECK(keyRecords(file).size() == 2);
    CHECK(storeKeyRecord(file, fromHex(kPrivateRecord)));
    REQUIRE(keyRecords(file).size() == 2);
    CHECK(keyRecords(file)[0][2] == 2);
    CHECK(toHex(ByteView(file).last(3)) == "00 00 00");
    CHECK(findKeyRecord(file, 1));
    CHECK_FALSE(findKeyRecord(file, 3));
    PrivateKeyRecord three = *prv;
    three.keyNumber = 3;
    const Bytes before = file;
    CHECK_FALSE(storeKeyRecord(file, three.encode()));  // no room
    CHECK(file == before);
    // A record whose length runs past the file ends the list.
    CHECK(keyRecords(fromHex("00 10 01 00")).empty());
    CHECK(keyRecords(fromHex("00 00 00 00 05 01")).empty());
}

TEST_CASE("cryptoflex C0 88: known answer with an imported 512-bit key") {
    auto card = cardWithKeyFiles(512);
    write(*card, 0x0012, fromHex(kPrivateRecord));
    write(*card, 0x1012, fromHex(kPublicRecord));
    run(*card, {select(0x3000)});
    const std::string reversedInput = repeat("11", 63) + " 00";
    CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput) == "61 40");
    CHECK(tx(*card, "C0 C0 00 00 40") == spaced(kReversedSignature) + " 90 00");
    // T=1 style, with Le.
    CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput + " 00") == spaced(kReversedSignature) + " 90 00");
    // Without EF 1012 the exponent 65537 is found from dP.
    run(*card, {kVerifyAak, "F0 E4 00 00 02 10 12"});
    CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput + " 00") == spaced(kReversedSignature) + " 90 00");
    // A wrong exponent in 1012 is not trusted.
    Bytes badPublic = fromHex(kPublicRecord);
    badPublic[badPublic.size() - 4] = 0x03;
    badPublic[badPublic.size() - 3] = 0x00;
    badPublic[badPublic.size() - 2] = 0x00;
    run(*card, {createEf(0x1012, 170, 0x01, 0x01, 0x11)});
    write(*card, 0x1012, badPublic);
    CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput + " 00") == spaced(kReversedSignature) + " 90 00");

    SECTION("errors") {
        CHECK(tx(*card, "C0 88 00 00 3F " + repeat("11", 63)) == "67 00");
        CHECK(tx(*card, "C0 88 00 00 41 " + repeat("11", 65)) == "67 00");
        CHECK(tx(*card, "C0 88 00 00") == "67 00");
        CHECK(tx(*card, "C0 88 00 01 40 " + reversedInput) == "6A 88");
        CHECK(tx(*card, "C0 88 00 0F 40 " + reversedInput) == "6A 86");
        CHECK(tx(*card, "C0 88 01 00 40 " + reversedInput) == "6A 86");
        CHECK(tx(*card, "C0 88 00 00 40 " + repeat("FF", 64)) == "6A 80");  // not below n
        CHECK(tx(*card, "F0 88 00 00 40 " + reversedInput) == "6E 00");
        CHECK(tx(*card, "F0 22 01 00") == "90 00");
        CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput) == "69 82");  // 0012 UPDATE = CHV1
        CHECK(tx(*card, verifyChv(1, "1234")) == "90 00");
        CHECK(tx(*card, select(0x3F00)) == "61 16");
        CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput) == "6A 82");  // no 0012 in the MF
        // An inconsistent key record: dP no longer matches any exponent.
        Bytes badPrivate = fromHex(kPrivateRecord);
        badPrivate[3 + 3 * 32] ^= 0x01;
        run(*card, {select(0x3000)});
        write(*card, 0x0012, badPrivate);
        run(*card, {select(0x3000)});
        CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput) == "69 84");
        // An invalidated key file.
        run(*card, {select(0x0012), "C0 04 00 00 00", select(0x3000)});
        CHECK(tx(*card, "C0 88 00 00 40 " + reversedInput) == "69 84");
    }
}

TEST_CASE("cryptoflex F0 46: generate at every size, read the modulus back, sign and decipher") {
    const auto [bits, p2] = GENERATE(std::pair<int, const char*>{512, "40"}, std::pair<int, const char*>{768, "60"},
                                     std::pair<int, const char*>{1024, "80"}, std::pair<int, const char*>{2048, "00"});
    CAPTURE(bits);
    auto card = cardWithKeyFiles(bits);
    const unsigned base = static_cast<unsigned>(cryptoflex::baseOfBits(bits));
    // OpenSC: SELECT 0012, then F0 46 00 <size> 04 01 00 01 00 (e = 65537 little-endian).
    run(*card, {select(0x0012)});
    CHECK(tx(*card, std::string("F0 46 00 ") + p2 + " 04 01 00 01 00") == "90 00");
    run(*card, {select(0x1012)});
    CHECK(toHex(readAll(*card, 0, 3)) == hex2(5 * base + 7) + " 01");
    const Bytes n = reversed(readAll(*card, 3, 2 * base));
    CHECK(toHex(readAll(*card, 3 + 5 * base, 4)) == "01 00 01 00");
    CHECK(toHex(readAll(*card, 5 * base + 7, 3)) == "00 00 00");
    const auto publicKey = crypto::PublicKey::fromRsa(n, fromHex("01 00 01"));
    CHECK(publicKey.bits() == bits);
    run(*card, {select(0x0012)});
    CHECK(tx(*card, "C0 B0 00 00 03") == "69 82");  // the private key file is never readable
    run(*card, {select(0x3000)});

    // Sign: a PKCS#1 v1.5 block verified by OpenSSL with the public key from the card.
    Bytes digestInfo = fromHex("30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14");
    append(digestInfo, crypto::randomBytes(20));
    Bytes block = {0x00, 0x01};
    block.insert(block.end(), 2 * base - 3 - digestInfo.size(), 0xFF);
    block.push_back(0x00);
    append(block, digestInfo);
    const Bytes signature = privateOperation(*card, block);
    CHECK(crypto::rsaVerifyPkcs1(publicKey, digestInfo, signature));

    // Decipher: the same command on an OpenSSL PKCS#1 v1.5 cryptogram.
    const Bytes secret = crypto::randomBytes(16);
    const Bytes cryptogram = crypto::rsaEncrypt(publicKey, secret, crypto::RsaPadding::Pkcs1);
    const Bytes plain = privateOperation(*card, cryptogram);
    REQUIRE(plain.size() == 2 * base);
    CHECK(plain[0] == 0x00);
    CHECK(plain[1] == 0x02);
    CHECK(toHex(ByteView(plain).last(17)) == "00 " + toHex(secret));

    // The key survives an image round trip.
    auto restored = cryptoflexCard();
    restored->loadState(card->saveState());
    restored->powerOn();
    run(*restored, {select(0x3000), verifyChv(1, "1234")});
    CHECK(crypto::rsaVerifyPkcs1(publicKey, digestInfo, privateOperation(*restored, block)));
}

TEST_CASE("cryptoflex F0 46: two keys in one pair of files, exponent 3, errors") {
    auto card = cardWithKeyFiles(512, 2);
    CHECK(tx(*card, "F0 46 00 40 04 01 00 01 00") == "90 00");
    CHECK(tx(*card, "F0 46 01 40 04 03 00 00 00") == "90 00");
    run(*card, {select(0x1012)});
    const Bytes n2 = reversed(readAll(*card, 167 + 3, 64));
    CHECK(toHex(readAll(*card, 167, 3)) == "00 A7 02");
    CHECK(toHex(readAll(*card, 167 + 3 + 5 * 32, 4)) == "03 00 00 00");
    run(*card, {select(0x3000)});
    const auto key2 = crypto::PublicKey::fromRsa(n2, fromHex("03"));
    Bytes block(64, 0x5A);
    block[0] = 0x00;
    CHECK(crypto::rsaEncrypt(key2, privateOperation(*card, block, 1), crypto::RsaPadding::None) == block);
    // A third key does not fit.
    CHECK(tx(*card, "F0 46 02 40 04 01 00 01 00") == "6A 84");

    CHECK(tx(*card, "C0 46 00 40 04 01 00 01 00") == "6E 00");
    CHECK(tx(*card, "F0 46 00 20 04 01 00 01 00") == "6A 86");
    CHECK(tx(*card, "F0 46 0F 40 04 01 00 01 00") == "6A 86");
    CHECK(tx(*card, "F0 46 00 40 03 01 00 01") == "67 00");
    CHECK(tx(*card, "F0 46 00 40") == "67 00");
    CHECK(tx(*card, "F0 46 00 40 04 02 00 01 00") == "6A 80");  // even
    CHECK(tx(*card, "F0 46 00 40 04 01 00 00 00") == "6A 80");  // 1
    CHECK(tx(*card, "F0 46 00 80 04 01 00 01 00") == "6A 84");  // 1024 bits in 512-bit files
    CHECK(tx(*card, "F0 22 01 00") == "90 00");
    CHECK(tx(*card, "F0 46 00 40 04 01 00 01 00") == "69 82");  // UPDATE = CHV1
    CHECK(tx(*card, select(0x3F00)) == "61 16");
    CHECK(tx(*card, "F0 46 00 40 04 01 00 01 00") == "6A 82");  // no key files in the MF

    // A model without on-card key generation.
    auto eightK = cryptoflexCard(*cryptoflex::findModel("8k"));
    CHECK(tx(*eightK, "F0 46 00 40 04 01 00 01 00") == "6D 00");
}

TEST_CASE("cryptoflex RSA helpers: generation and the CRT operation agree with OpenSSL") {
    using namespace cryptoflex;
    const GeneratedKey k = generateRsaKey(768, 65537, 4);
    CHECK(k.privateKey.keyNumber == 4);
    CHECK(k.privateKey.base() == 48);
    CHECK(k.publicKey.n.size() == 96);
    const auto pub = crypto::PublicKey::fromRsa(k.publicKey.n, fromHex("01 00 01"));
    Bytes m(96, 0x33);
    m[0] = 0x00;
    CHECK(crypto::rsaEncrypt(pub, rsaPrivateOperation(k.privateKey, std::nullopt, m), crypto::RsaPadding::None) == m);
    CHECK_THROWS_AS(generateRsaKey(1000, 65537, 1), std::invalid_argument);
    CHECK_THROWS_AS(generateRsaKey(512, 4, 1), std::invalid_argument);
}
