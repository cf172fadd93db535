#!/usr/bin/env bash
# Whole-command benchmark of `kazmig risk` on a synthetic 20-region x 10-component file with the
# issue's 2,000 sensitivity draws: runs the command R times (default 7) and prints the median
# wall time and peak memory; checks that every band contains its median rank, so a broken run
# cannot look fast. The sensitivity analysis alone is timed by BM_Sensitivity
# (src/kazmig/risk/risk_benchmark.cc).
#   bash bench/risk_bench.sh build/bin/kazmig [R]
set -euo pipefail
kazmig=${1:?usage: risk_bench.sh KAZMIG [R]}
reps=${2:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import random, sys
rng = random.Random(1)
with open(sys.argv[1] + "/components.csv", "w") as f:
    f.write("region,component,value,direction\n")
    for c in range(10):
        for r in range(20):
            f.write(f"r{r},c{c},{rng.gauss(10, 3):.4f},{'+' if c % 3 else '-'}\n")
PY
times=() peak=0
for _ in $(seq "$reps"); do
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$kazmig" risk --data "$tmp/components.csv" \
    --draws 2000 --seed 1 --year 2024 --format csv >"$tmp/out.csv"
  read -r wall rss <"$tmp/time.txt"
  times+=("$wall"); [ "$rss" -gt "$peak" ] && peak=$rss
done
python3 - "$tmp/out.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 20, len(rows)
for row in rows:
    lo, med, hi = float(row["rank_p05"]), float(row["median_rank"]), float(row["rank_p95"])
    assert 1 <= lo <= med <= hi <= 20, row
PY
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "risk 20 regions x 10 components, 2000 draws: median ${median} s over ${reps} runs, peak ${peak} KiB"
