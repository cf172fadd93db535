#!/usr/bin/env bash
# The format check of `make test` (CTest guard.format): clang-format --dry-run --Werror over the
# repository's tracked *.cc and *.h files, with the repository's .clang-format (Google style, 100
# columns). Exits 77 (CTest: skipped) when clang-format or the git checkout is missing.
#   bash tests/format/check_format.sh [REPOSITORY]     # `make format` fixes what it reports
set -euo pipefail
cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}"
if ! command -v clang-format >/dev/null; then
  echo "SKIP: clang-format is not installed (apt-get install clang-format)" >&2
  exit 77
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIP: $(pwd) is not a git checkout; the tracked files are unknown" >&2
  exit 77
fi
git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run --Werror
echo "format: $(git ls-files '*.cc' '*.h' | wc -l) files clean ($(clang-format --version))"
