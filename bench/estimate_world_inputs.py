#!/usr/bin/env python3
"""Writes the 231 x 231 inputs of the `estimate ipf` and `estimate net` whole-command benchmarks
(bench/estimate_small_bench.sh, bench/outputs_identical.sh) from Abel & Cohen's flows between the
231 countries (abel_flows_undesa_stock_x80110, da_pb_closed, both sexes):

  seed.csv  orig,dest,flow   every ordered pair: the 2010-2015 flow + 1 (0 on the diagonal)
  rows.csv  region,value     2015-2020 emigrants of each country + 230
  cols.csv  region,value     2015-2020 immigrants of each country + 230
  net.csv   region,value     cols - rows (sums to 0)

  python3 bench/estimate_world_inputs.py SHARED_DATA OUT_DIR
"""
import csv
import sys
from collections import defaultdict

shared, out = sys.argv[1], sys.argv[2]
path = f"{shared}/abel_flows_undesa_stock_x80110/abel_cohen_flows_da_pb_closed_bothsexes.csv"
rows = list(csv.DictReader(open(path, newline="")))
names = sorted({r["orig"] for r in rows} | {r["dest"] for r in rows})


def flows(year):
    m = defaultdict(int)
    for r in rows:
        if r["year0"] == year:
            m[(r["orig"], r["dest"])] += int(float(r["flow"]))
    return m


prior, later = flows("2010"), flows("2015")
with open(f"{out}/seed.csv", "w") as f:
    f.write("orig,dest,flow\n")
    for i in names:
        for j in names:
            f.write(f"{i},{j},{0 if i == j else prior[(i, j)] + 1}\n")
out_total, in_total = defaultdict(int), defaultdict(int)
for (i, j), v in later.items():
    if i != j:
        out_total[i] += v
        in_total[j] += v
for i in names:
    out_total[i] += len(names) - 1
    in_total[i] += len(names) - 1
for name, values in (("rows", out_total), ("cols", in_total)):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write("region,value\n")
        f.writelines(f"{i},{values[i]}\n" for i in names)
with open(f"{out}/net.csv", "w") as f:
    f.write("region,value\n")
    f.writelines(f"{i},{in_total[i] - out_total[i]}\n" for i in names)
