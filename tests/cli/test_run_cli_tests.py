#!/usr/bin/env python3
"""The test of the CLI test runner: run_cli_tests.py passes selftest/passing.test.in, fails each of
the 8 cases of selftest/failing.test.in once, and skips a file whose `require` is not met.

Usage: tests/cli/test_run_cli_tests.py   (exit 0 when the runner behaves)
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(path):
    env = dict(os.environ, KAZMIG=os.environ.get("KAZMIG", "/bin/false"))
    return subprocess.run([sys.executable, os.path.join(HERE, "run_cli_tests.py"), path],
                          capture_output=True, text=True, env=env, check=False)


def main():
    problems = []
    passing = run(os.path.join(HERE, "selftest", "passing.test.in"))
    if passing.returncode != 0 or "6 cases, 16 checks, 0 failed" not in passing.stdout:
        problems.append(f"passing: exit {passing.returncode}\n{passing.stdout}{passing.stderr}")
    failing = run(os.path.join(HERE, "selftest", "failing.test.in"))
    failures = [line for line in failing.stderr.splitlines() if line.startswith("FAIL: ")]
    if failing.returncode != 1 or len(failures) != 8 or "8 cases, 15 checks, 8 failed" not in \
            failing.stdout:
        problems.append(f"failing: exit {failing.returncode}, {len(failures)} failures\n"
                        f"{failing.stdout}{failing.stderr}")
    with tempfile.NamedTemporaryFile("w", suffix=".test") as skipped:
        skipped.write("require program no-such-program-kazmig\n\ncase x\n$ true\n")
        skipped.flush()
        result = run(skipped.name)
        if result.returncode != 77 or "SKIP:" not in result.stderr:
            problems.append(f"require: exit {result.returncode}, want 77\n{result.stderr}")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print("test_run_cli_tests: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
