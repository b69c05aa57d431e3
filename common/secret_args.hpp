// Hides secret option values (keys, confirmation codes) from other local users once they are
// parsed: /proc/PID/cmdline (and so ps) reads the argument strings from the process's own memory,
// so overwriting them in place is what every later reader sees. The values given before parsing
// are in the process's memory for the first milliseconds only; a file option is the safe way.
#pragma once

#include <initializer_list>
#include <string_view>

namespace vpcsc {

// For each option in `options` (e.g. "--ki"), overwrites its value in argv with '*', in both
// forms "--ki VALUE" and "--ki=VALUE" (a short option "-c" also as "-cVALUE"). Returns how many
// values were hidden.
int hideSecretArguments(int argc, char** argv, std::initializer_list<std::string_view> options);

}  // namespace vpcsc
