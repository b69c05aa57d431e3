// Log lines go to pcscd's log (its exported log_msg) inside pcscd, to stderr otherwise.
#pragma once

namespace vpcsc::simtrace {

void installPcscdLogSink();

}  // namespace vpcsc::simtrace
