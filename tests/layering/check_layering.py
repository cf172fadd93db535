#!/usr/bin/env python3
"""The layering test: every module includes only the modules it may use.

Reads the allowed dependencies from tests/layering/allowed.txt (the one machine-readable copy of
ARCHITECTURE.md's table) and checks, under the repository root:

  * every `#include "kazmig/<module>/..."` (or <...>) line of every source file in
    src/kazmig/<module>/** and in each face folder of the table (e.g. tools/kazmig/**): the included
    module is the file's own, or one its line allows;
  * `kazmig/<module>/internal/...` headers are included only by files of that module;
  * `kazmig/testing/...` is included only by *_test.cc files (tests may also use what their module
    may use);
  * every `kazmig_<module>` named in src/kazmig/<module>/CMakeLists.txt (the DEPS of
    kazmig_module(), extra target_link_libraries) is allowed too (`kazmig_testing` after TEST_DEPS);
  * every folder of src/kazmig/ has a line in the table.

Usage:
  tests/layering/check_layering.py [--root DIR] [--rules FILE]

Exit 0 when clean; 1 with one line per violation, `path:line: what is wrong`, on stderr (paths
relative to the root, sorted); 2 when the rules file cannot be read or is inconsistent.
"""

import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".cc", ".h", ".cpp", ".hpp", ".inc", ".ipp")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*["<]kazmig/([^">]*)[">]')
TESTING = "testing"


def read_rules(path):
    """Returns {unit: set of modules it may use}; a unit is a module name or a folder with '/'."""
    rules = {}
    with open(path, encoding="utf-8") as rules_file:
        for number, line in enumerate(rules_file, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, sep, uses = line.partition(":")
            name = name.strip()
            if not sep or not name or name in rules:
                raise ValueError(f"{path}:{number}: expected one '<module>: <modules...>' line")
            rules[name] = set(uses.split())
    modules = {name for name in rules if "/" not in name}
    for name, uses in rules.items():
        unknown = sorted(uses - modules)
        if unknown:
            raise ValueError(f"{path}: '{name}' uses unknown module(s) {', '.join(unknown)}")
    return rules


def source_files(folder):
    for directory, subdirs, files in os.walk(folder):
        subdirs.sort()
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(directory, name)


def check_includes(root, unit, module, folder, rules, violations):
    """Checks the #include lines of every source file under `folder` (unit `unit`, whose own
    module is `module`, or None for a face)."""
    allowed = rules[unit]
    for path in source_files(folder):
        relative = os.path.relpath(path, root)
        is_test = path.endswith(("_test.cc", "_test.h"))  # _test.h: test-only headers
        with open(path, encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, 1):
                match = INCLUDE_RE.match(line)
                if not match:
                    continue
                header = "kazmig/" + match.group(1)
                parts = match.group(1).split("/")
                where = f"{relative}:{number}"
                if len(parts) < 2:
                    violations.append(f"{where}: \"{header}\" is not in a module folder")
                    continue
                used = parts[0]
                if used == module:
                    continue
                if "internal" in parts[1:-1]:
                    violations.append(
                        f"{where}: {unit} may not include \"{header}\" (internal to {used})")
                elif used == TESTING:
                    if not is_test:
                        violations.append(f"{where}: \"{header}\" is for *_test.cc files only")
                elif used not in rules or "/" in used:
                    violations.append(f"{where}: \"{header}\": no module '{used}' in the table")
                elif used not in allowed:
                    violations.append(
                        f"{where}: {unit} may not include \"{header}\" ({unit} may use: "
                        f"{', '.join(sorted(allowed)) or 'no other module'})")


CMAKE_TOKEN_RE = re.compile(r"[A-Za-z0-9_:.${}-]+|[()]")


def check_cmake(root, module, path, rules, violations):
    """Checks every kazmig_<module> named in a module's CMakeLists.txt."""
    allowed = rules[module]
    relative = os.path.relpath(path, root)
    depth, in_test_deps = 0, False
    with open(path, encoding="utf-8") as cmake:
        for number, line in enumerate(cmake, 1):
            for token in CMAKE_TOKEN_RE.findall(line.split("#", 1)[0]):
                if token == "(":
                    depth += 1
                elif token == ")":
                    depth -= 1
                    if depth == 0:
                        in_test_deps = False
                elif token in ("DEPS", "TEST_DEPS"):
                    in_test_deps = token == "TEST_DEPS"
                elif token.startswith("kazmig_"):
                    used = token[len("kazmig_"):]
                    if used == module or used not in rules:
                        continue
                    if used == TESTING and in_test_deps:
                        continue
                    if used not in allowed:
                        violations.append(f"{relative}:{number}: {module} may not link {token} "
                                          f"({module} may use: "
                                          f"{', '.join(sorted(allowed)) or 'no other module'})")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(here)))
    parser.add_argument("--rules", default=os.path.join(here, "allowed.txt"))
    args = parser.parse_args()
    try:
        rules = read_rules(args.rules)
    except (OSError, ValueError) as error:
        print(f"check_layering: {error}", file=sys.stderr)
        return 2

    violations = []
    library = os.path.join(args.root, "src", "kazmig")
    if os.path.isdir(library):
        for module in sorted(os.listdir(library)):
            folder = os.path.join(library, module)
            if not os.path.isdir(folder):
                continue
            if module not in rules:
                violations.append(f"{os.path.relpath(folder, args.root)}: module '{module}' has "
                                  f"no line in {os.path.relpath(args.rules, args.root)}")
                continue
            check_includes(args.root, module, module, folder, rules, violations)
            cmake = os.path.join(folder, "CMakeLists.txt")
            if os.path.isfile(cmake):
                check_cmake(args.root, module, cmake, rules, violations)
    for face in sorted(name for name in rules if "/" in name):
        folder = os.path.join(args.root, face)
        if os.path.isdir(folder):
            check_includes(args.root, face, None, folder, rules, violations)

    if violations:
        for violation in sorted(violations):
            print(violation, file=sys.stderr)
        print(f"check_layering: {len(violations)} violation(s) of the allowed dependencies in "
              f"{os.path.relpath(args.rules, args.root)}", file=sys.stderr)
        return 1
    print("check_layering: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
