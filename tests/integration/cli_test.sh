#!/usr/bin/env bash
# The command line's contract: --help everywhere (the commands are read from --help). The rest of
# the contract (--version, exit codes 2 and 3, regions output) is tests/cli/cli.test.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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

echo "cli: all checks passed"
