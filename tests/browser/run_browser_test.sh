#!/usr/bin/env bash
# Runs one browser test (tests/browser/*.mjs) with node; skips (exit 77, which CTest reports as
# skipped) when node is missing. The script itself skips when chromium, web/node_modules or the
# bundled dashboard (build/web) is missing. Environment: KAZMIG, KAZMIG_SOURCE_DIR,
# KAZMIG_WEB_ROOT, KAZMIG_TEST_ARTIFACTS (set by tests/CMakeLists.txt).
set -euo pipefail
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/setup-deps.sh installs it)" >&2
  exit 77
fi
exec node "$(dirname "${BASH_SOURCE[0]}")/$1"
