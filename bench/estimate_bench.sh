#!/usr/bin/env bash
# Whole-command benchmark of `kazmig estimate stocks` on the UN DESA global stock tables
# (../shared/data/undesa_global_stocks): demographic accounting, stayer assumption on, defaults,
# one 5-year period (target < 0.5 s) and all six periods 1990-2020 (target < 3 s); then
# `--method pb` with births and deaths on ../shared/data/azose_raftery_wpp2019 (200 countries,
# both component fits): one period, 1995-2000 (target < 1 s), and all five periods 1990-2015
# (target < 3 s). Prints the median wall and CPU time over the runs and the peak resident memory,
# and checks the output (exit 0 = converged; n(n-1) rows, no negative flow). Each part is skipped
# when its data are absent.
#
#   bench/estimate_bench.sh [KAZMIG=build/bin/kazmig] [RUNS=7]
#
# The library micro-benchmarks (3-D fit without I/O, 2-D IPF of 2,000 x 2,000 to 1e-9) are in
# src/kazmig/estimate/estimate_benchmark.cc (`make bench`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAZMIG=${KAZMIG:-$here/../build/bin/kazmig}
RUNS=${RUNS:-7}
SHARED=${KAZMIG_SHARED_DATA:-$here/../../shared/data}
STOCKS=$SHARED/undesa_global_stocks
PB=$SHARED/azose_raftery_wpp2019
if [ ! -d "$STOCKS" ] && [ ! -d "$PB" ]; then
  echo "SKIP: $STOCKS and $PB not present"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

check_flows() {  # flows.csv period
  awk -F, 'NR > 1 { rows++; p[$1] = 1; if ($3 < 0) bad++ }
           END { n = length(p); exit !(rows == n * (n - 1) && !bad) }' "$1" ||
    { echo "FAIL: bad output for $2"; exit 1; }
}

one_period() {  # y0
  local y0=$1 y1=$(($1 + 5))
  /usr/bin/time -f "%e %U %S %M" -a -o "$tmp/times" "$KAZMIG" estimate stocks --quiet \
    --stock1 "$STOCKS/stock_${y0}_${y1}_at${y0}.csv" --stock2 "$STOCKS/stock_${y0}_${y1}_at${y1}.csv" \
    > "$tmp/flows_$y0.csv"
  check_flows "$tmp/flows_$y0.csv" "$y0-$y1"
}

pb_period() {  # y0
  local y0=$1 y1=$(($1 + 5))
  /usr/bin/time -f "%e %U %S %M" -a -o "$tmp/times" "$KAZMIG" estimate stocks --quiet \
    --method pb --stock1 "$PB/stock_${y0}.csv" --stock2 "$PB/stock_${y1}.csv" \
    --births "$PB/births_${y0}_${y1}.csv" --deaths "$PB/deaths_${y0}_${y1}.csv" \
    > "$tmp/pb_$y0.csv"
  check_flows "$tmp/pb_$y0.csv" "pb $y0-$y1"
}

echo "kazmig: $KAZMIG  runs: $RUNS  load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -d "$STOCKS" ]; then
  : > "$tmp/times"
  for _ in $(seq "$RUNS"); do one_period 2015; done
  echo "one period (2015-2020): median wall $(cut -d' ' -f1 "$tmp/times" | median) s," \
    "CPU $(awk '{ print $2 + $3 }' "$tmp/times" | median) s, peak RSS" \
    "$(cut -d' ' -f4 "$tmp/times" | sort -g | tail -1) KB"

  : > "$tmp/all"
  for _ in $(seq "$RUNS"); do
    : > "$tmp/times"
    for y0 in 1990 1995 2000 2005 2010 2015; do one_period "$y0"; done
    awk '{ w += $1; c += $2 + $3 } END { print w, c }' "$tmp/times" >> "$tmp/all"
  done
  echo "six periods (1990-2020): median wall $(cut -d' ' -f1 "$tmp/all" | median) s," \
    "CPU $(cut -d' ' -f2 "$tmp/all" | median) s"
else
  echo "SKIP: $STOCKS not present"
fi

if [ ! -d "$PB" ]; then
  echo "SKIP: $PB not present"
  exit 0
fi
: > "$tmp/times"
for _ in $(seq "$RUNS"); do pb_period 1995; done
echo "pb, one period (1995-2000, 200 countries): median wall $(cut -d' ' -f1 "$tmp/times" | median) s," \
  "CPU $(awk '{ print $2 + $3 }' "$tmp/times" | median) s, peak RSS" \
  "$(cut -d' ' -f4 "$tmp/times" | sort -g | tail -1) KB"
: > "$tmp/all"
for _ in $(seq "$RUNS"); do
  : > "$tmp/times"
  for y0 in 1990 1995 2000 2005 2010; do pb_period "$y0"; done
  awk '{ w += $1; c += $2 + $3 } END { print w, c }' "$tmp/times" >> "$tmp/all"
done
echo "pb, five periods (1990-2015): median wall $(cut -d' ' -f1 "$tmp/all" | median) s," \
  "CPU $(cut -d' ' -f2 "$tmp/all" | median) s"
