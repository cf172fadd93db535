#!/usr/bin/env bash
# Integration tests of `kazmig estimate stocks --method pb` (pseudo-Bayesian closed demographic
# accounting, Abel & Cohen's da_pb_closed: (1 - w) * demo + w * independence) on the hand-worked
# example of pseudo_bayes_test.cc (F1 with births and deaths): the limits w = 0 and w = 1, the
# linear mix in between, the JSON record, and the usage errors. The world parity check, which
# needs ../shared/data, is estimate_pb_parity_test.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIX="$KAZMIG_SOURCE_DIR/tests/fixtures/estimate"
cd "$tmp"
stocks=(--stock1 "$FIX/pb_s1.csv" --stock2 "$FIX/pb_s2.csv" --births "$FIX/pb_births.csv"
  --deaths "$FIX/pb_deaths.csv")

# Weight 0 is demo, weight 1 the independence estimate, byte for byte.
"$KAZMIG" estimate stocks "${stocks[@]}" > demo.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --stayer-assumption false > indep.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 0 > w0.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 1 > w1.csv
cmp -s w0.csv demo.csv || fail "--pb-weight 0 differs from --method demo"
cmp -s w1.csv indep.csv || fail "--pb-weight 1 differs from --stayer-assumption false"

# The default is 0.13 and every flow is 0.87 demo + 0.13 independence; the JSON names the weight,
# its source and both fits.
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --format json > pb.json
python3 - pb.json demo.csv indep.csv <<'PY' || fail "pb JSON"
import csv, json, sys
d = json.load(open(sys.argv[1]))
demo, ind = ({(r["orig"], r["dest"]): float(r["flow"]) for r in csv.DictReader(open(p))}
             for p in sys.argv[2:])
assert d["converged"] and "pseudo-Bayesian" in d["method"], d["method"]
assert d["weight"] == 0.13 and "da_pb_closed" in d["weight_source"], d
assert "weight=0.13 (default" in d["provenance"] and "estimated" in d["provenance"], d
for part in ("min", "ind"):
    fit = d["components"][part]
    assert fit["converged"] and fit["iterations"] >= 1 and fit["max_margin_error"] < 1e-6, fit
assert d["iterations"] == d["components"]["min"]["iterations"] + d["components"]["ind"]["iterations"]
for r in d["flows"]:
    key = (r["orig"], r["dest"])
    assert abs(r["flow"] - (0.87 * demo[key] + 0.13 * ind[key])) < 1e-9, (key, r["flow"])
PY
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 0.13 --format json > given.json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["weight_source"] == "--pb-weight", d' \
  given.json || fail "weight source of --pb-weight"

# Usage errors exit 2 and say why.
for option in --pb-level --pb-k --pb-refit; do
  expect_exit -F 2 "$option was removed" "$KAZMIG" estimate stocks "${stocks[@]}" --method pb \
    "$option" 1
done
expect_exit -F 2 "--pb-weight must be in [0, 1]" "$KAZMIG" estimate stocks "${stocks[@]}" \
  --method pb --pb-weight 1.5
expect_exit -F 2 "--pb-weight must be in [0, 1]" "$KAZMIG" estimate stocks "${stocks[@]}" \
  --method pb --pb-weight -0.1
expect_exit -F 2 "--pb-weight applies to --method pb only" "$KAZMIG" estimate stocks \
  "${stocks[@]}" --pb-weight 0.2
expect_exit -F 2 "--stayer-assumption applies to --method demo" "$KAZMIG" estimate stocks \
  "${stocks[@]}" --method pb --stayer-assumption false
expect_exit -F 2 "closed demographic accounts" "$KAZMIG" estimate stocks \
  --stock1 "$FIX/pb_s1.csv" --stock2 "$FIX/pb_s2.csv" --deaths "$FIX/pb_deaths.csv" --method pb
expect_exit -F 2 "closed demographic accounts" "$KAZMIG" estimate stocks \
  --stock1 "$FIX/pb_s1.csv" --stock2 "$FIX/pb_s2.csv" --births "$FIX/pb_births.csv" --method pb
echo "estimate_pb_test: ok"
