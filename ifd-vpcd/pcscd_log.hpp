// Log lines go to pcscd's own log when the driver runs inside pcscd (pcscd exports
// log_msg(priority, fmt, ...), see debuglog.h), and to stderr otherwise (dlopen tests, tools).
#pragma once

namespace vpcsc::ifd {

void installPcscdLogSink();

}  // namespace vpcsc::ifd
