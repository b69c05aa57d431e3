#include "vicc/euicc/saip/templates.hpp"

#include <iterator>

#include "vicc/euicc/saip/pe.hpp"

namespace vpcsc::euicc::saip {

namespace {

// SAIP Annex A §A.1: files at the MF.
const TemplateFile kMf[] = {
    {2, 0x3F00, 'M', 0, 0, 0},     {3, 0x2F05, 'T', 2, 0, 0x05},  // EF.PL
    {4, 0x2FE2, 'T', 10, 0, 0x02},                                // EF.ICCID (TS 102 221 §13.2)
    {5, 0x2F00, 'L', 0, 0, 0x1E},                                 // EF.DIR
    {6, 0x2F06, 'L', 0, 0, 0x06},                                 // EF.ARR
    {7, 0x2F08, 'T', 5, 0, 0x08},                                 // EF.UMPC
};

// §A.2: DF.CD.
const TemplateFile kCd[] = {{2, 0x7F11, 'D', 0, 0, 0}, {3, 0x6F01, 'T', 0, 0, 0}, {4, 0, 'T', 0, 0, 0}};

// The DF.PHONEBOOK rows (TS 31.102 §4.4.2), shared by DF.TELECOM and ADF.USIM; `first` = tag of the DF.
#define VPCSC_PHONEBOOK(first)                                                                                   \
    {first, 0x5F3A, 'D', 0, 0, 0}, {first + 1, 0x4F30, 'L', 0, 0, 0}, {first + 2, 0, 'L', 13, 0, 0},              \
        {first + 3, 0, 'L', 0, 0, 0}, {first + 4, 0, 'L', 0, 0, 0}, {first + 5, 0x4F22, 'T', 4, 0, 0},            \
        {first + 6, 0x4F23, 'T', 2, 0, 0}, {first + 7, 0x4F24, 'T', 2, 0, 0}, {first + 8, 0, 'L', 0, 0, 0},       \
        {first + 9, 0, 'L', 0, 0, 0}, {first + 10, 0, 'L', 2, 0, 0}, {first + 11, 0, 'L', 0, 0, 0},               \
        {first + 12, 0, 'L', 0, 0, 0}, {first + 13, 0, 'L', 0, 0, 0}, {first + 14, 0, 'L', 0, 0, 0},              \
        {first + 15, 0, 'L', 2, 0, 0}, {first + 16, 0, 'L', 0, 0, 0}, {first + 17, 0, 'L', 0, 0, 0}

// §A.3: DF.TELECOM with DF.GRAPHICS, DF.PHONEBOOK, DF.MULTIMEDIA, DF.MMSS, DF.MCS, DF.V2X.
const TemplateFile kTelecom[] = {
    {2, 0x7F10, 'D', 0, 0, 0},    {3, 0x6F06, 'L', 0, 0, 0},     {4, 0x6F53, 'L', 0, 0, 0},
    {5, 0x6F54, 'T', 22, 0, 0},   {6, 0x6FE0, 'L', 24, 50, 0},   {7, 0x6FE1, 'L', 0, 0, 0},
    {8, 0x6FE5, 'L', 0, 0, 0},    {9, 0x5F50, 'D', 0, 0, 0},     {10, 0x4F20, 'L', 0, 0, 0},
    {11, 0, 'T', 0, 0, 0},        {12, 0x4F21, 'B', 0, 0, 0},    {13, 0x4F01, 'T', 0, 0, 0},
    {14, 0, 'T', 0, 0, 0},        VPCSC_PHONEBOOK(15),           {33, 0x5F3B, 'D', 0, 0, 0},
    {34, 0x4F47, 'B', 0, 0, 0},   {35, 0x4F48, 'B', 0, 0, 0},    {36, 0x5F3C, 'D', 0, 0, 0},
    {37, 0x4F20, 'T', 0, 0, 0x01}, {38, 0x4F21, 'T', 0, 0, 0x02}, {39, 0x4F22, 'T', 1, 0, 0x03},
    {40, 0x5F3D, 'D', 0, 0, 0},   {41, 0x4F01, 'T', 0, 0, 0x01}, {42, 0x4F02, 'B', 0, 0, 0x02},
    {43, 0x5F3E, 'D', 0, 0, 0},   {44, 0x4F01, 'T', 0, 0, 0x01}, {45, 0x4F02, 'B', 0, 0, 0x02},
    {46, 0x4F03, 'T', 0, 0, 0},   {47, 0x4F04, 'T', 0, 0, 0},
};

// §A.4.1: ADF.USIM created by default (TS 31.102 §4.2).
const TemplateFile kUsim[] = {
    {2, 0, 'A', 0, 0, 0},            {3, 0x6F07, 'T', 9, 0, 0x07},   {4, 0x6F06, 'L', 0, 0, 0x17},
    {5, 0x6F08, 'T', 33, 0, 0x08},   {6, 0x6F09, 'T', 33, 0, 0x09},  {7, 0x6F31, 'T', 1, 0, 0x12},
    {8, 0x6F38, 'T', 14, 0, 0x04},   {9, 0x6F3B, 'L', 26, 20, 0},    {10, 0x6F3C, 'L', 176, 10, 0},
    {11, 0x6F42, 'L', 38, 1, 0},     {12, 0x6F43, 'T', 2, 0, 0},     {13, 0x6F46, 'T', 17, 0, 0},
    {14, 0x6F56, 'T', 1, 0, 0x05},   {15, 0x6F5B, 'T', 6, 0, 0x0F},  {16, 0x6F5C, 'T', 3, 0, 0x10},
    {17, 0x6F73, 'T', 14, 0, 0x0C},  {18, 0x6F78, 'T', 2, 0, 0x06},  {19, 0x6F7B, 'T', 12, 0, 0x0D},
    {20, 0x6F7E, 'T', 11, 0, 0x0B},  {21, 0x6FAD, 'T', 4, 0, 0x03},  {22, 0x6FB7, 'L', 4, 1, 0x01},
    {23, 0x6FC4, 'T', 128, 0, 0},    {24, 0x6FE3, 'T', 18, 0, 0x1E}, {25, 0x6FE4, 'L', 80, 1, 0x18},
};

// §A.4.2: optional ADF.USIM files (not created by default), in PE-OPT-USIM member order.
const TemplateFile kOptUsim[] = {
    {2, 0x6F05, 'T', 6, 0, 0x02},   {3, 0x6F37, 'T', 3, 0, 0},      {4, 0x6F39, 'C', 3, 1, 0},
    {5, 0x6F3E, 'T', 8, 0, 0},      {6, 0x6F3F, 'T', 8, 0, 0},      {7, 0x6F40, 'L', 24, 1, 0},
    {8, 0x6F41, 'T', 5, 0, 0},      {9, 0x6F45, 'T', 10, 0, 0},     {10, 0x6F48, 'T', 10, 0, 0x0E},
    {11, 0x6F49, 'L', 24, 10, 0},   {12, 0x6F4B, 'L', 13, 10, 0},   {13, 0x6F4C, 'L', 13, 10, 0},
    {14, 0x6F50, 'T', 20, 0, 0},    {15, 0x6F60, 'T', 40, 0, 0x0A}, {16, 0x6F61, 'T', 40, 0, 0x11},
    {17, 0x6F62, 'T', 5, 0, 0x13},  {18, 0x6F2C, 'T', 16, 0, 0},    {19, 0x6F32, 'T', 30, 0, 0},
    {20, 0x6F47, 'L', 30, 10, 0},   {21, 0x6F4D, 'L', 25, 10, 0},   {22, 0x6F4E, 'L', 13, 10, 0},
    {23, 0x6F4F, 'L', 15, 5, 0x16}, {24, 0x6F55, 'L', 13, 10, 0},   {25, 0x6F57, 'T', 101, 0, 0},
    {26, 0x6F58, 'L', 11, 10, 0},   {27, 0x6F80, 'C', 38, 20, 0x14}, {28, 0x6F81, 'C', 37, 20, 0x15},
    {29, 0x6F82, 'C', 3, 1, 0},     {30, 0x6F83, 'C', 3, 1, 0},     {31, 0x6FB1, 'T', 20, 0, 0},
    {32, 0x6FB2, 'T', 7, 0, 0},     {33, 0x6FB3, 'T', 20, 0, 0},    {34, 0x6FB4, 'T', 7, 0, 0},
    {35, 0x6FB5, 'T', 2, 0, 0},     {36, 0x6FB6, 'T', 1, 0, 0},     {37, 0x6FC3, 'T', 4, 0, 0},
    {38, 0x6FC5, 'L', 16, 10, 0x19}, {39, 0x6FC6, 'L', 8, 5, 0x1A}, {40, 0x6FC7, 'L', 24, 3, 0},
    {41, 0x6FC8, 'L', 13, 10, 0},   {42, 0x6FC9, 'L', 5, 10, 0},    {43, 0x6FCA, 'L', 6, 10, 0},
    {44, 0x6FCB, 'L', 16, 10, 0},   {45, 0x6FCC, 'L', 13, 10, 0},   {46, 0x6FCD, 'T', 17, 0, 0x1B},
    {47, 0x6FCE, 'L', 6, 10, 0},    {48, 0x6FCF, 'L', 13, 10, 0},   {49, 0x6FD0, 'T', 100, 0, 0},
    {50, 0x6FD1, 'L', 0, 0, 0},     {51, 0x6FD2, 'T', 100, 0, 0},   {52, 0x6FD3, 'L', 11, 5, 0},
    {53, 0x6FD4, 'T', 0, 0, 0},     {54, 0x6FD5, 'T', 0, 0, 0},     {55, 0x6FD6, 'T', 0, 0, 0},
    {56, 0x6FD7, 'L', 0, 0, 0},     {57, 0x6FD8, 'L', 0, 0, 0},     {58, 0x6FD9, 'T', 15, 0, 0x1D},
    {59, 0x6FDA, 'L', 0, 0, 0},     {60, 0x6FDB, 'T', 1, 0, 0},     {61, 0x6FDC, 'T', 1, 0, 0},
    {62, 0x6FDD, 'L', 0, 0, 0},     {63, 0x6FDE, 'T', 0, 0, 0},     {64, 0x6FDF, 'L', 0, 0, 0},
    {65, 0x6FE2, 'L', 0, 0, 0},     {66, 0x6FE6, 'T', 30, 0, 0},    {67, 0x6FE8, 'T', 18, 0, 0},
    {68, 0x6FE7, 'L', 0, 0, 0},     {69, 0x6FEC, 'T', 0, 0, 0},     {70, 0x6FED, 'L', 0, 0, 0},
    {71, 0x6FEE, 'L', 0, 0, 0},     {72, 0x6FEF, 'L', 0, 0, 0},     {73, 0x6FF0, 'L', 0, 0, 0},
    {74, 0x6FF1, 'C', 4, 0, 0},     {75, 0x6FF2, 'L', 0, 0, 0},     {76, 0x6FF3, 'T', 0, 0, 0},
    {77, 0x6FF4, 'T', 0, 0, 0},     {78, 0x6FF5, 'T', 0, 0, 0},     {79, 0x6FF6, 'T', 0, 0, 0},
    {80, 0x6FF7, 'T', 1, 0, 0},     {81, 0x6FF8, 'B', 0, 0, 0},     {82, 0x6FF9, 'T', 4, 0, 0},
    {83, 0x6FFA, 'L', 0, 0, 0},     {84, 0x6FFC, 'B', 0, 0, 0},     {85, 0x6FFD, 'T', 0, 0, 0},
};

// §A.4.3: DF.PHONEBOOK under ADF.USIM.
const TemplateFile kPhonebook[] = {VPCSC_PHONEBOOK(2)};
#undef VPCSC_PHONEBOOK

// §A.4.4: DF.GSM-ACCESS under ADF.USIM (TS 31.102 §4.4.3).
const TemplateFile kGsmAccess[] = {
    {2, 0x5F3B, 'D', 0, 0, 0}, {3, 0x4F20, 'T', 9, 0, 0x01}, {4, 0x4F52, 'T', 9, 0, 0x02},
    {5, 0x4F63, 'T', 10, 0, 0}, {6, 0x4F64, 'T', 1, 0, 0},
};

// §A.5.1: ADF.ISIM (TS 31.103 §4.2).
const TemplateFile kIsim[] = {
    {2, 0, 'A', 0, 0, 0},         {3, 0x6F02, 'T', 0, 0, 0x02}, {4, 0x6F04, 'L', 0, 1, 0x04},
    {5, 0x6F03, 'T', 0, 0, 0x05}, {6, 0x6F07, 'T', 14, 0, 0x07}, {7, 0x6FAD, 'T', 3, 0, 0x03},
    {8, 0x6F06, 'L', 0, 0, 0x06},
};

// §A.5.2: optional ADF.ISIM files.
const TemplateFile kOptIsim[] = {
    {2, 0x6F09, 'L', 0, 1, 0},    {3, 0x6F3C, 'L', 176, 10, 0}, {4, 0x6F42, 'L', 38, 1, 0},
    {5, 0x6F43, 'T', 2, 0, 0},    {6, 0x6F47, 'L', 30, 10, 0},  {7, 0x6FD5, 'T', 0, 0, 0},
    {8, 0x6FD7, 'L', 0, 0, 0},    {9, 0x6FDD, 'L', 0, 0, 0},    {10, 0x6FE7, 'L', 0, 0, 0},
    {11, 0x6FF7, 'T', 1, 0, 0},   {12, 0x6FF8, 'B', 0, 0, 0},   {13, 0x6FFC, 'B', 0, 0, 0},
    {14, 0x6FFA, 'L', 0, 0, 0},
};

// §A.4.11: DF.5GS under ADF.USIM (TS 31.102 §4.4.11).
const TemplateFile kDf5gs[] = {
    {2, 0x5FC0, 'D', 0, 0, 0},        {3, 0x4F01, 'T', 20, 0, 0x01},  {4, 0x4F02, 'T', 20, 0, 0x02},
    {5, 0x4F03, 'L', 57, 1, 0x03},    {6, 0x4F04, 'L', 57, 1, 0x04},  {7, 0x4F05, 'T', 110, 0, 0x05},
    {8, 0x4F06, 'T', 4, 0, 0x06},     {9, 0x4F07, 'T', 0, 0, 0x07},   {10, 0x4F08, 'L', 10, 0, 0x08},
    {11, 0x4F09, 'T', 0, 0, 0x09},    {12, 0x4F0A, 'T', 4, 0, 0x0A},  {13, 0x4F0B, 'B', 0, 0, 0},
    {14, 0x4F0C, 'T', 1, 0, 0x0C},
};

// §A.4.12: DF.SAIP under ADF.USIM.
const TemplateFile kDfSaip[] = {{2, 0x5FD0, 'D', 0, 0, 0}, {3, 0x4F01, 'T', 0, 0, 0}};

const Template kTemplates[] = {
    {static_cast<unsigned>(PeKind::Mf), 1, kMf},
    {static_cast<unsigned>(PeKind::Cd), 2, kCd},
    {static_cast<unsigned>(PeKind::Telecom), 3, kTelecom},
    {static_cast<unsigned>(PeKind::Usim), 4, kUsim},
    {static_cast<unsigned>(PeKind::OptUsim), 5, kOptUsim},
    {static_cast<unsigned>(PeKind::Phonebook), 6, kPhonebook},
    {static_cast<unsigned>(PeKind::GsmAccess), 7, kGsmAccess},
    {static_cast<unsigned>(PeKind::Isim), 8, kIsim},
    {static_cast<unsigned>(PeKind::OptIsim), 9, kOptIsim},
    {static_cast<unsigned>(PeKind::Df5gs), 13, kDf5gs},
    {static_cast<unsigned>(PeKind::DfSaip), 14, kDfSaip},
};

}  // namespace

const Template* templateFor(unsigned peKind) {
    for (const auto& t : kTemplates)
        if (t.peKind == peKind) return &t;
    return nullptr;
}

const TemplateFile* templateMember(const Template& t, unsigned member) {
    for (const auto& f : t.files)
        if (f.member == member) return &f;
    return nullptr;
}

}  // namespace vpcsc::euicc::saip
