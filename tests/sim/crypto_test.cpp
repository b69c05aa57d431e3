// MILENAGE against the six test sets of 3GPP TS 35.208 §4.3 (OPc, f1, f1*, f2, f3, f4, f5, f5*),
// GSM-MILENAGE (TS 55.205 test sets: c2/c3 on the same inputs) and COMP128-1 known answers.
#include <catch2/catch.hpp>

#include "common/bytes.hpp"
#include "vicc/sim/comp128.hpp"
#include "vicc/sim/milenage.hpp"

using namespace vpcsc;
using namespace vpcsc::vicc::sim;

namespace {

struct TestSet {
    const char *k, *rand, *sqn, *amf, *op, *opc, *f1, *f1star, *f2, *f3, *f4, *f5, *f5star;
};

// TS 35.208 §4.3.1 - §4.3.6
const TestSet kSets[] = {
    {"465b5ce8b199b49faa5f0a2ee238a6bc", "23553cbe9637a89d218ae64dae47bf35", "ff9bb4d0b607", "b9b9",
     "cdc202d5123e20f62b6d676ac72cb318", "cd63cb71954a9f4e48a5994e37a02baf", "4a9ffac354dfafb3", "01cfaf9ec4e871e9",
     "a54211d5e3ba50bf", "b40ba9a3c58b2a05bbf0d987b21bf8cb", "f769bcd751044604127672711c6d3441", "aa689c648370",
     "451e8beca43b"},
    {"fec86ba6eb707ed08905757b1bb44b8f", "9f7c8d021accf4db213ccff0c7f71a6a", "9d0277595ffc", "725c",
     "dbc59adcb6f9a0ef735477b7fadf8374", "1006020f0a478bf6b699f15c062e42b3", "9cabc3e99baf7281", "95814ba2b3044324",
     "8011c48c0c214ed2", "5dbdbb2954e8f3cde665b046179a5098", "59a92d3b476a0443487055cf88b2307b", "33484dc2136b",
     "deacdd848cc6"},
    {"9e5944aea94b81165c82fbf9f32db751", "ce83dbc54ac0274a157c17f80d017bd6", "0b604a81eca8", "9e09",
     "223014c5806694c007ca1eeef57f004f", "a64a507ae1a2a98bb88eb4210135dc87", "74a58220cba84c49", "ac2cc74a96871837",
     "f365cd683cd92e96", "e203edb3971574f5a94b0d61b816345d", "0c4524adeac041c4dd830d20854fc46b", "f0b9c08ad02e",
     "6085a86c6f63"},
    {"4ab1deb05ca6ceb051fc98e77d026a84", "74b0cd6031a1c8339b2b6ce2b8c4a186", "e880a1b580b6", "9f07",
     "2d16c5cd1fdf6b22383584e3bef2a8d8", "dcf07cbd51855290b92a07a9891e523e", "49e785dd12626ef2", "9e85790336bb3fa2",
     "5860fc1bce351e7e", "7657766b373d1c2138f307e3de9242f9", "1c42e960d89b8fa99f2744e0708ccb53", "31e11a609118",
     "fe2555e54aa9"},
    {"6c38a116ac280c454f59332ee35c8c4f", "ee6466bc96202c5a557abbeff8babf63", "414b98222181", "4464",
     "1ba00a1a7c6700ac8c3ff3e96ad08725", "3803ef5363b947c6aaa225e58fae3934", "078adfb488241a57", "80246b8d0186bcf1",
     "16c8233f05a0ac28", "3f8c7587fe8e4b233af676aede30ba3b", "a7466cc1e6b2a1337d49d3b66e95d7b4", "45b0f69ab06c",
     "1f53cd2b1113"},
    {"2d609d4db0ac5bf0d2c0de267014de0d", "194aa756013896b74b4a2a3b0af4539e", "6bf69438c2e4", "5f67",
     "460a48385427aa39264aac8efc9e73e8", "c35a0ab0bcbfc9252caff15f24efbde0", "bd07d3003b9e5cc3", "bcb6c2fcad152250",
     "8c25a16cd918a1df", "4cd0846020f8fa0731dd47cbdc6be411", "88ab80a415f15c73711254a1d388f696", "7e6455f34cf3",
     "dc6dd01e8f15"},
};

// TS 55.205 test sets 1-6 (same K, RAND, OPc as above): SRES (c2) and Kc (c3).
const char* kGsmSres[] = {"46f8416a", "8c308a5e", "cfbce3fe", "9655e265", "13688f17", "553d00b3"};
const char* kGsmKc[] = {"eae4be823af9a08b", "aa01739b8caa976d", "9a8ec95f408cc507",
                        "cdc1dc0841b81a22", "df75bc5ea899879f", "84b417ae3aeab4f3"};

Bytes h(const char* s) { return fromHex(s); }

}  // namespace

