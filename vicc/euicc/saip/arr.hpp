// Access rules referenced from EF.ARR (TS 102 221 §9.2.7, ISO 7816-4 §9.3.3 expanded format)
// turned into the compact security attributes (tag 8C) that the vicc file system enforces
// (vicc/sim/access.hpp: SC 00 always, FF never, 1n = PIN level n: 1 PIN1, 2 PIN2, A ADM).
#pragma once

#include "common/bytes.hpp"

namespace vpcsc::euicc::saip {

// One EF.ARR record (AM DO / SC DO pairs, FF padding) to 8C content: AM byte 7F and seven SC
// bytes for b7..b1. A mode no rule names is never allowed; an OR template takes its weakest
// user condition, an AND template its strongest. Command-specific AM DOs (84) are honoured for
// INCREASE (32, as b3). Throws ParseError on a malformed record.
Bytes compactFromArrRecord(ByteView record);

}  // namespace vpcsc::euicc::saip
