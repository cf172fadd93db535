#!/usr/bin/env bash
# The bad-input corpus (tests/hardening/run_corpus.py): every command that reads a file, against
# every class of hostile input (missing, directory, empty, /dev/zero, NUL bytes, a record without
# a line end, 80,000 columns, invalid UTF-8, ragged rows, binary, a FIFO), plus bad option values,
# numbers at the double limit, outputs onto devices, links and protected files, duplicated output
# paths and a foreign database. Each case: exit code, message pattern, no partial output.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
python3 "$KAZMIG_SOURCE_DIR/tests/hardening/run_corpus.py"
