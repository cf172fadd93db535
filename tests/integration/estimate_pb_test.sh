#!/usr/bin/env bash
# Integration tests of `kazmig estimate stocks --method pb` (pseudo-Bayes blend of the closed
# demographic account towards independence): the limits of the blend on the F1 reference vector,
# the JSON record of K and the weights, usage errors (the comparison with Abel & Cohen's published
# flows, which needs ../shared/data, is estimate_pb_abel_test.sh).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIX="$KAZMIG_SOURCE_DIR/tests/fixtures/estimate"
cd "$tmp"
stocks=(--stock1 "$FIX/f1_s1.csv" --stock2 "$FIX/f1_s2.csv" --tol 1e-12)

# Same flows (orig, dest, flow rows) to an absolute tolerance.
same() {  # a.csv b.csv tol
  python3 - "$@" <<'PY' || fail "$1 and $2 differ"
import csv, sys
a = list(csv.reader(open(sys.argv[1])))
b = list(csv.reader(open(sys.argv[2])))
assert len(a) == len(b) and a[0] == b[0], (a[0], b[0])
for x, y in zip(a[1:], b[1:]):
    assert x[:2] == y[:2] and abs(float(x[2]) - float(y[2])) <= float(sys.argv[3]), (x, y)
PY
}

# Weight 0 is the closed estimate, weight 1 the independence estimate.
"$KAZMIG" estimate stocks "${stocks[@]}" > demo.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --stayer-assumption false > indep.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 0 > w0.csv
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 1 > w1.csv
same w0.csv demo.csv 1e-7
same w1.csv indep.csv 1e-7

# The default (BFH K per row) moves a little mass towards independence, fills the structural zero
# A->B, keeps every flow non-negative and records K and the weights.
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --format json > pb.json
python3 - pb.json demo.csv <<'PY' || fail "pb JSON"
import csv, json, sys
d = json.load(open(sys.argv[1]))
demo = {(r["orig"], r["dest"]): float(r["flow"]) for r in csv.DictReader(open(sys.argv[2]))}
pb = {(r["orig"], r["dest"]): r["flow"] for r in d["flows"]}
s = d["pseudo_bayes"]
assert d["converged"] and "pseudo-Bayes" in d["method"] and "estimated" in d["provenance"], d
assert s["level"] == "row" and s["k_rule"] == "BFH estimate per unit" and s["units"] == 15, s
assert 0 <= s["weight_min"] <= s["weight_median"] <= s["weight_max"] <= 1, s
assert 0 < s["weight_mean"] < 0.05, s
assert s["prior_total"] > s["closed_total"] > 0, s
assert min(pb.values()) >= 0 and pb[("A", "B")] > 0 and demo[("A", "B")] < 1e-9, pb
assert sum(pb.values()) > sum(demo.values()), (sum(pb.values()), sum(demo.values()))
assert d["max_margin_error"] == s["end_stock_margin_error"] > 0, d
PY

# With the refit the account is closed: start residents - out + in = end residents.
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-k 40 --pb-refit true --format json \
  > refit.json
python3 - refit.json "$FIX/f1_s1.csv" "$FIX/f1_s2.csv" <<'PY' || fail "refit closes the account"
import csv, json, sys
from collections import defaultdict
d = json.load(open(sys.argv[1]))
assert d["converged"] and d["pseudo_bayes"]["refit"] and d["max_margin_error"] <= 1e-10, d
res = [defaultdict(float), defaultdict(float)]
for k, path in enumerate(sys.argv[2:]):
    for r in csv.DictReader(open(path)):
        res[k][r["por"]] += float(r["stock"])
for place in res[0]:
    out = sum(r["flow"] for r in d["flows"] if r["orig"] == place)
    inn = sum(r["flow"] for r in d["flows"] if r["dest"] == place)
    assert abs(res[0][place] - out + inn - res[1][place]) < 1e-6, place
PY

# Usage errors exit 2.
set +e
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-k 1 --pb-weight 0.5 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--pb-k with --pb-weight should be a usage error"
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-weight 1.5 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--pb-weight outside [0, 1] should be a usage error"
"$KAZMIG" estimate stocks "${stocks[@]}" --method pb --pb-level origin > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown --pb-level should be a usage error"
set -e
echo "ok"
