#!/usr/bin/env bash
# `kazmig estimate kz-od`: the estimated inter-regional OD matrix of Kazakhstan from the built-in
# data reproduces the official regional nets, carries its provenance, and its sensitivity bands
# contain the central estimate.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$tmp"
NETS="$KAZMIG_SOURCE_DIR/data/kz/net_internal.csv"
[ -f "$NETS" ] || skip "data/kz/net_internal.csv not present"

"$KAZMIG" --db "$tmp/k.db" estimate kz-od --year 2023 --sensitivity --with-provenance --quiet \
  > od.csv
python3 - od.csv "$NETS" <<'PY' || fail "kz-od 2023"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 20 * 19, len(rows)
assert all(r["provenance"].startswith("estimated: model-based") for r in rows)
net = {}
for r in rows:
    flow, low, high = float(r["flow"]), float(r["flow_low"]), float(r["flow_high"])
    assert 0 <= low <= flow * (1 + 1e-9) and flow <= high * (1 + 1e-9), r
    net[r["dest"]] = net.get(r["dest"], 0) + flow
    net[r["orig"]] = net.get(r["orig"], 0) - flow
official = {r["region"]: float(r["value"]) for r in csv.DictReader(open(sys.argv[2]))
            if r["year"] == "2023"}
# The official nets sum to zero here; the estimate reproduces each one (to 1e-6 persons).
assert abs(sum(official.values())) < 1e-6, sum(official.values())
for region, value in official.items():
    assert abs(net[region] - value) < 1e-6 * max(1, abs(value)), (region, net[region], value)
PY
"$KAZMIG" --db "$tmp/k.db" estimate kz-od --year 2023 --decay 2 --total 200000 --format json \
  --quiet > od.json
python3 -c "
import json; d = json.load(open('od.json'))
assert d['decay'] == 2 and d['total'] == 200000 and d['max_margin_error'] <= 1e-10, d
assert 'estimated' in d['provenance'] and len(d['flows']) == 380"

set +e
"$KAZMIG" --db "$tmp/k.db" estimate kz-od --year 1990 > /dev/null 2> err.txt
rc=$?
set -e
# A year without data is a selection error (exit 3) naming the years that have data (issue 18).
[ $rc -eq 3 ] || fail "a year without data: exit $rc, expected 3"
grep -q 'no data for 1990; years with data: 2022–2024' err.txt || fail "message: $(cat err.txt)"
echo "estimate_kz_od_test: OK"
