// What a command handler answers; Iso7816Card shapes it into the R-APDU in one place
// (vicc/iso7816/response.cpp: Ne, 61xx / GET RESPONSE, 6Cxx).
#pragma once

#include <cstdint>

#include "common/bytes.hpp"
#include "common/sw.hpp"

namespace vpcsc::vicc {

struct Response {
    Bytes data;
    std::uint16_t sw = sw::kNoError;
    // The command returns exactly data.size() bytes or nothing (READ RECORD): an Ne below that
    // is answered with 6Cxx (ISO 7816-4 §5.6) instead of 61xx and GET RESPONSE.
    bool exactLength = false;

    Response() = default;
    explicit Response(Bytes d, std::uint16_t status = sw::kNoError) : data(std::move(d)), sw(status) {}
    static Response status(std::uint16_t s) { return Response({}, s); }
};

}  // namespace vpcsc::vicc
