#!/usr/bin/env python3
"""Writes the two PPML benchmark tables (bench/ppml_bench.sh).

  ppml_make_data.py synthetic OUT.csv [--n 1000000] [--seed 1]
      fixest's benchmark design: n observations, two covariates, three fixed effects with
      n/43.5 (~23,000), n/435 (~2,300) and 23 levels drawn uniformly; y ~ Poisson(exp(0.5 x1 -
      0.3 x2 + a + b + c)), x1 ~ N(0, 1), x2 ~ U(-1, 1), effects ~ N(0, 0.3^2). Columns:
      y,x1,x2,fe1,fe2,fe3.
  ppml_make_data.py world DATA_DIR OUT.csv
      The world gravity panel from data/kz: every ordered pair of the 231 countries of
      world_abel_flows.csv (orig != dest) x the 6 periods 1990-1995 .. 2015-2020 (318,780 rows),
      flow = the Abel & Cohen estimate or 0 when the pair is absent, log_stock = log(1 + UN DESA
      stock of people born in orig living in dest) at the start of the period (0 when absent).
      Columns: flow,log_stock,orig_period,dest_period,pair.
"""
import argparse
import csv
import math
import random
import sys


def poisson(rng, mean):
    # Inversion for small means, a normal approximation rounded for large ones (benchmark data).
    if mean > 60:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def synthetic(out, n, seed):
    rng = random.Random(seed)
    levels = [max(1, round(n / 43.478)), max(1, round(n / 434.78)), 23]
    effects = [[rng.gauss(0, 0.3) for _ in range(count)] for count in levels]
    with open(out, "w", newline="") as handle:
        handle.write("y,x1,x2,fe1,fe2,fe3\n")
        rows = []
        for _ in range(n):
            codes = [rng.randrange(count) for count in levels]
            x1 = rng.gauss(0, 1)
            x2 = rng.uniform(-1, 1)
            eta = 0.5 * x1 - 0.3 * x2 + sum(effects[d][codes[d]] for d in range(3))
            y = poisson(rng, math.exp(eta))
            rows.append(f"{y},{x1:.6f},{x2:.6f},{codes[0]},{codes[1]},{codes[2]}\n")
            if len(rows) == 100000:
                handle.writelines(rows)
                rows.clear()
        handle.writelines(rows)


def world(data_dir, out):
    flows = {}
    countries = set()
    periods = []
    with open(f"{data_dir}/world_abel_flows.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            flows[(row["orig"], row["dest"], int(row["year"]))] = float(row["flow"])
            countries.add(row["orig"])
            countries.add(row["dest"])
            if int(row["year"]) not in periods:
                periods.append(int(row["year"]))
    stocks = {}
    with open(f"{data_dir}/world_un_stock.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            stocks[(row["pob"], row["por"], int(row["year"]))] = float(row["stock"])
    countries = sorted(countries)
    periods.sort()
    with open(out, "w", newline="") as handle:
        handle.write("flow,log_stock,orig_period,dest_period,pair\n")
        for year in periods:
            for orig in countries:
                for dest in countries:
                    if orig == dest:
                        continue
                    flow = flows.get((orig, dest, year), 0.0)
                    stock = stocks.get((orig, dest, year), 0.0)
                    handle.write(f"{flow:g},{math.log1p(stock):.10g},{orig}_{year},{dest}_{year},"
                                 f"{orig}_{dest}\n")
    print(f"{len(countries)} countries x {len(countries) - 1} x {len(periods)} periods",
          file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    syn = sub.add_parser("synthetic")
    syn.add_argument("out")
    syn.add_argument("--n", type=int, default=1000000)
    syn.add_argument("--seed", type=int, default=1)
    wor = sub.add_parser("world")
    wor.add_argument("data_dir")
    wor.add_argument("out")
    args = parser.parse_args()
    if args.what == "synthetic":
        synthetic(args.out, args.n, args.seed)
    else:
        world(args.data_dir, args.out)


if __name__ == "__main__":
    main()
