#!/usr/bin/env python3
"""Declarative command-line tests (in the spirit of DuckDB's sqllogictest): tests/cli/*.test.

A .test file is a sequence of records separated by blank lines; a line starting with `#` between
records is a comment. The records run in order, in one fresh temporary folder per file.

  require file PATH           skip the whole file (exit 77) unless PATH exists
  require program NAME        skip the whole file unless NAME is on PATH
  dir PATH                    create a folder (and its parents)
  file PATH [encoding ENC]    write the following lines (each ended by a newline) to PATH, encoded
  <lines...>                  as ENC (default utf-8, e.g. windows-1251); parents are created
  case DESCRIPTION            run one command and check what it did (below)

A case (lines starting with `#` in it are comments):

  case unknown region: exit 3 naming it
  $ kazmig regions --region Atlantis          the command: shell words (no pipes or redirections);
                                              `kazmig` as the first word is the binary; a line
                                              ending in `\\` continues on the next
  env NAME=VALUE                              extra environment of the command (repeatable)
  cwd PATH                                    working folder of the command
  stdin PATH                                  file given as standard input
  save PATH                                   write the command's stdout to PATH (for later cases)
  unchanged PATH                              PATH has the same bytes after the command as before
  exit N                                      expected exit code (default 0)
  stderr contains TEXT                        stderr holds TEXT (fixed string); repeatable
  stderr matches REGEX                        a Python regular expression found in stderr
  stderr empty                                nothing on stderr
  stdout lacks TEXT                           stdout does not hold TEXT
  ---- [MODE] [<<END]                         the expected stdout follows, up to a blank line (or
  <expected lines...>                         up to the line END when `<<END` is given)

MODE says how the expected block is compared with stdout:
  (none)              exactly, byte for byte (the lines each end with a newline; an empty block is
                      an empty stdout)
  csv [rel=R] [abs=A] as CSV: the same rows and fields; fields that both parse as numbers may
                      differ by A + R * max(|a|, |b|) (default rel=1e-9, abs=0); others exactly
  json [rel=R] [abs=A] as JSON: every key of an expected object is in the actual one with a
                      matching value (other keys may be there too); arrays match element by
                      element; numbers within the tolerance (default rel=1e-9, abs=0)
  lines               every expected line is a whole line of stdout (like grep -x), in any order
  contains            every expected line occurs in stdout (like grep -F)
  regex               every expected line is a regular expression found in stdout (re.MULTILINE)
Without a `----` block stdout is not checked.

Variables, written ${NAME}, are replaced in commands, paths, expected text and patterns:
  KAZMIG              the binary (from $KAZMIG)
  KAZMIG_SOURCE_DIR   the repository (from $KAZMIG_SOURCE_DIR)
  FIXTURES            ${KAZMIG_SOURCE_DIR}/tests/fixtures
  SHARED_DATA         $KAZMIG_SHARED_DATA, else ${KAZMIG_SOURCE_DIR}/../shared/data (real data
                      for tests that `require file ${SHARED_DATA}/...`)
  TMP                 the file's temporary folder (removed afterwards)
  DB                  ${TMP}/kazmig.db, also exported as KAZMIG_DB
Commands get the caller's environment plus KAZMIG_DB and each case's env lines.

Usage:
  run_cli_tests.py FILE.test...                  run them (KAZMIG, KAZMIG_SOURCE_DIR: environment)
  run_cli_tests.py --update FILE.test...         fill the empty exact and csv blocks with the
                                                 actual stdout (a new golden: read it!); to renew
                                                 a golden, empty its block first
Exit 0 when every case passes, 1 on a failure (each named FILE:LINE with a diff), 2 on a file that
does not parse, 77 when a `require` is not met.
"""

import argparse
import csv
import difflib
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

VARIABLE_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
COMMAND_TIMEOUT_SECONDS = 600


class ParseError(Exception):
    pass


class Skip(Exception):
    pass


