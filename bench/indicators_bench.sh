#!/usr/bin/env bash
# Whole-command benchmark of `kazmig indicators` on a synthetic N x N system (default 3000):
# generates flows (about 40% non-zero cells), population and distances, runs the command R times
# (default 5) and prints the median wall time and peak memory; checks the ANMR identity on the
# output so a broken run cannot look fast. The MAUP target is timed by the C++ benchmark
# BM_Maup (src/kazmig/indicators/indicators_benchmark.cc), not here.
#   bash bench/indicators_bench.sh build/bin/kazmig [N] [R]
set -euo pipefail
kazmig=${1:?usage: indicators_bench.sh KAZMIG [N] [R]}
n=${2:-3000}
reps=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" "$n" <<'PY'
import math, random, sys
out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
xy = [(rng.uniform(0, 1000), rng.uniform(0, 1000)) for _ in range(n)]
with open(out + "/flows.csv", "w") as f, open(out + "/dist.csv", "w") as g:
    f.write("orig,dest,flow\n"); g.write("orig,dest,distance\n")
    for a in range(n):
        for b in range(n):
            if a == b: continue
            d = math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]) + 1
            g.write(f"r{a},r{b},{d:.3f}\n")
            if rng.random() < 0.4:
                f.write(f"r{a},r{b},{int(rng.randrange(50000) / (d + 10))}\n")
with open(out + "/pop.csv", "w") as f:
    f.write("region,value\n")
    for a in range(n): f.write(f"r{a},{rng.randrange(10000, 1000000)}\n")
PY
run() {  # run NAME ARGS... : median wall seconds and peak RSS over $reps runs
  local name=$1; shift
  local times=() peak=0
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$kazmig" "$@" >"$tmp/out.json"
    read -r wall rss <"$tmp/time.txt"
    times+=("$wall"); [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name: median ${median} s over $reps runs, peak ${peak} KiB"
}
run "indicators ${n}x${n} (flows + population, no distances)" \
  indicators --flows "$tmp/flows.csv" --population "$tmp/pop.csv" --format json
python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert abs(d['anmr'] - d['cmp'] * d['mei'] / 100) < 1e-9 * d['anmr'], 'ANMR identity'
assert 0 < d['gini_total_corrected'] < 1" "$tmp/out.json"
run "indicators ${n}x${n} with distances, no decay fit" \
  indicators --flows "$tmp/flows.csv" --population "$tmp/pop.csv" --distance "$tmp/dist.csv" \
  --no-decay --format json
python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); assert d['median_distance'] > 0" "$tmp/out.json"
