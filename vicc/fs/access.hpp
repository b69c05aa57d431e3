// The one access check every command goes through: life cycle status (ISO 7816-4 §7.4.10) and
// the compact security attributes of tag 8C (ISO 7816-4 §9.3). Expanded (AB) and referenced (8B)
// attributes are stored and returned in the FCP but not enforced.
#pragma once

#include <cstdint>
#include <optional>

#include "vicc/fs/file.hpp"
#include "vicc/iso7816/security_state.hpp"

namespace vpcsc::vicc::fs {

// What a command does to a file; each maps to one bit of the access mode byte (ISO 7816-4 §9.3,
// AM byte for EFs / for DFs / for data objects).
enum class AccessMode {
    Read,         // EF b1: READ BINARY/RECORD, SEARCH RECORD
    Update,       // EF b2: UPDATE BINARY/RECORD, ERASE BINARY/RECORD
    Write,        // EF b3: WRITE BINARY/RECORD, APPEND RECORD
    GetData,      // BER-TLV EF b1; DF data objects: unrestricted
    PutData,      // BER-TLV EF b2; DF data objects: DF b2 (as CREATE FILE EF)
    DeleteChild,  // DF b1: DELETE FILE of a child
    CreateEf,     // DF b2
    CreateDf,     // DF b3
    Deactivate,   // b4
    Activate,     // b5
    Terminate,    // b6
    DeleteSelf,   // b7
};

// The AM bit that governs the mode on this file, 0 when none does.
std::uint8_t accessModeBit(const File& file, AccessMode mode);
// The SC byte for the mode from tag 8C: nullopt when the file has no 8C or the AM bit is clear
// (no restriction); FF when the SC byte is missing from a malformed 8C.
std::optional<std::uint8_t> securityCondition(const File& file, AccessMode mode);
// The life cycle that governs a file (ISO 7816-9 §6.5): terminated when it or an ancestor is,
// else deactivated when it or an ancestor is, else its own.
LifeCycle effectiveLifeCycle(const File& file);
// Throws SwError 6985 when the (effective) life cycle status forbids the mode (deactivated, terminated) and
// 6982 when the security status does not satisfy the condition. In the creation and
// initialisation states no security condition is enforced (personalisation). A file whose
// ancestor is deactivated or terminated can only be deleted (DeleteSelf / DeleteChild).
void checkAccess(const File& file, AccessMode mode, const SecurityState& state);
// Whether the compact attributes (AM byte then one SC byte per AM bit b7-b1) are well formed.
bool validCompactSecurity(ByteView attributes);

}  // namespace vpcsc::vicc::fs
