#!/usr/bin/env python3
"""Kazakhstan's corridors: kazmig's flows from the UN stock tables against Abel's published ones.

    bench/estimate_compare_abel.py [--kazmig build/bin/kazmig] [--shared ../shared/data]

For each 5-year period it runs `kazmig estimate stocks` (demographic accounting, defaults; and
stock differencing) on ../shared/data/undesa_global_stocks and prints, for the largest corridors
into and out of Kazakhstan, kazmig's flow next to Abel's published figures (the
abel_flows_undesa_stock_x80110 tables). Stock differencing has the same inputs as Abel's
`flow_sd_drop_neg` and must agree exactly; demographic accounting does not have the same inputs
(the shared data has no births and deaths, which Abel & Cohen take from the UN WPP, and their
recommended series is pseudo-Bayesian), so it is shown for information, with the ratio.
"""
import argparse
import csv
import io
import os
import subprocess
import sys

CORRIDORS = ["RUS", "DEU", "UZB", "CHN", "UKR", "KGZ", "TUR", "BLR", "USA", "ISR"]


def run(kazmig, s1, s2, *extra):
    out = subprocess.run([kazmig, "estimate", "stocks", "--stock1", s1, "--stock2", s2, "--quiet",
                          *extra], check=True, capture_output=True, text=True).stdout
    return {(r["orig"], r["dest"]): float(r["flow"]) for r in csv.DictReader(io.StringIO(out))
            if "KAZ" in (r["orig"], r["dest"])}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--kazmig", default=os.path.join(here, "..", "build", "bin", "kazmig"))
    parser.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    args = parser.parse_args()
    stocks = os.path.join(args.shared, "undesa_global_stocks")
    abel_dir = os.path.join(args.shared, "abel_flows_undesa_stock_x80110")
    if not os.path.isdir(stocks) or not os.path.isdir(abel_dir):
        print("SKIP: ../shared/data not present")
        return 0
    iso = {r["origin_name"]: r["origin_iso"]
           for r in csv.DictReader(open(os.path.join(abel_dir, "country-metadata-flags.csv")))}
    published = {}
    for r in csv.DictReader(open(os.path.join(abel_dir, "kazakhstan_bilateral_all_methods.csv"))):
        if r["sex"] == "both":
            key = (r["dataset"], int(r["year_or_year0"]), iso.get(r["orig"]), iso.get(r["dest"]))
            published[key] = float(r["value"])
    exact_checked = exact_failed = 0
    for y0 in range(1990, 2020, 5):
        y1 = y0 + 5
        s1 = os.path.join(stocks, f"stock_{y0}_{y1}_at{y0}.csv")
        s2 = os.path.join(stocks, f"stock_{y0}_{y1}_at{y1}.csv")
        demo = run(args.kazmig, s1, s2)
        diff = run(args.kazmig, s1, s2, "--method", "diff")
        for key, value in diff.items():
            ref = published.get(("flow_sd_drop_neg", y0, *key))
            if ref is not None:
                exact_checked += 1
                exact_failed += abs(ref - value) >= 0.5
        print(f"\n{y0}-{y1}  (kazmig demo: b = d = 0; A&C: with WPP births/deaths)")
        print(f"{'corridor':<10}{'kazmig demo':>14}{'A&C da_min_closed':>19}{'ratio':>8}"
              f"{'A&C da_pb_closed':>18}{'ratio':>8}")
        for other in CORRIDORS:
            for key in (("KAZ", other), (other, "KAZ")):
                ours = demo.get(key)
                if ours is None:
                    continue
                cells = [f"{key[0]}>{key[1]:<6}", f"{ours:>14,.0f}"]
                for dataset in ("flow_da_min_closed", "flow_da_pb_closed"):
                    ref = published.get((dataset, y0, *key))
                    ratio = f"{ours / ref:8.2f}" if ref else f"{'-':>8}"
                    cells.append(f"{ref:>18,.0f}" if ref is not None else f"{'-':>18}")
                    cells.append(ratio)
                print("".join(cells))
    print(f"\nstock differencing vs flow_sd_drop_neg: {exact_checked} corridors, "
          f"{exact_failed} differ by 0.5 or more")
    return 1 if exact_failed else 0


if __name__ == "__main__":
    sys.exit(main())
