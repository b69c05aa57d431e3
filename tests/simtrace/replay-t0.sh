#!/bin/sh
# Replays the committed SIMtrace2 T=0 engine corpus (tests/simtrace/corpus/t0) through fuzz_t0.cpp.
exec "${top_builddir:-.}/tests/simtrace/replay-t0" "${top_srcdir:-.}/tests/simtrace/corpus/t0"
