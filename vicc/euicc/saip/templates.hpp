// The SAIP file structure templates (SAIP v2.3 Annex A, "File Structure Templates Definition") that
// a file-system PE refers to by templateID: what a PE leaves out of a file's Fcp (FID, structure,
// size, record length and count, SFI) comes from here. Only the facts the installer needs are
// kept: one row per PE member, indexed by the member's context tag number (2 = first file).
#pragma once

#include <cstdint>
#include <span>

namespace vpcsc::euicc::saip {

// Structure codes: M MF, A ADF, D DF, T transparent, L linear fixed, C cyclic, B BER-TLV.
struct TemplateFile {
    std::uint8_t member;   // context tag number in the PE
    std::uint16_t fid;     // 0: given by the PE (ADFs, files with a FID range)
    char type;
    std::uint16_t size;    // T/B: file size; L/C: record length; 0: given by the PE
    std::uint8_t records;  // L/C: number of records; 0: given by the PE
    std::uint8_t sfi;      // 0: none
};

struct Template {
    unsigned peKind;            // the PE (PeKind) this template serves
    std::uint8_t oidArc;        // templateID = 2.23.143.1.2.<oidArc>[.version]
    std::span<const TemplateFile> files;
};

// The template for a PE kind, nullptr when the installer has none.
const Template* templateFor(unsigned peKind);
// The row of a member, nullptr when the template does not list it.
const TemplateFile* templateMember(const Template& t, unsigned member);

}  // namespace vpcsc::euicc::saip
