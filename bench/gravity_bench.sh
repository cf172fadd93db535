#!/usr/bin/env bash
# Whole-command benchmark of `kazmig model gravity`: a doubly-constrained model on N x N flows
# (default 3000: 8,997,000 off-diagonal pairs) with a power cost. Generates the table
# (orig,dest,flow,dist: Poisson flows with a known decay of -1.3 on a plane), runs the command R
# times (default 5) and prints the median wall time, CPU time and peak memory; checks that the fit
# recovers the decay so a broken run cannot look fast. The fit alone is timed by the C++ benchmark
# BM_DoublyConstrained (src/kazmig/models/spatial_interaction_benchmark.cc, `make bench`).
#   bash bench/gravity_bench.sh build/bin/kazmig [N] [R]
set -euo pipefail
kazmig=${1:?usage: gravity_bench.sh KAZMIG [N] [R]}
n=${2:-3000}
reps=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/flows.csv" "$n" <<'PY'
import math, random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
xy = [(rng.uniform(0, 1000), rng.uniform(0, 1000)) for _ in range(n)]
a = [rng.uniform(-1, 1) for _ in range(n)]
b = [rng.uniform(-1, 1) for _ in range(n)]

def poisson(mean):  # inversion for small means, a rounded normal for large ones
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    k, p, u = 0, math.exp(-mean), rng.random()
    s = p
    while u > s:
        k += 1
        p *= mean / k
        s += p
    return k

with open(path, "w") as f:
    f.write("orig,dest,flow,dist\n")
    for i in range(n):
        rows = []
        for j in range(n):
            if i == j:
                continue
            d = math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]) + 1
            rows.append(f"r{i},r{j},{poisson(math.exp(5 + a[i] + b[j] - 1.3 * math.log(d)))},{d:.3f}\n")
        f.write("".join(rows))
PY
echo "table: $(wc -l <"$tmp/flows.csv") lines, $(du -h "$tmp/flows.csv" | cut -f1)"
walls=() cpus=() peak=0
for _ in $(seq "$reps"); do
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.txt" "$kazmig" --quiet model gravity \
    --data "$tmp/flows.csv" --cost-var dist --cost pow --constraint doubly --format json \
    >"$tmp/out.json"
  read -r wall user sys rss <"$tmp/time.txt"
  walls+=("$wall")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  [ "$rss" -gt "$peak" ] && peak=$rss
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "model gravity doubly ${n}x${n}: median wall $(median "${walls[@]}") s, median cpu" \
  "$(median "${cpus[@]}") s over $reps runs, peak ${peak} KiB"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
beta = d['coefficients']['dist']
assert abs(beta + 1.3) < 0.05, beta
assert d['method']['solver'] == 'balancing' and d['method']['converged']
print('check: decay %.6f (true -1.3), n_obs %d, solver %s' % (beta, d['n_obs'], d['method']['solver']))
" "$tmp/out.json"