TEST_CASE("MILENAGE: TS 35.208 test sets 1-6", "[milenage]") {
    for (std::size_t i = 0; i < std::size(kSets); ++i) {
        const TestSet& t = kSets[i];
        INFO("test set " << i + 1);
        CHECK(milenageOpc(h(t.k), h(t.op)) == h(t.opc));
        const Milenage m(h(t.k), h(t.opc));
        CHECK(m.f1(h(t.rand), h(t.sqn), h(t.amf)) == h(t.f1));
        CHECK(m.f1star(h(t.rand), h(t.sqn), h(t.amf)) == h(t.f1star));
        const auto o = m.f2345(h(t.rand));
        CHECK(o.res == h(t.f2));
        CHECK(o.ck == h(t.f3));
        CHECK(o.ik == h(t.f4));
        CHECK(o.ak == h(t.f5));
        CHECK(m.f5star(h(t.rand)) == h(t.f5star));
        // GSM-MILENAGE
        CHECK(gsmSresFromRes(o.res) == h(kGsmSres[i]));
        CHECK(gsmKcFromCkIk(o.ck, o.ik) == h(kGsmKc[i]));
    }
}

TEST_CASE("MILENAGE rejects wrong input lengths", "[milenage]") {
    const Bytes k(16, 1), opc(16, 2);
    CHECK_THROWS_AS(Milenage(Bytes(15, 1), opc), std::invalid_argument);
    CHECK_THROWS_AS(Milenage(k, Bytes(17, 2)), std::invalid_argument);
    CHECK_THROWS_AS(milenageOpc(k, Bytes(8, 0)), std::invalid_argument);
    const Milenage m(k, opc);
    CHECK_THROWS_AS(m.f2345(Bytes(15, 0)), std::invalid_argument);
    CHECK_THROWS_AS(m.f1(Bytes(16, 0), Bytes(5, 0), Bytes(2, 0)), std::invalid_argument);
    CHECK_THROWS_AS(m.f1(Bytes(16, 0), Bytes(6, 0), Bytes(3, 0)), std::invalid_argument);
    CHECK_THROWS_AS(gsmSresFromRes(Bytes(3, 0)), std::invalid_argument);
}

TEST_CASE("COMP128-1 known answers", "[comp128]") {
    struct {
        const char *ki, *rand, *sres, *kc;
    } const vectors[] = {
        {"112233445566778899AABBCCDDEEFF00", "2233445566778899AABBCCDDEEFF0011", "3C0DCFBD", "F84A72DC312F6000"},
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "2EB9F582", "59A9CF45911C3400"},
    };
    for (const auto& v : vectors) {
        INFO(v.ki);
        const GsmTriplet t = comp128v1(h(v.ki), h(v.rand));
        CHECK(t.sres == h(v.sres));
        CHECK(t.kc == h(v.kc));
        CHECK((t.kc[6] & 0x03) == 0);  // 54-bit Kc: the last 10 bits are zero
        CHECK(t.kc[7] == 0);
    }
    CHECK_THROWS_AS(comp128v1(Bytes(16, 0), Bytes(15, 0)), std::invalid_argument);
}
