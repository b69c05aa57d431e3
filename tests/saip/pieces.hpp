// Small hand-built UPPs for the tests and the fuzz corpus: our demo profile cut into PEs and
// recombined with a genericFileManagement PE, or with PEs the installer must refuse.
#pragma once

#include <vector>

#include "common/tlv.hpp"
#include "vicc/euicc/saip/pe.hpp"
#include "vicc/euicc/saip/saip.hpp"

namespace vpcsc::saip::test {

using tlv::Builder;

// The demo profile's PEs, each as encoded.
inline std::vector<Bytes> demoPes() {
    static const Bytes demo = euicc::saip::demoProfile();
    std::vector<Bytes> out;
    for (const auto& pe : euicc::saip::splitPes(demo)) out.emplace_back(pe.tlv.raw.begin(), pe.tlv.raw.end());
    return out;
}

inline Bytes join(const std::vector<Bytes>& pes) {
    Bytes out;
    for (const auto& p : pes) append(out, p);
    return out;
}

// SAIP §8.3.6 genericFileManagement: in the MF create DF 7F66 (ARR 2F06 record 4), in it EF 6F01
// (transparent, 8 bytes, PIN1 rules of record 3) filled with 11 22 at offset 0 and 33 at offset 5,
// a linear fixed EF 6F02 (2 records of 4) whose second record is AA BB CC DD, a link file (not
// modelled, its content is ignored), then through filePath 7F66 a BER-TLV EF 6F03.
inline Bytes gfmPe() {
    Builder cmd;
    cmd.add(0x80, Bytes{})
        .add(0x62, Builder().add(0x82, {0x78, 0x21}).add(0x83, {0x7F, 0x66}).add(0x8B, {0x2F, 0x06, 0x04}))
        .add(0x62, Builder().add(0x82, {0x41, 0x21}).add(0x83, {0x6F, 0x01}).add(0x8B, {0x2F, 0x06, 0x03}).add(0x80, {0x08}))
        .add(0x81, {0x11, 0x22})
        .add(0x02, {0x03})
        .add(0x81, {0x33})
        .add(0x62, Builder().add(0x82, {0x42, 0x21, 0x00, 0x04}).add(0x83, {0x6F, 0x02}).add(0x8B, {0x2F, 0x06, 0x03}).add(0x80, {0x08}))
        .add(0x02, {0x04})
        .add(0x81, {0xAA, 0xBB, 0xCC, 0xDD})
        .add(0x62, Builder().add(0x82, {0x42, 0x21, 0x00, 0x04}).add(0x83, {0x6F, 0x09}).add(0xC7, {0x7F, 0x66, 0x6F, 0x02}))
        .add(0x81, {0x01})
        .add(0x80, {0x7F, 0x66})
        .add(0x62, Builder().add(0x82, {0x79, 0x21}).add(0x83, {0x6F, 0x03}).add(0x8B, {0x2F, 0x06, 0x01}).add(0x80, {0x02, 0x00}))
        .add(0x81, {0x80, 0x02, 0x12, 0x34});
    return Builder()
        .add(0xA1, Builder().add(0xA0, Builder().addByte(0x81, 0x20)).add(0xA1, Builder().add(0x30, cmd)))
        .take();
}

// Header, mf, PINs and the GFM PE, end.
inline Bytes gfmPackage() {
    const auto pes = demoPes();
    return join({pes[0], pes[1], pes[2], pes[3], gfmPe(), pes.back()});
}

// akaParameter with non-default Milenage rotation constants, which the installer refuses.
inline Bytes akaWithRotation() {
    return Builder()
        .add(0xA4, Builder()
                       .add(0xA0, Builder().addByte(0x81, 0x06))
                       .add(0xA1, Builder().add(0xA1, Builder()
                                                          .addByte(0x80, 1)
                                                          .addByte(0x81, 0)
                                                          .add(0x82, Bytes(16, 0x11))
                                                          .add(0x83, Bytes(16, 0x22))
                                                          .add(0x84, {0x40, 0x00, 0x20, 0x40, 0x61}))))
        .take();
}

}  // namespace vpcsc::saip::test
