// vpcsc-bench modes; each parses its own arguments (after the mode word) and returns an exit code.
#pragma once

namespace vpcsc::bench {

int apduMode(int argc, char** argv);      // throughput and latency of SCardTransmit
int presenceMode(int argc, char** argv);  // insertion/removal latency of a card process
int scriptMode(int argc, char** argv);    // named command cases against a real card
int toolMode(int argc, char** argv);      // list / wait / transmit / atr: helpers for the tests

}  // namespace vpcsc::bench
