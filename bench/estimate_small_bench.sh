#!/usr/bin/env bash
# Whole-command benchmark of the small estimates, where start-up, reading and writing are most of
# the time (issue 20): `estimate ipf` and `estimate net` on 231 x 231 (Abel & Cohen's countries,
# inputs from bench/estimate_world_inputs.py; targets < 25 ms each) and `estimate stocks` on the
# 232-place UN world period 2015-2020 (target < 60 ms). Prints, per command, the median over RUNS
# of wall time, CPU time (user + sys) and task-clock (perf stat, when perf works), and the peak
# resident memory. Skips when the shared data are absent.
#
#   bench/estimate_small_bench.sh [KAZMIG=build/bin/kazmig] [RUNS=11]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAZMIG=${KAZMIG:-$here/../build/bin/kazmig}
RUNS=${RUNS:-11}
SHARED=${KAZMIG_SHARED_DATA:-$here/../../shared/data}
if [ ! -d "$SHARED/abel_flows_undesa_stock_x80110" ] || [ ! -d "$SHARED/undesa_global_stocks" ]; then
  echo "SKIP: $SHARED/abel_flows_undesa_stock_x80110 or undesa_global_stocks not present"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/estimate_world_inputs.py" "$SHARED" "$tmp"
S=$SHARED/undesa_global_stocks

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench() {  # NAME ARGS...
  local name=$1
  shift
  : >"$tmp/times"
  : >"$tmp/clock"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -a -o "$tmp/times" "$KAZMIG" --quiet "$@" >"$tmp/out"
    if perf stat -x, -e task-clock -o "$tmp/perf" "$KAZMIG" --quiet "$@" >/dev/null 2>&1; then
      awk -F, '/task-clock/ { print $1 }' "$tmp/perf" >>"$tmp/clock"
    fi
  done
  local clock="n/a"
  [ -s "$tmp/clock" ] && clock="$(median <"$tmp/clock") ms"
  printf '%-40s wall %s s, CPU %s s, task-clock %s, peak RSS %s KB, %s rows\n' "$name" \
    "$(cut -d' ' -f1 "$tmp/times" | median)" "$(awk '{ print $2 + $3 }' "$tmp/times" | median)" \
    "$clock" "$(cut -d' ' -f4 "$tmp/times" | sort -g | tail -1)" "$(($(wc -l <"$tmp/out") - 1))"
}

echo "kazmig: $KAZMIG  runs: $RUNS  load: $(cut -d' ' -f1-3 /proc/loadavg)"
bench "start-up (--version)" --version
bench "estimate ipf 231x231" estimate ipf --seed "$tmp/seed.csv" --row-totals "$tmp/rows.csv" \
  --col-totals "$tmp/cols.csv"
bench "estimate net 231x231 (ipf)" estimate net --prior "$tmp/seed.csv" --net "$tmp/net.csv"
bench "estimate stocks 2015-2020 (232 places)" estimate stocks \
  --stock1 "$S/stock_2015_2020_at2015.csv" --stock2 "$S/stock_2015_2020_at2020.csv"
