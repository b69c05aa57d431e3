// Log lines of our pcscd drivers go to pcscd's own log when the driver runs inside pcscd (pcscd
// exports log_msg(priority, fmt, ...), see debuglog.h), and to stderr otherwise (dlopen tests,
// tools). Only the drivers call this.
#pragma once

namespace vpcsc::log {

// Every line is prefixed with the driver's name ("ifd-vpcd", "ifd-simtrace") and the level.
void installPcscdSink(const char* driverName);

}  // namespace vpcsc::log
