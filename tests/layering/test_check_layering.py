#!/usr/bin/env python3
"""The test of the layering test: check_layering.py passes on fixtures/clean and fails on
fixtures/bad naming exactly the wrong lines (both trees use fixtures/allowed.txt).

Usage: tests/layering/test_check_layering.py   (exit 0 when the checker behaves)
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "fixtures", "allowed.txt")
EXPECTED_BAD = [
    "src/kazmig/extra: module 'extra' has no line in ../allowed.txt",
    'src/kazmig/io/csv.cc:6: "kazmig/testing/testing.h" is for *_test.cc files only',
    'src/kazmig/io/csv_test.cc:2: io may not include "kazmig/report/page.h" (io may use: core)',
    "src/kazmig/report/CMakeLists.txt:2: report may not link kazmig_store (report may use: core)",
    'src/kazmig/report/page.cc:4: report may not include "kazmig/store/store.h" '
    "(report may use: core)",
    'tools/kazmig/main.cc:1: tools/kazmig may not include "kazmig/store/store.h" '
    "(tools/kazmig may use: core, io, report)",
    'tools/kazmig/main.cc:3: tools/kazmig may not include "kazmig/core/internal/bits.h" '
    "(internal to core)",
    'tools/kazmig/main.cc:6: "kazmig/version.h" is not in a module folder',
    "check_layering: 8 violation(s) of the allowed dependencies in ../allowed.txt",
]


def run(tree):
    return subprocess.run(
        [sys.executable, os.path.join(HERE, "check_layering.py"), "--root",
         os.path.join(HERE, "fixtures", tree), "--rules", RULES],
        capture_output=True, text=True, check=False)


def main():
    failures = []
    clean = run("clean")
    if clean.returncode != 0 or clean.stderr:
        failures.append(f"clean tree: exit {clean.returncode}, stderr:\n{clean.stderr}")
    bad = run("bad")
    if bad.returncode != 1:
        failures.append(f"bad tree: exit {bad.returncode}, want 1")
    if bad.stderr.splitlines() != EXPECTED_BAD:
        failures.append("bad tree: stderr is\n" + bad.stderr + "want\n" + "\n".join(EXPECTED_BAD))
    broken = subprocess.run(
        [sys.executable, os.path.join(HERE, "check_layering.py"), "--rules", os.devnull + "x"],
        capture_output=True, text=True, check=False)
    if broken.returncode != 2:
        failures.append(f"missing rules file: exit {broken.returncode}, want 2")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("test_check_layering: ok (clean tree passes, 8 violations found in the bad one)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
