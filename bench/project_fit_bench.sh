#!/usr/bin/env bash
# Whole-command benchmark of `kazmig project fit` at issue 15's target size: 20 regions x 24 years
# of AR(1) net migration rates (levels -15..+25 per 1,000, persistence 0..0.95, noise 1..8), the
# default 3 chains x 20,000 iterations (burn-in 5,000, thin 10), 2 threads; target < 2 s. Runs the
# command R times (default 5), prints the median wall time, the median CPU time and the peak
# memory, and checks the output (4,500 draws, converged) so a broken run cannot look fast.
# The library alone is timed by BM_FitNetMigration (src/kazmig/project/*_benchmark.cc).
#   bash bench/project_fit_bench.sh build/bin/kazmig [R]
set -euo pipefail
kazmig=${1:?usage: project_fit_bench.sh KAZMIG [R]}
reps=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/rates.csv" <<'PY'
import math, random, sys
rng = random.Random(1)
with open(sys.argv[1], "w") as f:
    f.write("unit,year,value\n")
    for unit in range(20):
        mu, phi, sigma = rng.uniform(-15, 25), rng.uniform(0, 0.95), rng.uniform(1, 8)
        rate = mu + sigma / math.sqrt(1 - phi * phi) * rng.gauss(0, 1)
        for year in range(2000, 2024):
            f.write(f"r{unit},{year},{rate:.4f}\n")
            rate = mu + phi * (rate - mu) + sigma * rng.gauss(0, 1)
PY
walls=() cpus=() peak=0
for _ in $(seq "$reps"); do
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.txt" \
    "$kazmig" --threads 2 project fit --series "$tmp/rates.csv" --format json >"$tmp/out.json"
  read -r wall user sys rss <"$tmp/time.txt"
  walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"); [ "$rss" -gt "$peak" ] && peak=$rss
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "project fit, 20 units x 24 years, 3 chains x 20000 iterations, 2 threads:" \
  "median wall $(median "${walls[@]}") s, median cpu $(median "${cpus[@]}") s over $reps runs," \
  "peak ${peak} KiB (target: wall < 2 s)"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['method']['draws'] == 4500, 'draws'
assert len(d['units']) == 20, 'units'
assert d['converged'], d['warnings']" "$tmp/out.json"
