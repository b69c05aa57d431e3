#!/bin/sh
# Replays the committed SIMtrace2 codec corpus (tests/simtrace/corpus/st2) through fuzz_st2.cpp.
exec "${top_builddir:-.}/tests/simtrace/replay-st2" "${top_srcdir:-.}/tests/simtrace/corpus/st2"
