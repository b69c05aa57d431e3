// demoProfile(): a minimal but complete UPP of our own, encoded with the PEDefinitions tags
// (SAIP v2.3 §8; member tags as in pe.hpp / templates.cpp).
#include <stdexcept>

#include "common/tlv.hpp"
#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::euicc::saip {

namespace {

using tlv::Builder;

// TS 35.208 §4.3 test set 1.
const char* const kK = "465B5CE8B199B49FAA5F0A2EE238A6BC";
const char* const kOpc = "CD63CB71954A9F4E48A5994E37A02BAF";
const char* const kUsimAid = "A0000000871002FF49FF0589";  // TS 31.102 §4.1 (as vicc/sim)

Bytes h(const char* hex) { return fromHex(hex); }

Bytes digitsBcd(const std::string& digits, std::size_t bytes, bool swapped) {
    Bytes out(bytes, 0xFF);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const auto d = static_cast<std::uint8_t>(digits[i] - '0');
        auto& b = out[i / 2];
        const bool high = swapped ? (i % 2 == 1) : (i % 2 == 0);
        b = high ? static_cast<std::uint8_t>((b & 0x0F) | d << 4) : static_cast<std::uint8_t>((b & 0xF0) | d);
    }
    return out;
}

bool allDigits(const std::string& s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// PEHeader: [1] identification.
Bytes peHeader(std::uint8_t id) { return Builder().addByte(0x81, id).wrap(0xA0); }

// A template File member: [1] Fcp (given objects), then fillFileContent / fillFileOffset items.
Builder file(const Builder& fcp) { return std::move(Builder().add(0xA1, fcp)); }

Bytes securityRef(std::uint8_t record) { return {0x2F, 0x06, record}; }

// EF.ARR records (TS 102 221 §9.2.7, AM DO 80 + SC DO): 1 read always / change ADM, 2 read PIN1 /
// change ADM, 3 read and update PIN1 / the rest ADM, 4 DF management ADM.
const char* const kArr[] = {
    "8001019000" "80015AA40683010A950108",
    "800101A406830101950108" "80015AA40683010A950108",
    "800103A406830101950108" "800158A40683010A950108",
    "80017FA40683010A950108",
};
constexpr std::uint8_t kArrRecord = 32;

Builder arrFile() {
    Builder f = file(Builder()
                         .add(0x82, {0x42, 0x21, 0x00, kArrRecord})
                         .add(0x80, {static_cast<std::uint8_t>(kArrRecord * std::size(kArr))})
                         .add(0x8B, securityRef(1)));
    for (std::size_t i = 0; i < std::size(kArr); ++i) {
        const Bytes rec = h(kArr[i]);
        f.add(0x83, rec);
        if (i + 1 < std::size(kArr)) f.addByte(0x82, static_cast<std::uint8_t>(kArrRecord - rec.size()));
    }
    return f;
}

// PINConfiguration / PUKConfiguration key references are INTEGERs: 129 is 02 00 81.
Bytes keyRef(std::uint8_t ref) { return ref & 0x80 ? Bytes{0x00, ref} : Bytes{ref}; }

Bytes padded(const std::string& digits) {
    Bytes v(8, 0xFF);
    std::copy(digits.begin(), digits.end(), v.begin());
    return v;
}

}  // namespace

