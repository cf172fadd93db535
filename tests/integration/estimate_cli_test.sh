#!/usr/bin/env bash
# Integration tests of `kazmig estimate` on the reference vectors of docs/methods estimation.md
# (fixtures in tests/fixtures/estimate), error paths and exit codes.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIX="$KAZMIG_SOURCE_DIR/tests/fixtures/estimate"
cd "$tmp"

# Compares a CSV with expected rows, numbers to an absolute tolerance.
check_flows() {  # file tolerance expected-rows...
  local file=$1 tol=$2
  shift 2
  local expected
  expected=$(printf '%s\n' "$@")
  python3 - "$file" "$tol" "$expected" <<'PY' || fail "flows in $1 differ from the expected"
import csv, sys
path, tol, expected = sys.argv[1], float(sys.argv[2]), sys.argv[3].split("\n")
rows = list(csv.reader(open(path)))
want = [r.split(",") for r in expected if r]
assert rows[0] == want[0], (rows[0], want[0])
assert len(rows) == len(want), (len(rows), len(want))
for got, exp in zip(rows[1:], want[1:]):
    assert got[:2] == exp[:2], (got, exp)
    assert abs(float(got[2]) - float(exp[2])) <= tol, (got, exp)
PY
}

# --- flows from stocks, F1 and F2 (migest's stopping rule agrees to ~1e-3) --------------------
"$KAZMIG" estimate stocks --stock1 "$FIX/f1_s1.csv" --stock2 "$FIX/f1_s2.csv" > f1.csv
check_flows f1.csv 2e-3 orig,dest,flow A,B,0 A,C,50 A,D,0 B,A,35 B,C,25 B,D,0 C,A,10 C,B,10 \
  C,D,0 D,A,10 D,B,10 D,C,0
"$KAZMIG" estimate stocks --stock1 "$FIX/f2_s1.csv" --stock2 "$FIX/f2_s2.csv" --tol 1e-12 > f2.csv
check_flows f2.csv 1e-8 orig,dest,flow A,B,20 A,C,0 A,D,10 B,A,0 B,C,0 B,D,0 C,A,15 C,B,15 \
  C,D,5 D,A,10 D,B,25 D,C,0
"$KAZMIG" estimate stocks --stock1 "$FIX/f2_s1.csv" --stock2 "$FIX/f2_s2.csv" --format json \
  > f2.json
python3 -c "import json,sys; d=json.load(open('f2.json')); assert d['converged'] and d['iterations']>0 and 'estimated' in d['provenance'], d"
"$KAZMIG" estimate stocks --stock1 "$FIX/f1_s1.csv" --stock2 "$FIX/f1_s2.csv" --with-provenance \
  | head -2 | tail -1 | grep -q 'estimated: flows from stocks' || fail "provenance column"

# --- stock differencing reference ------------------------------------------------------------
"$KAZMIG" estimate stocks --method diff --diff-type zero --stock1 "$FIX/f2_s1.csv" \
  --stock2 "$FIX/diff_s2.csv" > dz.csv
check_flows dz.csv 0 orig,dest,flow A,B,15 A,C,0 A,D,15 B,A,0 B,C,5 B,D,5 C,A,20 C,B,0 C,D,0 \
  D,A,0 D,B,25 D,C,0
"$KAZMIG" estimate stocks --method diff --diff-type return --stock1 "$FIX/f2_s1.csv" \
  --stock2 "$FIX/diff_s2.csv" > dr.csv
check_flows dr.csv 0 orig,dest,flow A,B,15 A,C,0 A,D,25 B,A,0 B,C,5 B,D,5 C,A,25 C,B,0 C,D,15 \
  D,A,0 D,B,25 D,C,30

# --- rates ---------------------------------------------------------------------------------------
"$KAZMIG" estimate stocks --method rates --rates-type dennett --total 255 \
  --stock1 "$FIX/f2_s1.csv" --stock2 "$FIX/f2_s2.csv" > dn.csv
grep -qx 'A,B,10' dn.csv || fail "dennett A,B should be 255 * 10 / 255"
set +e
"$KAZMIG" estimate stocks --method rates --stock1 "$FIX/f2_s1.csv" --stock2 "$FIX/f2_s2.csv" \
  2> err.txt
rc=$?
set -e
[ $rc -eq 2 ] || fail "dennett without --total: exit $rc, expected 2"

# --- ipf (cm2 reference) --------------------------------------------------------------------------
"$KAZMIG" estimate ipf --seed "$FIX/cm2_seed.csv" --row-totals "$FIX/cm2_rows.csv" \
  --col-totals "$FIX/cm2_cols.csv" > ipf.csv
check_flows ipf.csv 2e-5 orig,dest,flow A,A,13.250194 A,B,4.749808 B,A,2.749806 B,B,17.250192
"$KAZMIG" estimate ipf --seed "$FIX/cm2_seed.csv" --row-totals "$FIX/cm2_rows.csv" \
  --col-totals "$FIX/cm2_cols.csv" --format json > ipf.json
python3 - <<'PY'
import json
d = json.load(open("ipf.json"))
for key in ("alpha", "beta", "iterations", "max_margin_error"):
    assert key in d, key
assert abs(d["alpha"][0] - 2.4853919) < 1e-5 and abs(d["beta"][1] - 0.9555451) < 1e-5, d
assert d["max_margin_error"] <= 1e-10
PY

