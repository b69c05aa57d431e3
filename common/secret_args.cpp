#include "common/secret_args.hpp"

#include <cstring>

namespace vpcsc {
namespace {

void blank(char* s) {
    for (; *s; ++s) *s = '*';
}

}  // namespace

int hideSecretArguments(int argc, char** argv, std::initializer_list<std::string_view> options) {
    int hidden = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;  // what follows is not an option
        for (const std::string_view opt : options) {
            if (arg == opt && i + 1 < argc) {
                blank(argv[++i]);
                ++hidden;
                break;
            }
            const bool shortOpt = opt.size() == 2;  // "-c": also "-cVALUE"
            if (arg.size() > opt.size() && arg.substr(0, opt.size()) == opt && (shortOpt || arg[opt.size()] == '=')) {
                blank(argv[i] + opt.size() + (arg[opt.size()] == '=' ? 1 : 0));
                ++hidden;
                break;
            }
        }
    }
    return hidden;
}

}  // namespace vpcsc
