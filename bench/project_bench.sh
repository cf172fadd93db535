#!/usr/bin/env bash
# Whole-command benchmark of `kazmig project` on the built-in data: 1,000 draws x 20 regions x 12
# years (1 January 2024-2035) x 5 scenarios (baseline and four built-in ones), with 2 threads,
# including the fit of the Bayesian net migration model (3 chains x 20,000 iterations). Runs the
# command R times (default 5) after one warm-up run that loads the built-in data into a fresh
# database, prints the median wall time and peak memory, and checks the output (20 x 12 x 5 rows,
# ordered quantiles) so a broken run cannot look fast. The projection step alone is timed by
# BM_ProjectRegions (src/kazmig/project/regional_benchmark.cc).
#   bash bench/project_bench.sh build/bin/kazmig [R]
set -euo pipefail
kazmig=${1:?usage: project_bench.sh KAZMIG [R]}
reps=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KAZMIG_DB="$tmp/kazmig.db"
args=(--threads 2 project --dataset kz --from 2024 --to 2035 --draws 1000 --seed 1 --no-store
      --scenario baseline,resettlement-quota,kandas-inflow,emigration-shock,urban-pull)
"$kazmig" --quiet "${args[@]}" >/dev/null  # warm-up: loads the built-in data
times=() peak=0
for _ in $(seq "$reps"); do
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$kazmig" --quiet "${args[@]}" >"$tmp/out.csv"
  read -r wall rss <"$tmp/time.txt"
  times+=("$wall"); [ "$rss" -gt "$peak" ] && peak=$rss
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
python3 - "$tmp/out.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 20 * 12 * 5, len(rows)
for r in rows:
    q = [float(r[k]) for k in ("lower95", "lower80", "median", "upper80", "upper95")]
    assert q == sorted(q) and q[0] > 0, r
PY
echo "project 1000 draws x 20 regions x 12 years x 5 scenarios, 2 threads (fit included):" \
  "median ${median} s over $reps runs, peak ${peak} KiB"
