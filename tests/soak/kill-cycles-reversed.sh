#!/bin/bash
# tests/soak/kill-cycles.sh in vpcd's reversed mode: the cards listen (vicc -R), the driver
# connects out to each, and must find every killed card again when it is restarted, and every
# card after pcscd itself is restarted.
SOAK_MODE=reversed exec bash "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}/tests/soak/kill-cycles.sh" "$@"
