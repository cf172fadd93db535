"""What the bench scripts comparing kazmig with Abel & Cohen's published flows share.

    from abel_published import add_common_args, input_dirs, load_published, period_stocks, stocks_flows

- add_common_args(parser): --kazmig (default build/bin/kazmig) and --shared (../shared/data).
- input_dirs(shared): (undesa_global_stocks, abel_flows_undesa_stock_x80110) or None when absent.
- load_published(abel_dir, datasets): {(dataset, year0, orig ISO3, dest ISO3): value} for both
  sexes from kazakhstan_bilateral_all_methods.csv (names mapped through country-metadata-flags.csv;
  rows of other datasets, or names without an ISO3 code, are left out).
- period_stocks(stocks, y0): the stock files at the start and end of the period y0 .. y0 + 5.
- stocks_flows(kazmig, s1, s2, *extra): [(orig, dest, flow)] from `kazmig estimate stocks`.
"""
import csv
import io
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def add_common_args(parser):
    parser.add_argument("--kazmig", default=os.path.join(HERE, "..", "build", "bin", "kazmig"))
    parser.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared", "data"))


def input_dirs(shared):
    stocks = os.path.join(shared, "undesa_global_stocks")
    abel_dir = os.path.join(shared, "abel_flows_undesa_stock_x80110")
    if not os.path.isdir(stocks) or not os.path.isdir(abel_dir):
        return None
    return stocks, abel_dir


def load_published(abel_dir, datasets):
    with open(os.path.join(abel_dir, "country-metadata-flags.csv")) as f:
        iso = {r["origin_name"]: r["origin_iso"] for r in csv.DictReader(f)}
    published = {}
    with open(os.path.join(abel_dir, "kazakhstan_bilateral_all_methods.csv")) as f:
        for r in csv.DictReader(f):
            if r["sex"] != "both" or r["dataset"] not in datasets:
                continue
            o, d = iso.get(r["orig"]), iso.get(r["dest"])
            if o and d:
                published[(r["dataset"], int(r["year_or_year0"]), o, d)] = float(r["value"])
    return published


def period_stocks(stocks, y0):
    y1 = y0 + 5
    return (os.path.join(stocks, f"stock_{y0}_{y1}_at{y0}.csv"),
            os.path.join(stocks, f"stock_{y0}_{y1}_at{y1}.csv"))


def stocks_flows(kazmig, s1, s2, *extra):
    out = subprocess.run([kazmig, "estimate", "stocks", "--stock1", s1, "--stock2", s2, "--quiet",
                          *extra], check=True, capture_output=True, text=True).stdout
    return [(r["orig"], r["dest"], float(r["flow"])) for r in csv.DictReader(io.StringIO(out))]
