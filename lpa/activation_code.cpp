#include "lpa/activation_code.hpp"

#include <stdexcept>
#include <vector>

#include "lpa/es9_transport.hpp"

namespace vpcsc::lpa {

namespace {

std::vector<std::string_view> splitDollar(std::string_view s) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto d = s.find('$');
        out.push_back(s.substr(0, d));
        if (d == std::string_view::npos) return out;
        s.remove_prefix(d + 1);
    }
}

// A dotted OID of at least two arcs, digits only (X.660).
bool isOid(std::string_view s) {
    int arcs = 0;
    bool digit = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (c == '.' && digit) {
            ++arcs;
            digit = false;
        } else {
            return false;
        }
    }
    return digit && arcs >= 1;
}

bool printable(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x21 || c > 0x7E) return false;
    return true;
}

}  // namespace

ActivationCode parseActivationCode(std::string_view code) {
    // The "LPA:" scheme prefix of a QR code (SGP.22 §4.1.3); the rest is the Activation Code.
    if (code.size() >= 4 && (code[0] | 0x20) == 'l' && (code[1] | 0x20) == 'p' && (code[2] | 0x20) == 'a' && code[3] == ':')
        code.remove_prefix(4);
    if (code.size() > 255) throw std::invalid_argument("activation code: longer than 255 characters");
    if (!printable(code)) throw std::invalid_argument("activation code: control or non-ASCII characters");
    const auto f = splitDollar(code);
    if (f[0] != "1") throw std::invalid_argument("activation code: format \"" + std::string(f[0]) + "\" (only 1 is defined)");
    if (f.size() < 3 || f.size() > 5)
        throw std::invalid_argument("activation code: expected 1$<SM-DP+ address>$<matchingId>[$<OID>[$<flag>]]");
    ActivationCode ac;
    ac.smdpAddress = std::string(f[1]);
    if (ac.smdpAddress.empty()) throw std::invalid_argument("activation code: no SM-DP+ address");
    try {
        parseAddress(ac.smdpAddress);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("activation code: ") + e.what());
    }
    ac.matchingId = std::string(f[2]);
    if (f.size() >= 4 && !f[3].empty()) {
        if (!isOid(f[3])) throw std::invalid_argument("activation code: \"" + std::string(f[3]) + "\" is not an OID");
        ac.smdpOid = std::string(f[3]);
    }
    if (f.size() == 5) {
        if (f[4] == "1") ac.confirmationCodeRequired = true;
        else if (!f[4].empty() && f[4] != "0")
            throw std::invalid_argument("activation code: confirmation code flag \"" + std::string(f[4]) + "\" (1 or empty)");
    }
    return ac;
}

}  // namespace vpcsc::lpa
