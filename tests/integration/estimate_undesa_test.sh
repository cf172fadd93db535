#!/usr/bin/env bash
# `kazmig estimate stocks` on the real UN DESA stock tables (../shared/data, skipped when absent):
# the global demographic-accounting problem converges for every period, and stock differencing
# reproduces Abel's published stock-differencing flows for every Kazakhstan corridor exactly
# (same UN IMS 2020 inputs). Abel & Cohen's demographic-accounting flows use births and deaths
# (not in the shared data) and a pseudo-Bayesian blend, so they are compared in
# bench/estimate_compare_abel.py and docs/estimate.md, not asserted here.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SHARED="${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}"
STOCKS="$SHARED/undesa_global_stocks"
ABEL="$SHARED/abel_flows_undesa_stock_x80110"
if [ ! -d "$STOCKS" ] || [ ! -d "$ABEL" ]; then
  skip "$SHARED (undesa_global_stocks, abel_flows_undesa_stock_x80110) not present"
fi

for y0 in 1990 1995 2000 2005 2010 2015; do
  y1=$((y0 + 5))
  s1="$STOCKS/stock_${y0}_${y1}_at${y0}.csv"
  s2="$STOCKS/stock_${y0}_${y1}_at${y1}.csv"
  # Exit 0 means the estimate converged (non-convergence exits 1).
  "$KAZMIG" estimate stocks --stock1 "$s1" --stock2 "$s2" --quiet > "$tmp/demo.csv"
  awk -F, 'NR > 1 { rows++; places[$1] = 1; if ($3 < 0) bad++ }
           END { n = length(places); exit !(rows == n * (n - 1) && n >= 225 && n <= 235 && !bad) }' \
    "$tmp/demo.csv" || fail "demographic accounting $y0-$y1: wrong shape or negative flows"
  case $y0 in 1990 | 2015) ;; *) continue ;; esac
  for type in zero return; do
    "$KAZMIG" estimate stocks --stock1 "$s1" --stock2 "$s2" --method diff --diff-type $type \
      > "$tmp/diff_$type.csv"
  done
  python3 - "$tmp" "$ABEL" "$y0" <<'PY' || fail "stock differencing vs Abel $y0"
import csv, sys
tmp, abel, y0 = sys.argv[1], sys.argv[2], sys.argv[3]
iso = {}
for row in csv.DictReader(open(f"{abel}/country-metadata-flags.csv")):
    iso[row["origin_name"]] = row["origin_iso"]
checked = 0
for type, dataset in (("zero", "flow_sd_drop_neg"), ("return", "flow_sd_rev_neg")):
    ours = {}
    for row in csv.DictReader(open(f"{tmp}/diff_{type}.csv")):
        if "KAZ" in (row["orig"], row["dest"]):
            ours[(row["orig"], row["dest"])] = float(row["flow"])
    for row in csv.DictReader(open(f"{abel}/kazakhstan_bilateral_all_methods.csv")):
        if row["dataset"] != dataset or row["sex"] != "both" or row["year_or_year0"] != y0:
            continue
        key = (iso.get(row["orig"]), iso.get(row["dest"]))
        if key not in ours:
            continue  # a place without UN totals (left out of the stock tables)
        assert abs(ours[key] - float(row["value"])) < 0.5, (type, key, ours[key], row["value"])
        checked += 1
assert checked >= 20, checked
PY
done
echo "estimate_undesa_test: OK"
