#!/usr/bin/env bash
# Whole-command benchmark of `kazmig indicators` on a synthetic N x N system (default 3000):
# generates flows (about 40% non-zero cells), population and distances, runs the command R times
# (default 5) with --threads 1 and with --threads 2 and prints for each the median wall time, the
# median CPU time (user + system) and the peak memory; checks the ANMR identity on the output so
# a broken run cannot look fast, and that both thread counts write byte-identical outputs. The MAUP target is timed by the C++ benchmark
# BM_Maup (src/kazmig/indicators/indicators_benchmark.cc), not here.
#   bash bench/indicators_bench.sh build/bin/kazmig [N] [R]
# DATA=DIR keeps the generated tables in DIR (reused when present) instead of a temporary folder.
set -euo pipefail
kazmig=${1:?usage: indicators_bench.sh KAZMIG [N] [R]}
n=${2:-3000}
reps=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=${DATA:-$tmp}
mkdir -p "$data"
[ -s "$data/pop.csv" ] || python3 - "$data" "$n" <<'PY'
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
run() {  # run NAME ARGS... : median wall and CPU seconds and peak RSS over $reps runs, per threads
  local name=$1; shift
  for threads in 1 2; do
    local times=() cpus=() peak=0
    for _ in $(seq "$reps"); do
      /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.txt" \
        "$kazmig" --quiet --threads "$threads" "$@" >"$tmp/out$threads.json"
      read -r wall user sys rss <"$tmp/time.txt"
      times+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"); [ "$rss" -gt "$peak" ] && peak=$rss
    done
    local median cpu
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$name, --threads $threads: median ${median} s wall, ${cpu} s CPU over $reps runs, peak ${peak} KiB"
  done
  cmp -s "$tmp/out1.json" "$tmp/out2.json" || { echo "outputs differ between 1 and 2 threads"; exit 1; }
  cp "$tmp/out1.json" "$tmp/out.json"
}
run "indicators ${n}x${n} (flows + population, no distances)" \
  indicators --flows "$data/flows.csv" --population "$data/pop.csv" --format json
python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert abs(d['anmr'] - d['cmp'] * d['mei'] / 100) < 1e-9 * d['anmr'], 'ANMR identity'
assert 0 < d['gini_total_corrected'] < 1" "$tmp/out.json"
run "indicators ${n}x${n} with distances, no decay fit" \
  indicators --flows "$data/flows.csv" --population "$data/pop.csv" --distance "$data/dist.csv" \
  --no-decay --format json
python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); assert d['median_distance'] > 0" "$tmp/out.json"
