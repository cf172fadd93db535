# What every integration test shares; each *_test.sh starts with
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Strict mode; KAZMIG (the binary) and KAZMIG_SOURCE_DIR (the repository) required; $tmp, a
# temporary folder removed at exit, holding the database (KAZMIG_DB); and:
#   fail MESSAGE                          print "FAIL: MESSAGE" and exit 1
#   skip MESSAGE                          print "SKIP: MESSAGE" on stderr and exit 77, which CTest
#                                         reports as skipped (SKIP_RETURN_CODE): for a test that
#                                         cannot run here (shared data, mpiexec, pandas missing)
#   expect_exit [-F] CODE PATTERN CMD...  CMD exits CODE and, unless PATTERN is empty, its stderr
#                                         (kept in $tmp/err.txt) matches PATTERN (grep; with -F a
#                                         fixed string)
set -euo pipefail
: "${KAZMIG:?KAZMIG must point to the kazmig binary}"
: "${KAZMIG_SOURCE_DIR:?KAZMIG_SOURCE_DIR must point to the repository}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KAZMIG_DB="$tmp/kazmig.db"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

expect_exit() {
  local grep_mode=-q
  if [ "$1" = "-F" ]; then
    grep_mode=-qF
    shift
  fi
  local code=$1 pattern=$2 rc
  shift 2
  set +e
  "$@" >/dev/null 2>"$tmp/err.txt"
  rc=$?
  set -e
  [ "$rc" -eq "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err.txt"))"
  [ -z "$pattern" ] || grep "$grep_mode" -- "$pattern" "$tmp/err.txt" ||
    fail "$*: stderr lacks '$pattern': $(cat "$tmp/err.txt")"
}
