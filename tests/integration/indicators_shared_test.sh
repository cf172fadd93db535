#!/usr/bin/env bash
# `kazmig indicators` against the raw files of ../shared/data (skipped when absent): the Astana
# 2023 rate per 1,000 equals 1000 x net / average population read from the raw shared files (no
# published per-1,000 coefficient is in the shared data to compare with), and a cross-check on the
# Austria flows (9 NUTS-2 regions, Dennett 2012).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
shared_data="${KAZMIG_SHARED_DATA:-$KAZMIG_SOURCE_DIR/../shared/data}"
pop_file="$shared_data/bns_econdata_makenerzhan/population_avg_by_region_ALL_2009_2025.csv"
net_file="$shared_data/kz_internal_migration_islambekov/internal_migration_2023.csv"
austria="$shared_data/austria_dennett2012/austria_flows.csv"
for f in "$pop_file" "$net_file" "$austria"; do
  [ -f "$f" ] || skip "$f absent (../shared/data or \$KAZMIG_SHARED_DATA)"
done
pyjson() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1"; }

# Rates per 1,000 use the average annual population (BNS table 6576), as the Bureau does.
"$KAZMIG" indicators --dataset kz --year 2023 --format json >"$tmp/kz.json" || fail "--dataset kz"
pop=$(awk -F, '$1 == "2023-12-31" && $2 == "AST" { print $5 }' "$pop_file")
net=$(awk -F, '$1 == "Astana city" && $2 == "Total" { print $5 }' "$net_file")
[ -n "$pop" ] && [ -n "$net" ] || fail "Astana 2023 not found in the shared files"
pyjson "$tmp/kz.json" "
r = d['net_rate']['71']
assert abs(r - 1000 * $net / $pop) < 1e-9, (r, $net, $pop)
assert abs(r - 35.97) < 0.01, r
" || fail "Astana 2023 rate per 1,000 average population"

# Austria: connectivity, distance decay and the corrected Gini in range.
cut -d, -f1-3 "$austria" >"$tmp/at_flows.csv"
{ echo "orig,dest,distance"; tail -n +2 "$austria" | cut -d, -f1,2,4; } >"$tmp/at_dist.csv"
"$KAZMIG" indicators --flows "$tmp/at_flows.csv" --distance "$tmp/at_dist.csv" --format json \
  >"$tmp/at.json" || fail "Austria"
pyjson "$tmp/at.json" '
assert d["n"] == 9 and d["connectivity"] == 1.0
assert d["decay"] < 0, d["decay"]
assert 0 < d["gini_total_corrected"] < 1 and d["median_distance"] <= max(1e9, d["mean_distance"] * 3)
' || fail "Austria JSON"
echo "indicators shared-data checks: OK"
