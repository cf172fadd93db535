#!/usr/bin/env bash
# Whole-command benchmark of `kazmig factors` (each specification on the built-in data) and
# `kazmig potential` (the example scenario). Prints the median wall and CPU time over the runs and
# the peak resident memory, and checks the output (exit 0; the expected specifications and rows).
# The store is loaded once before the timed runs (its first load is not a factor-model cost).
#
#   bench/factors_bench.sh [KAZMIG=build/bin/kazmig] [RUNS=5]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAZMIG=${KAZMIG:-$here/../build/bin/kazmig}
RUNS=${RUNS:-5}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KAZMIG_DB="$tmp/kazmig.db"
"$KAZMIG" data show population --region 75 --year 2020 > /dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench() {  # name expected_rows command...
  local name=$1 rows=$2
  shift 2
  : > "$tmp/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -a -o "$tmp/times" "$KAZMIG" --quiet "$@" > "$tmp/out.csv"
  done
  local got=$(($(wc -l < "$tmp/out.csv") - 1))
  [ "$got" -eq "$rows" ] || { echo "FAIL: $name: $got rows, expected $rows"; exit 1; }
  echo "$name: median wall $(cut -d' ' -f1 "$tmp/times" | median) s," \
    "CPU $(awk '{ print $2 + $3 }' "$tmp/times" | median) s, peak RSS" \
    "$(cut -d' ' -f4 "$tmp/times" | sort -g | tail -1) KB"
}

echo "kazmig: $KAZMIG  runs: $RUNS  load: $(cut -d' ' -f1-3 /proc/loadavg)"
bench "factors --spec regional" 4 factors --spec regional
bench "factors --spec gross" 8 factors --spec gross
bench "factors --spec international" 19 factors --spec international
bench "factors --spec all" 31 factors --spec all
bench "potential --scenario (example)" 21 potential --scenario "$here/../docs/examples/scenario_north.csv"