class Case:
    def __init__(self, line, description):
        self.line = line
        self.description = description
        self.argv = None
        self.env = {}
        self.cwd = None
        self.stdin = None
        self.save = None
        self.unchanged = []
        self.exit = 0
        self.stderr_checks = []  # (kind, text)
        self.stdout_lacks = []
        self.expect_mode = None  # None: stdout not checked
        self.expect_options = {}
        self.expect_lines = []
        self.expect_span = None  # (---- line index, index after the block), for --update


def split_records(lines):
    """Yields (first line number, [lines]) for each blank-line separated record; a `<<END` on a
    record's line makes the following lines, up to END, part of the record."""
    record, start, index = [], 0, 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if record:
                yield start, record
                record = []
            index += 1
            continue
        if not record:
            if line.lstrip().startswith("#"):
                index += 1
                continue
            start = index
        record.append((index, line))
        match = re.search(r"<<([A-Za-z_]+)\s*$", line)
        if match and (line.startswith("----") or line.startswith("file ")):
            end_marker = match.group(1)
            index += 1
            while index < len(lines) and lines[index] != end_marker:
                record.append((index, lines[index]))
                index += 1
            if index == len(lines):
                raise ParseError(f"line {start + 1}: no closing {end_marker}")
            record.append((index, lines[index]))
        index += 1
    if record:
        yield start, record


def parse(path):
    with open(path, encoding="utf-8") as test_file:
        lines = test_file.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    items = []
    for start, record in split_records(lines):
        head = record[0][1]
        where = f"{path}:{start + 1}"
        if head.startswith("require "):
            words = head.split(None, 2)
            if len(words) != 3 or words[1] not in ("file", "program") or len(record) != 1:
                raise ParseError(f"{where}: expected `require file PATH` or `require program NAME`")
            items.append(("require", start, words[1], words[2]))
        elif head.startswith("dir "):
            items.append(("dir", start, head[4:].strip()))
        elif head.startswith("file "):
            words = head[5:].split()
            ended = words and words[-1].startswith("<<")
            if ended:
                words = words[:-1]
            encoding = "utf-8"
            if len(words) == 3 and words[1] == "encoding":
                encoding = words[2]
            elif len(words) != 1:
                raise ParseError(f"{where}: expected `file PATH [encoding ENC] [<<END]`")
            body = [line for _, line in record[1:]]
            if ended:
                body = body[:-1]
            items.append(("file", start, words[0], encoding, body))
        elif head.startswith("case"):
            items.append(("case", start, parse_case(path, start, record)))
        else:
            raise ParseError(f"{where}: a record starts with require, dir, file or case, "
                             f"not {head!r}")
    return lines, items