# --- net-constrained flows ----------------------------------------------------------------------
for method in ipf entropy; do
  "$KAZMIG" estimate net --prior "$FIX/net_prior.csv" --net "$FIX/net.csv" --method $method \
    > net_$method.csv
  check_flows net_$method.csv 0.005 orig,dest,flow A,B,80.58 A,C,26.05 A,D,34.78 B,A,62.05 \
    B,C,48.48 B,D,3.08 C,A,69.11 C,B,32.48 C,D,22.89 D,A,40.25 D,B,40.55 D,C,34.95
done

# Agency dialect: ';' separator and decimal comma are detected.
printf 'region;value\nA;30,0\nB;40,0\nC;-15,0\nD;-55,0\n' > net_semicolon.csv
"$KAZMIG" estimate net --prior "$FIX/net_prior.csv" --net net_semicolon.csv > net_sc.csv
cmp -s net_sc.csv net_ipf.csv || fail "semicolon / decimal comma nets give a different answer"

# --- rescale-net ----------------------------------------------------------------------------------
"$KAZMIG" estimate rescale-net --net "$FIX/net_unbalanced.csv" --integer > rescaled.csv
python3 -c "import csv; r=list(csv.DictReader(open('rescaled.csv'))); assert sum(float(x['value']) for x in r)==0, r"
"$KAZMIG" estimate rescale-net --net "$FIX/net_unbalanced.csv" --method switches > sw.csv
grep -qx 'D,-51.25' sw.csv || fail "switches subtracts the mean (5/4)"

# --- residual ---------------------------------------------------------------------------------
printf 'region,value\nA,1000\nB,500\n' > p0.csv
printf 'region,value\nA,1100\nB,480\n' > p1.csv
printf 'region,value\nA,30\nB,10\n' > b.csv
printf 'region,value\nA,20\nB,5\n' > d.csv
"$KAZMIG" estimate residual --method vital --pop0 p0.csv --pop1 p1.csv --births b.csv \
  --deaths d.csv > vital.csv
[ "$(cat vital.csv)" = "$(printf 'region,value\nA,90\nB,-25')" ] || fail "vital statistics"
printf 'region,age,value\nA,0,100\nA,5,200\nA,10,300\n' > a0.csv
printf 'region,age,value\nA,0,90\nA,5,110\nA,10,170\n' > a1.csv
printf 'region,age,value\nall,0,0.9\nall,5,0.8\n' > s.csv
"$KAZMIG" estimate residual --method survival --pop0 a0.csv --pop1 a1.csv --survival s.csv \
  --survival-type forward > surv.csv
check_flows surv.csv 1e-9 region,age,value A,5,20 A,10,10

# --- bad input: exit 3 with FILE:LINE:COLUMN ------------------------------------------------------
expect_input_error() {  # pattern command...
  local pattern=$1
  shift
  expect_exit 3 "$pattern" "$@"
}
printf 'pob,por,stock\nA,A,10\nA,B,-1\n' > neg.csv
expect_input_error 'neg.csv:3:3: .*negative' "$KAZMIG" estimate stocks --stock1 neg.csv \
  --stock2 "$FIX/f1_s2.csv"
printf 'pob,por,stock\nA,A,10\nB,B,10\nE,A,1\nC,C,1\nD,D,1\n' > other.csv
expect_input_error 'other.csv:4:1: .*place .E. is not in' "$KAZMIG" estimate stocks \
  --stock1 "$FIX/f1_s1.csv" --stock2 other.csv
printf 'region,value\nA,1\nZ,2\n' > births.csv
expect_input_error 'births.csv:3:1: .*unknown region .Z.' "$KAZMIG" estimate stocks \
  --stock1 "$FIX/f1_s1.csv" --stock2 "$FIX/f1_s2.csv" --births births.csv
expect_input_error 'cm2_cols_bad.csv: column totals sum to 41' "$KAZMIG" estimate ipf \
  --seed "$FIX/cm2_seed.csv" --row-totals "$FIX/cm2_rows.csv" --col-totals "$FIX/cm2_cols_bad.csv"
expect_input_error 'net_unbalanced.csv: nets sum to 5' "$KAZMIG" estimate net \
  --prior "$FIX/net_prior.csv" --net "$FIX/net_unbalanced.csv"

# Asked to rescale, the same inputs run.
"$KAZMIG" estimate ipf --seed "$FIX/cm2_seed.csv" --row-totals "$FIX/cm2_rows.csv" \
  --col-totals "$FIX/cm2_cols_bad.csv" --rescale-margins --quiet > /dev/null
"$KAZMIG" estimate net --prior "$FIX/net_prior.csv" --net "$FIX/net_unbalanced.csv" \
  --rescale-net --quiet > /dev/null

# --- non-convergence: exit 1 with the figures ---------------------------------------------------
printf 'orig,dest,flow\nA,A,0\nA,B,0\nB,A,1\nB,B,1\n' > infeasible.csv
set +e
"$KAZMIG" estimate ipf --seed infeasible.csv --row-totals "$FIX/cm2_rows.csv" \
  --col-totals "$FIX/cm2_rows.csv" --max-iterations 30 > /dev/null 2> err.txt
rc=$?
set -e
[ $rc -eq 1 ] || fail "non-convergence: exit $rc, expected 1"
grep -q 'did not converge after 30 iterations' err.txt || fail "non-convergence message"

# --- usage error ---------------------------------------------------------------------------------
set +e
"$KAZMIG" estimate stocks --stock1 "$FIX/f1_s1.csv" > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || fail "missing --stock2: exit $rc, expected 2"

echo "estimate_cli_test: OK"
