#!/usr/bin/env bash
# The command line's contract: --help everywhere, --version, exit codes 0/2/3, regions output.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$KAZMIG" --version | grep -Eq '^kazmig [0-9]+\.[0-9]+\.[0-9]+' || fail "--version"
"$KAZMIG" --help >"$tmp/help.txt" || fail "--help exit code"
grep -q "regions" "$tmp/help.txt" || fail "--help does not list regions"

# Every command and subcommand answers --help with exit 0.
commands=$(awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1}' "$tmp/help.txt")
[ -n "$commands" ] || fail "no commands listed in --help"
for cmd in $commands; do
  "$KAZMIG" "$cmd" --help >"$tmp/cmd_help.txt" || fail "$cmd --help"
  subs=$(awk '/^Subcommands:/{on=1;next} on && /^  [a-z]/{print $1}' "$tmp/cmd_help.txt")
  for sub in $subs; do
    "$KAZMIG" "$cmd" "$sub" --help >/dev/null || fail "$cmd $sub --help"
  done
done

# Usage errors exit 2.
set +e
"$KAZMIG" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "no command: exit $rc, want 2"
"$KAZMIG" no-such-command >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown command: exit $rc, want 2"
"$KAZMIG" regions kz-1999 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown vintage: exit $rc, want 2"
"$KAZMIG" regions --format xml >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --format: exit $rc, want 2"
# Input errors exit 3 with the field named.
"$KAZMIG" regions --region Atlantis >/dev/null 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 3 ] || fail "unknown region: exit $rc, want 3"
grep -q "unknown region 'Atlantis'" "$tmp/err.txt" || fail "unknown region message: $(cat "$tmp/err.txt")"
set -e

# regions: the 20 units of 2022 as a table, CSV and JSON.
"$KAZMIG" regions kz-2022 --format table >"$tmp/table.txt"
grep -q "^kz-2022: 20 regions" "$tmp/table.txt" || fail "table title"
grep -q "Ulytau" "$tmp/table.txt" || fail "table lacks Ulytau"
[ "$("$KAZMIG" regions kz-2022 | tail -n +2 | wc -l)" -eq 20 ] || fail "kz-2022 CSV rows"
[ "$("$KAZMIG" regions kz-2018 | tail -n +2 | wc -l)" -eq 17 ] || fail "kz-2018 CSV rows"
[ "$("$KAZMIG" regions kz-2009 | tail -n +2 | wc -l)" -eq 16 ] || fail "kz-2009 CSV rows"
"$KAZMIG" regions kz-2022 | head -1 | grep -qx "id,iso,name_en,name_kk,name_ru,latitude,longitude,valid" \
  || fail "regions CSV header"
"$KAZMIG" regions --region "Нур-Султан" --format json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["system"] == "kz-2022", doc
assert [r["id"] for r in doc["regions"]] == ["71"], doc
'
# --output writes atomically and leaves no temporary file behind.
"$KAZMIG" regions kz-2018 --output "$tmp/out/regions.csv"
[ "$(wc -l <"$tmp/out/regions.csv")" -eq 18 ] || fail "--output content"
[ "$(ls -A "$tmp/out" | wc -l)" -eq 1 ] || fail "temporary files left in output folder"
echo "cli: all checks passed"
