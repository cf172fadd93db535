#!/usr/bin/env bash
# Side-by-side: kazmig's demographic accounting against migest's ffs_demo (R) on the UN stock
# tables, one period: same flows to six significant digits (or within 5 persons: migest puts the
# rounding residual of its global rescale on a randomly chosen cell) and the time of each.
#
#   bench/estimate_vs_migest.sh [PERIOD=2015]
#
# Needs Rscript with migest (CRAN) and its dependency mipfp. Debian bookworm packages r-base but
# not r-cran-migest or r-cran-mipfp, so on a Debian-only machine this prints SKIP.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KAZMIG=${KAZMIG:-$here/../build/bin/kazmig}
PERIOD=${PERIOD:-2015}
STOCKS=${KAZMIG_SHARED_DATA:-$here/../../shared/data}/undesa_global_stocks
if ! command -v Rscript > /dev/null || ! Rscript -e 'library(migest); library(mipfp)' > /dev/null 2>&1; then
  echo "SKIP: Rscript with migest and mipfp not installed (not packaged in Debian)"
  exit 0
fi
[ -d "$STOCKS" ] || { echo "SKIP: $STOCKS not present"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
y0=$PERIOD y1=$((PERIOD + 5))
s1="$STOCKS/stock_${y0}_${y1}_at${y0}.csv" s2="$STOCKS/stock_${y0}_${y1}_at${y1}.csv"
r_seconds=$(Rscript "$here/estimate_vs_migest.R" "$s1" "$s2" "$tmp/migest.csv")
start=$(date +%s.%N)
"$KAZMIG" estimate stocks --quiet --stock1 "$s1" --stock2 "$s2" > "$tmp/kazmig.csv"
k_seconds=$(echo "$(date +%s.%N) - $start" | bc)
python3 - "$tmp/kazmig.csv" "$tmp/migest.csv" <<'PY'
import csv, sys
ours = {(r["orig"], r["dest"]): float(r["flow"]) for r in csv.DictReader(open(sys.argv[1]))}
theirs = {(r["orig"], r["dest"]): float(r["flow"]) for r in csv.DictReader(open(sys.argv[2]))}
assert ours.keys() == theirs.keys(), "different place sets"
bad = [(k, ours[k], theirs[k]) for k in ours
       if abs(ours[k] - theirs[k]) > max(1e-6 * max(abs(ours[k]), abs(theirs[k])), 5)]
print(f"{len(ours)} pairs, {len(bad)} differ beyond 6 significant digits / 5 persons")
for k, a, b in sorted(bad, key=lambda x: -abs(x[1] - x[2]))[:10]:
    print("  ", k, a, b)
sys.exit(1 if bad else 0)
PY
echo "migest ffs_demo: ${r_seconds} s (no I/O); kazmig estimate stocks: ${k_seconds} s (with I/O)"
