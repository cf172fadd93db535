#!/usr/bin/env bash
# The report's boundaries: data/kz/regions-*.geojson are small and complete, and `kazmig geo
# simplify` rejects bad input with exit 3 (report_boundaries_geokz_test.sh checks that it reproduces
# them from geokz in ../shared/data).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

data="$KAZMIG_SOURCE_DIR/data/kz"
for year in 2022 2018; do
  file="$data/regions-$year.geojson"
  [ -f "$file" ] || fail "$file missing"
  size=$(wc -c <"$file")
  [ "$size" -lt 300000 ] || fail "$file is $size bytes (limit 300 KB)"
done
[ "$(grep -c '"type":"Feature"' "$data/regions-2022.geojson")" -eq 20 ] || fail "20 features in 2022"
[ "$(grep -c '"type":"Feature"' "$data/regions-2018.geojson")" -eq 17 ] || fail "17 features in 2018"

# Bad input: not JSON, JSON that is not a FeatureCollection, a region missing.
set +e
printf '{"type": "FeatureCollection",\n "features": [}\n' >"$tmp/broken.geojson"
"$KAZMIG" geo simplify --input "$tmp/broken.geojson" >/dev/null 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 3 ] || fail "broken JSON: exit $rc, want 3"
grep -q "broken.geojson:2:" "$tmp/err.txt" || fail "broken JSON message: $(cat "$tmp/err.txt")"
printf '{"type": "Feature"}' >"$tmp/notfc.geojson"
"$KAZMIG" geo simplify --input "$tmp/notfc.geojson" >/dev/null 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 3 ] || fail "not a FeatureCollection: exit $rc, want 3"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KATO":"750000000"},"geometry":{"type":"Polygon","coordinates":[[[76.8,43.2],[77.0,43.2],[77.0,43.4],[76.8,43.2]]]}}]}' \
  >"$tmp/one.geojson"
"$KAZMIG" geo simplify --vintage kz-2022 --input "$tmp/one.geojson" >/dev/null 2>"$tmp/err.txt"; rc=$?
[ $rc -eq 3 ] || fail "missing regions: exit $rc, want 3"
grep -q "no boundary for region" "$tmp/err.txt" || fail "missing region message: $(cat "$tmp/err.txt")"
"$KAZMIG" geo simplify --vintage kz-2009 --input "$tmp/one.geojson" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "kz-2009 has no boundaries: exit $rc, want 2"
set -e
echo "boundaries: ok"
