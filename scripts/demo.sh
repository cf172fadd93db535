#!/usr/bin/env bash
# The main job of `make demo`: load the built-in dataset and write the situation report.
#
#   bash scripts/demo.sh build/bin/kazmig
#
# The demo keeps its own database, build/demo/kazmig.db, so it never changes the database you use
# day to day (~/.local/share/kazmig/kazmig.db); set KAZMIG_DB to use another one. The report goes
# to build/report/index.html (and its path is printed at the end).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bash scripts/demo.sh PATH/TO/kazmig" >&2
  exit 2
fi
kazmig=$1
if [ ! -x "$kazmig" ]; then
  echo "demo: $kazmig is not an executable kazmig binary (run \`make build\` first)" >&2
  exit 1
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
db=${KAZMIG_DB:-$repo/build/demo/kazmig.db}
out=$repo/build/report
mkdir -p "$(dirname "$db")"

echo "kazmig demo: database $db"
# Load the built-in dataset (data/kz) when the binary has the data command.
if "$kazmig" data --help >/dev/null 2>&1; then
  "$kazmig" --db "$db" data init
fi
report=$("$kazmig" --db "$db" report --out "$out")
echo
echo "The situation report is at: $report"
echo "Open it in a browser:       file://$report"
bin=$(cd "$(dirname "$kazmig")" && pwd)/$(basename "$kazmig")
echo
echo "The kazmig binary is:       $bin"
if command -v kazmig >/dev/null 2>&1; then
  echo "kazmig on your PATH is:     $(command -v kazmig)"
else
  echo "To run the README's tour, put kazmig on your PATH, either"
  echo "  make install                          # copies it to ~/.local/bin (PREFIX=DIR for another place)"
  echo "or, for this shell only,"
  echo "  export PATH=\"$(dirname "$bin"):\$PATH\""
fi
echo "then try:                   kazmig regions kz-2022 --format table"
if [ -z "${KAZMIG_DB:-}" ]; then
echo
echo "The tour uses your default database (~/.local/share/kazmig/kazmig.db, or \$KAZMIG_DB), which"
echo "loads the same built-in data on first use; this demo kept its own, $db."
echo "To use the demo's database in the tour: export KAZMIG_DB=$db"
fi
