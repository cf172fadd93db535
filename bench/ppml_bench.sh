#!/usr/bin/env bash
# Whole-command benchmark of `kazmig model ppml` (docs/models.md, "Timings"):
#   1. fixest's benchmark design: 1,000,000 observations, two covariates, three fixed effects with
#      about 23,000, 2,300 and 23 levels (bench/ppml_make_data.py synthetic);
#   2. the world gravity panel from data/kz: every ordered pair of the 230 countries of the Abel &
#      Cohen flows x 6 periods (316,020 rows, zeros included), flow on log(1 + UN DESA stock at
#      the start of the period) with origin x period, destination x period and pair effects.
# Each runs R times (default 5) with --threads T (default 2); prints the median wall time, the
# median of the command's own read/fit split (--timings) and the peak memory, and checks the
# estimate (the synthetic design's true coefficients are 0.5 and -0.3) so that a broken run cannot
# look fast. R and fixest are not installed here; the fixest figures quoted in docs/models.md are
# the issue's.
#   bash bench/ppml_bench.sh build/bin/kazmig [R] [T]
set -euo pipefail
kazmig=${1:?usage: ppml_bench.sh KAZMIG [R] [THREADS]}
reps=${2:-5}
threads=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/ppml_make_data.py" synthetic "$tmp/synthetic.csv" --n 1000000 --seed 1
python3 "$here/ppml_make_data.py" world "$here/../data/kz" "$tmp/world.csv"

run() {  # run NAME ARGS... : medians over $reps runs
  local name=$1; shift
  local walls=() reads=() fits=() peak=0
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$kazmig" --threads "$threads" --quiet "$@" \
      --timings --format json >"$tmp/out.json" 2>"$tmp/err.txt"
    read -r wall rss <"$tmp/time.txt"
    walls+=("$wall"); [ "$rss" -gt "$peak" ] && peak=$rss
    reads+=("$(sed -n 's/.*read \([0-9.]*\) s.*/\1/p' "$tmp/err.txt")")
    fits+=("$(sed -n 's/.*fit \([0-9.]*\) s.*/\1/p' "$tmp/err.txt")")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$name: median wall $(median "${walls[@]}") s (read $(median "${reads[@]}") s, fit" \
    "$(median "${fits[@]}") s) over $reps runs, $threads threads, peak ${peak} KiB"
}

run "ppml 1e6 x 3 FE (fixest design)" model ppml --data "$tmp/synthetic.csv" --y y --x x1,x2 \
  --fe fe1,fe2,fe3
python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["converged"], "not converged"
assert abs(d["coefficients"]["x1"] - 0.5) < 0.01 and abs(d["coefficients"]["x2"] + 0.3) < 0.01, d
print("  x1 = %.5f (se %.5f), x2 = %.5f (se %.5f), %d obs, %d iterations" % (
    d["coefficients"]["x1"], d["std_errors"]["x1"], d["coefficients"]["x2"],
    d["std_errors"]["x2"], d["n_obs"], d["iterations"]))
PY

run "ppml world gravity panel (orig x period, dest x period, pair)" model ppml \
  --data "$tmp/world.csv" --y flow --x log_stock --fe orig_period,dest_period,pair
python3 - "$tmp/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["converged"], "not converged"
b = d["coefficients"]["log_stock"]
assert 0 < b < 1, d
print("  network elasticity %.5f (se %.5f), %d obs used, %d dropped, %d iterations" % (
    b, d["std_errors"]["log_stock"], d["n_obs"], d["n_dropped"], d["iterations"]))
PY
