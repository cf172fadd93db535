#!/usr/bin/env bash
# kazmig traces detect: edge cases, thread invariance, errors (the reference cases of Chi et al. 2020
# are traces_chi2020_test.sh).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fixtures="$KAZMIG_SOURCE_DIR/tests/fixtures/traces"
header="user_id,home,destination,migration_date,uncertainty,num_error_day,home_start_date,home_end_date,destination_start_date,destination_end_date"

# Edge cases (unsorted, interleaved users, columns in another order, duplicates): expected output.
"$KAZMIG" --quiet traces detect --input "$fixtures/edge_cases.csv" >"$tmp/edge.csv"
diff "$fixtures/edge_cases_expected.csv" "$tmp/edge.csv"
# Same with 1 and 2 threads (global and subcommand option), gzip and zstd input, --output.
"$KAZMIG" --threads 1 traces detect --input "$fixtures/edge_cases.csv" | diff - "$tmp/edge.csv"
"$KAZMIG" traces detect --threads 2 --input "$fixtures/edge_cases.csv" --output "$tmp/out.csv"
diff "$tmp/out.csv" "$tmp/edge.csv"
gzip -c "$fixtures/edge_cases.csv" >"$tmp/edge.csv.gz"
"$KAZMIG" traces detect --input "$tmp/edge.csv.gz" | diff - "$tmp/edge.csv"
if command -v zstd >/dev/null; then
  zstd -q -c "$fixtures/edge_cases.csv" >"$tmp/edge.csv.zst"
  "$KAZMIG" traces detect --input "$tmp/edge.csv.zst" | diff - "$tmp/edge.csv"
fi
# Segments (residences) output; JSON output.
"$KAZMIG" traces detect --input "$fixtures/edge_cases.csv" --segments-out "$tmp/seg.csv" >/dev/null
head -1 "$tmp/seg.csv" | grep -qx "user_id,location,start_date,end_date"
grep -qx "ret,B,20190501,20190828" "$tmp/seg.csv"
"$KAZMIG" traces detect --input "$fixtures/edge_cases.csv" --format json >"$tmp/edge.json"
grep -q '"migration_date": "20190829"' "$tmp/edge.json"
# Post-stratified flows: weight = population / users with a residence at the origin (A: 6, B: 6).
printf 'region,value\nA,1200\nB,600\n' >"$tmp/pop.csv"
"$KAZMIG" traces flows --moves "$tmp/edge.csv" --period year --population "$tmp/pop.csv" \
  --residents "$tmp/seg.csv" >"$tmp/wflows.csv"
grep -qx "A,B,1000,2019" "$tmp/wflows.csv" && grep -qx "B,A,100,2019" "$tmp/wflows.csv"
printf 'region,value\nB,600\n' >"$tmp/pop_b.csv"
set +e
"$KAZMIG" traces flows --moves "$tmp/edge.csv" --population "$tmp/pop_b.csv" --residents "$tmp/seg.csv" \
  >/dev/null 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "edge.csv:2:2: .*origin 'A' has no population target" "$tmp/err"
# Stricter parameters remove moves: 150-day residences.
"$KAZMIG" traces detect --input "$fixtures/edge_cases.csv" --num-stayed-days-migrant 150 | grep -c . | grep -qx 2

# Bad input: exit 3 with FILE:LINE:COLUMN.
printf 'user_id,day,location\n1,20180101,A\n' >"$tmp/nocol.csv"
set +e
"$KAZMIG" traces detect --input "$tmp/nocol.csv" 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "nocol.csv:1:1: missing required column 'date'" "$tmp/err"
printf 'user_id,date,location\n1,20180101,A\n1,2018-02-30,A\n1,20180103,\n' >"$tmp/bad.csv"
set +e
"$KAZMIG" traces detect --input "$tmp/bad.csv" 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "bad.csv:3:2: malformed date" "$tmp/err"
printf 'user_id,date,location\n1,20180101,A\n1,17000101,A\n' >"$tmp/old.csv"
set +e
"$KAZMIG" traces detect --input "$tmp/old.csv" 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "old.csv:3:2: implausible date" "$tmp/err"
# --skip-bad-rows counts and reports them.
"$KAZMIG" traces detect --input "$tmp/bad.csv" --skip-bad-rows >"$tmp/out.csv" 2>"$tmp/err"
grep -q "skipped 2 bad row" "$tmp/err" && grep -q "bad.csv:4:3: empty location" "$tmp/err"
[ "$(cat "$tmp/out.csv")" = "$header" ]
# A truncated compressed file.
head -c 2000 "$tmp/edge.csv.gz" >"$tmp/cut.csv.gz"
set +e
"$KAZMIG" traces detect --input "$tmp/cut.csv.gz" 2>"$tmp/err"; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "cut.csv.gz:.*truncated or corrupt gzip" "$tmp/err"
# Usage errors: exit 2.
set +e
"$KAZMIG" traces detect --input "$fixtures/edge_cases.csv" --seg-prop 2 >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ]
set +e
"$KAZMIG" traces detect --input "$fixtures/edge_cases.csv" --memory lots >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ]
echo "traces detect: OK"