def parse_case(path, start, record):
    case = Case(start + 1, record[0][1][4:].strip())
    position = 1
    while position < len(record):
        index, line = record[position]
        where = f"{path}:{index + 1}"
        position += 1
        if line.startswith("#"):
            continue
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and position < len(record):
                command = command[:-1] + " " + record[position][1].strip()
                position += 1
            try:
                case.argv = shlex.split(command)
            except ValueError as error:
                raise ParseError(f"{where}: {error}") from error
        elif line.startswith("env "):
            name, sep, value = line[4:].partition("=")
            if not sep:
                raise ParseError(f"{where}: expected `env NAME=VALUE`")
            case.env[name.strip()] = value
        elif line.startswith("cwd "):
            case.cwd = line[4:].strip()
        elif line.startswith("stdin "):
            case.stdin = line[6:].strip()
        elif line.startswith("save "):
            case.save = line[5:].strip()
        elif line.startswith("unchanged "):
            case.unchanged.append(line[10:].strip())
        elif line.startswith("exit "):
            try:
                case.exit = int(line[5:])
            except ValueError as error:
                raise ParseError(f"{where}: expected `exit N`") from error
        elif line.startswith("stderr contains "):
            case.stderr_checks.append(("contains", line[len("stderr contains "):]))
        elif line.startswith("stderr matches "):
            case.stderr_checks.append(("matches", line[len("stderr matches "):]))
        elif line == "stderr empty":
            case.stderr_checks.append(("empty", ""))
        elif line.startswith("stdout lacks "):
            case.stdout_lacks.append(line[len("stdout lacks "):])
        elif line.startswith("----"):
            words = line[4:].split()
            end_marker = None
            if words and words[-1].startswith("<<"):
                end_marker = words.pop()[2:]
            case.expect_mode = words[0] if words else "exact"
            if case.expect_mode not in ("exact", "csv", "json", "lines", "contains", "regex"):
                raise ParseError(f"{where}: unknown comparison {case.expect_mode!r}")
            for option in words[1:]:
                key, sep, value = option.partition("=")
                if case.expect_mode not in ("csv", "json") or key not in ("rel", "abs") or \
                        not sep:
                    raise ParseError(f"{where}: unknown option {option!r}")
                case.expect_options[key] = float(value)
            block = record[position:]
            if end_marker is not None:
                block = block[:-1]
            case.expect_lines = [text for _, text in block]
            case.expect_span = (index, record[-1][0] + 1)
            position = len(record)
        else:
            raise ParseError(f"{where}: unknown line in a case: {line!r}")
    if case.argv is None:
        raise ParseError(f"{path}:{start + 1}: case without a `$ command` line")
    return case


def expand(text, variables, where):
    def replace(match):
        if match.group(1) not in variables:
            raise ParseError(f"{where}: unknown variable ${{{match.group(1)}}}")
        return variables[match.group(1)]

    return VARIABLE_RE.sub(replace, text)


def as_number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if text.strip() == text and text != "" else None


def compare_csv(actual, expected, rel, absolute):
    """Returns None when the CSV texts agree within the tolerance, else what differs."""
    actual_rows = list(csv.reader(io.StringIO(actual)))
    expected_rows = list(csv.reader(io.StringIO(expected)))
    if len(actual_rows) != len(expected_rows):
        return f"{len(actual_rows)} CSV rows, want {len(expected_rows)}"
    for row_number, (got, want) in enumerate(zip(actual_rows, expected_rows), 1):
        if len(got) != len(want):
            return f"row {row_number}: {len(got)} fields, want {len(want)}: {got} vs {want}"
        for column, (a, b) in enumerate(zip(got, want), 1):
            if a == b:
                continue
            x, y = as_number(a), as_number(b)
            if x is None or y is None or abs(x - y) > absolute + rel * max(abs(x), abs(y)):
                return f"row {row_number}, field {column}: {a!r}, want {b!r}"
    return None


