#!/usr/bin/env bash
# The built-in dataset's estimated inter-regional OD matrix (data/kz/od_internal_estimated.csv),
# read back through the store (`kazmig data show`): one matrix for each year with complete official
# nets (2022-2024), every flow inside its band, every flow marked estimated, and the official net
# of each region and year reproduced to within the 2-decimal rounding of the file.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f "$KAZMIG_SOURCE_DIR/data/kz/od_internal_estimated.csv" ] ||
  skip "data/kz/od_internal_estimated.csv not present"

K() { "$KAZMIG" --db "$tmp/k.db" --quiet "$@"; }
K data init
K data list > "$tmp/list.csv"
grep -q '^od_internal_estimated,flows,persons,kz-2022,2022,2024,1140,380,estimated,' "$tmp/list.csv" ||
  fail "data list: $(grep od_internal "$tmp/list.csv")"
K data show od_internal_estimated --with-provenance > "$tmp/od.csv"
K data show net_internal --vintage kz-2022 > "$tmp/net.csv"
K data show od_internal_estimated --year 2024 --format table > "$tmp/od2024.txt"
head -1 "$tmp/od2024.txt" | grep -q 'low *high' || fail "data show --format table has no band"
[ "$(grep -c ' 2024 ' "$tmp/od2024.txt")" -eq 380 ] || fail "data show --year 2024: not 380 rows"

python3 - "$tmp/od.csv" "$tmp/net.csv" <<'PY' || fail "stored matrix"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
years = sorted({r["year"] for r in rows})
assert years == ["2022", "2023", "2024"], years
assert len(rows) == 3 * 20 * 19, len(rows)
for r in rows:
    assert r["provenance"].startswith("estimated: model-based"), r["provenance"]
    low, flow, high = float(r["low"]), float(r["value"]), float(r["high"])
    assert 0 <= low <= flow <= high, r
    assert r["orig"] != r["dest"], r
# Nets: 19 rounded inflows and 19 rounded outflows per region, each off by at most 0.005.
tolerance = 2 * 19 * 0.005 + 1e-9
official = {(r["region"], r["year"]): float(r["value"]) for r in csv.DictReader(open(sys.argv[2]))}
net = {}
for r in rows:
    flow = float(r["value"])
    net[(r["dest"], r["year"])] = net.get((r["dest"], r["year"]), 0) + flow
    net[(r["orig"], r["year"])] = net.get((r["orig"], r["year"]), 0) - flow
assert len(net) == 3 * 20, len(net)
worst = max(abs(net[k] - official[k]) for k in net)
assert worst <= tolerance, ("net off by", worst)
# Not a flat matrix: the band is a real range somewhere.
assert any(float(r["high"]) - float(r["low"]) > 1 for r in rows)
print(f"largest net difference {worst:.3f} persons (rounding bound {tolerance:.2f})")
PY
echo "data_od_estimated_test: ok"
