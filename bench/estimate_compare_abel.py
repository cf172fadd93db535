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
import sys

from abel_published import add_common_args, input_dirs, load_published, period_stocks, stocks_flows

CORRIDORS = ["RUS", "DEU", "UZB", "CHN", "UKR", "KGZ", "TUR", "BLR", "USA", "ISR"]


def run(kazmig, s1, s2, *extra):
    return {(o, d): flow for o, d, flow in stocks_flows(kazmig, s1, s2, *extra)
            if "KAZ" in (o, d)}


def main():
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    args = parser.parse_args()
    dirs = input_dirs(args.shared)
    if dirs is None:
        print("SKIP: ../shared/data not present")
        return 0
    stocks, abel_dir = dirs
    published = load_published(
        abel_dir, ("flow_sd_drop_neg", "flow_da_min_closed", "flow_da_pb_closed"))
    exact_checked = exact_failed = 0
    for y0 in range(1990, 2020, 5):
        y1 = y0 + 5
        s1, s2 = period_stocks(stocks, y0)
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