def compare_json(actual, expected, rel, absolute, where="$"):
    """Returns None when `actual` holds `expected` (keys of objects, arrays element by element,
    numbers within the tolerance), else what differs and where (a JSON path)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: {json.dumps(actual)[:200]}, want an object"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}: no key {key!r}"
            problem = compare_json(actual[key], value, rel, absolute, f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: {json.dumps(actual)[:200]}, want {len(expected)} elements"
        for index, (got, want) in enumerate(zip(actual, expected)):
            problem = compare_json(got, want, rel, absolute, f"{where}[{index}]")
            if problem:
                return problem
        return None
    numbers = (int, float)
    if isinstance(expected, numbers) and not isinstance(expected, bool) and \
            isinstance(actual, numbers) and not isinstance(actual, bool):
        if abs(actual - expected) <= absolute + rel * max(abs(actual), abs(expected)):
            return None
    elif actual == expected and type(actual) is type(expected):
        return None
    return f"{where}: {json.dumps(actual)[:200]}, want {json.dumps(expected)}"


def digest(path):
    try:
        with open(path, "rb") as data:
            return hashlib.sha256(data.read()).hexdigest()
    except OSError:
        return None


def show(text, limit=3000):
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more chars)"


def run_case(path, case, variables, base_env):
    """Runs one case; returns (failures, checks, stdout)."""
    where = f"{path}:{case.line}"
    argv = [expand(word, variables, where) for word in case.argv]
    if argv[0] == "kazmig":
        argv[0] = variables["KAZMIG"]
    env = dict(base_env)
    for name, value in case.env.items():
        env[name] = expand(value, variables, where)
    unchanged = {p: digest(p) for p in (expand(u, variables, where) for u in case.unchanged)}
    stdin = open(expand(case.stdin, variables, where), "rb") if case.stdin else subprocess.DEVNULL
    try:
        result = subprocess.run(argv, stdin=stdin, capture_output=True, env=env,
                                cwd=expand(case.cwd, variables, where) if case.cwd else None,
                                timeout=COMMAND_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [f"{where}: {case.description}: {error}"], 1, ""
    finally:
        if case.stdin:
            stdin.close()
    stdout = result.stdout.decode("utf-8", errors="replace")
    stderr = result.stderr.decode("utf-8", errors="replace")
    if case.save:
        with open(expand(case.save, variables, where), "wb") as saved:
            saved.write(result.stdout)

    failures, checks = [], 0

    def fail(message):
        failures.append(f"{where}: {case.description}: {message}\n  command: {shlex.join(argv)}")

    checks += 1
    if result.returncode != case.exit:
        fail(f"exit {result.returncode}, want {case.exit}; stderr:\n{show(stderr)}")
    for kind, text in case.stderr_checks:
        checks += 1
        text = expand(text, variables, where)
        if kind == "contains" and text not in stderr:
            fail(f"stderr lacks {text!r}; stderr:\n{show(stderr)}")
        elif kind == "matches" and not re.search(text, stderr, re.MULTILINE):
            fail(f"stderr does not match {text!r}; stderr:\n{show(stderr)}")
        elif kind == "empty" and stderr:
            fail(f"stderr is not empty:\n{show(stderr)}")
    for text in case.stdout_lacks:
        checks += 1
        text = expand(text, variables, where)
        if text in stdout:
            fail(f"stdout holds {text!r}")
    for unchanged_path, before in unchanged.items():
        checks += 1
        if digest(unchanged_path) != before:
            fail(f"{unchanged_path} changed")
    if case.expect_mode is not None:
        expected_lines = [expand(line, variables, where) for line in case.expect_lines]
        expected = "".join(line + "\n" for line in expected_lines)
        mode = case.expect_mode
        if mode == "exact":
            checks += 1
            if stdout != expected:
                diff = "".join(difflib.unified_diff(expected.splitlines(True),
                                                    stdout.splitlines(True), "expected", "stdout"))
                fail(f"stdout differs:\n{show(diff)}")
        elif mode == "csv":
            checks += 1
            problem = compare_csv(stdout, expected, case.expect_options.get("rel", 1e-9),
                                  case.expect_options.get("abs", 0.0))
            if problem:
                fail(f"stdout differs as CSV: {problem}")
        elif mode == "json":
            checks += 1
            try:
                problem = compare_json(json.loads(stdout), json.loads(expected),
                                       case.expect_options.get("rel", 1e-9),
                                       case.expect_options.get("abs", 0.0))
            except json.JSONDecodeError as error:
                problem = f"not JSON ({error})"
            if problem:
                fail(f"stdout differs as JSON: {problem}")
        else:
            stdout_lines = set(stdout.split("\n"))
            for line in expected_lines:
                checks += 1
                if mode == "lines" and line not in stdout_lines:
                    fail(f"stdout has no line {line!r}; stdout:\n{show(stdout)}")
                elif mode == "contains" and line not in stdout:
                    fail(f"stdout lacks {line!r}; stdout:\n{show(stdout)}")
                elif mode == "regex" and not re.search(line, stdout, re.MULTILINE):
                    fail(f"stdout does not match {line!r}; stdout:\n{show(stdout)}")
    return failures, checks, stdout


def unexpand(text, variables):
    """Writes the run's temporary folder and the repository back as ${TMP} and
    ${KAZMIG_SOURCE_DIR} (for --update)."""
    for name in ("TMP", "FIXTURES", "SHARED_DATA", "KAZMIG_SOURCE_DIR"):
        text = text.replace(variables[name], "${" + name + "}")
    return text


def run_file(path, update):
    lines, items = parse(path)
    source_dir = os.path.abspath(os.environ.get("KAZMIG_SOURCE_DIR", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")))
    kazmig = os.environ.get("KAZMIG")
    if not kazmig:
        raise ParseError("KAZMIG must point to the kazmig binary")
    fixed = {"KAZMIG_SOURCE_DIR": source_dir,
             "FIXTURES": os.path.join(source_dir, "tests", "fixtures"),
             "SHARED_DATA": os.environ.get("KAZMIG_SHARED_DATA") or os.path.normpath(
                 os.path.join(source_dir, "..", "shared", "data"))}
    for item in items:
        if item[0] == "require":
            _, start, kind, value = item
            value = expand(value, fixed, f"{path}:{start + 1}")
            if kind == "file" and not os.path.exists(value):
                raise Skip(f"{value} not present")
            if kind == "program" and shutil.which(value) is None:
                raise Skip(f"{value} is not installed")

    failures, checks, cases = [], 0, 0
    replacements = []  # (first, end, new lines) for --update
    with tempfile.TemporaryDirectory(prefix="kazmig-cli-") as tmp:
        variables = dict(fixed, KAZMIG=kazmig, TMP=tmp, DB=os.path.join(tmp, "kazmig.db"))
        base_env = dict(os.environ, KAZMIG_DB=variables["DB"])
        for item in items:
            where = f"{path}:{item[1] + 1}"
            if item[0] == "dir":
                os.makedirs(expand(item[2], variables, where), exist_ok=True)
            elif item[0] == "file":
                _, _, target, encoding, body = item
                target = expand(target, variables, where)
                os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
                with open(target, "wb") as out:
                    out.write("".join(expand(line, variables, where) + "\n"
                                      for line in body).encode(encoding))
            elif item[0] == "case":
                case = item[2]
                cases += 1
                case_failures, case_checks, stdout = run_case(path, case, variables, base_env)
                checks += case_checks
                failures += case_failures
                if update and case.expect_mode in ("exact", "csv") and not case.expect_lines:
                    new = unexpand(stdout, variables).split("\n")
                    if new and new[-1] == "":
                        new.pop()
                    replacements.append((case.expect_span, new))
    if update and replacements:
        for (header, end), new in sorted(replacements, reverse=True):
            head = re.sub(r"\s*<<[A-Za-z_]+\s*$", "", lines[header])
            if any(not line.strip() or line == "END" for line in new):
                lines[header:end] = [head + " <<END"] + new + ["END"]
            else:
                lines[header:end] = [head] + new
        with open(path, "w", encoding="utf-8") as test_file:
            test_file.write("\n".join(lines) + "\n")
        print(f"{path}: rewrote {len(replacements)} expected block(s)")
    return failures, checks, cases


def main():
    parser = argparse.ArgumentParser(
        description="Runs declarative kazmig command-line tests (see the top of this file).")
    parser.add_argument("--update", action="store_true",
                        help="fill empty exact and csv blocks with the actual stdout")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    status = 0
    for path in args.files:
        try:
            failures, checks, cases = run_file(path, args.update)
        except ParseError as error:
            print(f"run_cli_tests: {error}", file=sys.stderr)
            return 2
        except Skip as skip:
            print(f"SKIP: {path}: {skip}", file=sys.stderr)
            status = status or 77
            continue
        for failure in failures:
            print(f"FAIL: {failure}", file=sys.stderr)
        if failures and not args.update:
            status = 1
        print(f"{os.path.basename(path)}: {cases} cases, {checks} checks, "
              f"{len(failures)} failed")
    return status


if __name__ == "__main__":
    sys.exit(main())