Bytes demoProfile(const DemoProfileOptions& o) {
    if (o.iccid.size() < 19 || o.iccid.size() > 20 || !allDigits(o.iccid)) throw std::invalid_argument("demo ICCID: 19-20 digits");
    if (o.imsi.size() < 6 || o.imsi.size() > 15 || !allDigits(o.imsi)) throw std::invalid_argument("demo IMSI: 6-15 digits");
    const Bytes iccidReadable = digitsBcd(o.iccid, 10, false);  // the header's order (as TS.48)
    const Bytes iccidEf = digitsBcd(o.iccid, 10, true);         // EF.ICCID (TS 102 221 §13.2)
    // EF.IMSI (TS 31.102 §4.2.2): length, then parity nibble 9/1 (odd/even) and the digits swapped.
    Bytes imsi = {static_cast<std::uint8_t>((o.imsi.size() + 2) / 2)};
    append(imsi, digitsBcd((o.imsi.size() % 2 ? "9" : "1") + o.imsi, 8, true));
    Bytes spn = {0x01};  // display condition, then the name in the GSM default alphabet (ASCII subset)
    spn.insert(spn.end(), o.name.begin(), o.name.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(16, o.name.size())));
    spn.resize(17, 0xFF);
    Bytes dir = h("61144F0C");
    append(dir, h(kUsimAid));
    append(dir, h("50045553494D"));  // label "USIM"

    Builder upp;
    // header: major 2, minor 3, profileType, iccid, mandatory services {usim, milenage}, GFSTE list.
    upp.add(0xA0, Builder()
                      .addByte(0x80, 2)
                      .addByte(0x81, 3)
                      .add(0x82, Bytes(o.name.begin(), o.name.end()))
                      .add(0x83, iccidReadable)
                      .add(0xA5, Builder().add(0x81, Bytes{}).add(0x84, Bytes{}))
                      .add(0xA6, Builder().add(0x06, h("67810F010201")).add(0x06, h("67810F010204"))));
    // mf (template 2.23.143.1.2.1): MF, EF.PL, EF.ICCID, EF.DIR, EF.ARR.
    upp.add(0xB0, Builder()
                      .addRaw(peHeader(1))
                      .add(0x81, h("67810F010201"))
                      .add(0xA2, file(Builder().add(0x8B, securityRef(4)).add(0xC6, {0x01, 0x0A})))
                      .add(0xA3, file(Builder().add(0x8B, securityRef(1))).add(0x83, {'e', 'n'}))
                      .add(0xA4, file(Builder().add(0x8B, securityRef(1))).add(0x83, iccidEf))
                      .add(0xA5, file(Builder().add(0x82, {0x42, 0x21, 0x00, 0x20}).add(0x80, {0x40}).add(0x8B, securityRef(1)))
                                     .add(0x83, dir))
                      .add(0xA6, arrFile()));
    // pukCodes: PUK1 (01) 12345678, PUK2 (81) 87654321, 10 attempts.
    upp.add(0xA3, Builder()
                      .addRaw(peHeader(2))
                      .add(0xA1, Builder()
                                     .add(0x30, Builder().add(0x80, keyRef(0x01)).add(0x81, padded("12345678")).add(0x82, {0x00, 0xAA}))
                                     .add(0x30, Builder().add(0x80, keyRef(0x81)).add(0x81, padded("87654321")).add(0x82, {0x00, 0xAA}))));
    // pinCodes at the MF: PIN1 (01) 1234 unblocked by PUK1, ADM1 (0A) 88888888; 3 attempts.
    upp.add(0xA2, Builder()
                      .addRaw(peHeader(3))
                      .add(0xA1, Builder().add(0xA0, Builder()
                                                         .add(0x30, Builder()
                                                                        .add(0x80, keyRef(0x01))
                                                                        .add(0x81, padded("1234"))
                                                                        .add(0x82, keyRef(0x01))
                                                                        .addByte(0x84, 0x33))
                                                         .add(0x30, Builder()
                                                                        .add(0x80, keyRef(0x0A))
                                                                        .add(0x81, padded("88888888"))
                                                                        .addByte(0x84, 0x33)))));
    // usim (template 2.23.143.1.2.4): ADF.USIM (temporary FID 7FF0), EF.IMSI, EF.ARR, EF.Keys,
    // EF.UST, EF.SPN, EF.EST, EF.ACC, EF.AD, EF.ECC.
    upp.add(0xB3, Builder()
                      .addRaw(peHeader(4))
                      .add(0x81, h("67810F010204"))
                      .add(0xA2, file(Builder()
                                          .add(0x83, {0x7F, 0xF0})
                                          .add(0x84, h(kUsimAid))
                                          .add(0x8B, securityRef(4))
                                          .add(0xC6, {0x01, 0x81, 0x0A})))
                      .add(0xA3, file(Builder().add(0x8B, securityRef(2))).add(0x83, imsi))
                      .add(0xA4, arrFile())
                      .add(0xA5, file(Builder().add(0x8B, securityRef(3))))  // EF.Keys: FF (no key set)
                      .add(0xA8, file(Builder().add(0x8B, securityRef(2))).add(0x83, Bytes(14, 0x00)))
                      .add(0xAD, file(Builder().add(0x8B, securityRef(1))).add(0x83, spn))
                      .add(0xAE, file(Builder().add(0x8B, securityRef(3))).add(0x83, {0x00}))
                      .add(0xB2, file(Builder().add(0x8B, securityRef(2))).add(0x83, {0x02, 0x00}))
                      .add(0xB5, file(Builder().add(0x8B, securityRef(1))).add(0x83, {0x00, 0x00, 0x00, 0x02}))
                      .add(0xB6, file(Builder().add(0x8B, securityRef(1))).add(0x83, {0x11, 0xF2, 0xFF, 0x00})));
    // pinCodes in ADF.USIM: PIN2 (81) 5678 unblocked by PUK2.
    upp.add(0xA2, Builder()
                      .addRaw(peHeader(5))
                      .add(0xA1, Builder().add(0xA0, Builder().add(0x30, Builder()
                                                                             .add(0x80, keyRef(0x81))
                                                                             .add(0x81, padded("5678"))
                                                                             .add(0x82, keyRef(0x81))
                                                                             .addByte(0x84, 0x33)))));
    // akaParameter: Milenage (1), default constants, K and OPc.
    upp.add(0xA4, Builder()
                      .addRaw(peHeader(6))
                      .add(0xA1, Builder().add(0xA1, Builder()
                                                         .addByte(0x80, 1)
                                                         .addByte(0x81, 0)
                                                         .add(0x82, h(kK))
                                                         .add(0x83, h(kOpc)))));
    upp.add(0xAA, Builder().addRaw(peHeader(7)));  // end
    return upp.take();
}

}  // namespace vpcsc::euicc::saip
