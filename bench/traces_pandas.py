#!/usr/bin/python3
"""A straightforward pandas implementation of Chi et al. (2020) segment-based migration detection.

This is the tool a researcher would otherwise write (pandas + numpy, one groupby over users), used
by bench/traces_bench.sh as the side-by-side reference for `kazmig traces detect`. It follows the
same rules as g-chi/migration_detector (see docs/traces.md) with duplicates counted once, and
writes the same CSV columns, sorted by user id (as text) then migration date.

Usage: /usr/bin/python3 bench/traces_pandas.py EVENTS.csv > moves.csv
"""
import sys

import numpy as np
import pandas as pd

GAP, SMALL, PROP, OVERLAP, STAY, MAX_GAP = 7, 30, 0.6, 0, 90, 30


def natural_key(loc):
    text = str(loc)
    return (0, int(text), text) if text.isdigit() else (1, 0, text)


def runs(days):
    """Maximal runs of consecutive integers in a sorted array: list of (start, end)."""
    if len(days) == 0:
        return []
    breaks = np.where(np.diff(days) != 1)[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(days) - 1]))
    return [(int(days[s]), int(days[e])) for s, e in zip(starts, ends)]


def detect_user(records):
    """records: dict location -> sorted unique np.array of days. Returns a list of moves."""
    segs = {}
    for loc, days in records.items():
        filled = [days]
        diff = np.diff(days)
        for i in np.where((diff > 1) & (diff <= GAP))[0]:
            filled.append(np.arange(days[i] + 1, days[i + 1]))
        filled = np.unique(np.concatenate(filled))
        keep = []
        for s, e in runs(filled):
            length = e - s + 1
            observed = np.count_nonzero((days >= s) & (days <= e))
            if length >= SMALL and observed >= PROP * length:
                keep.append((s, e))
        if keep:
            segs[loc] = keep
    if len(segs) <= 1:
        return []
    merged = {}
    for loc, lst in segs.items():
        others = set()
        for other, olst in segs.items():
            if other != loc:
                for s, e in olst:
                    others.update(range(s, e + 1))
        out, cur = [], list(lst[0])
        for s, e in lst[1:]:
            gap = set(range(cur[1] + 1, s))
            if gap & others:
                out.append(tuple(cur))
                cur = [s, e]
            else:
                cur[1] = e
        out.append(tuple(cur))
        merged[loc] = out
    order = sorted(merged, key=natural_key)
    residences = []
    for loc in order:
        remaining = []
        for s, e in merged[loc]:
            cur = set(range(s, e + 1))
            for other in order:
                if other == loc:
                    continue
                for os_, oe in merged[other]:
                    inter = cur & set(range(os_, oe + 1))
                    if len(inter) > OVERLAP:
                        cur -= inter
            remaining.extend(cur)
        for s, e in runs(np.array(sorted(remaining), dtype=np.int64)):
            if e - s + 1 >= STAY:
                residences.append((s, e, order.index(loc), loc))
    if len({r[3] for r in residences}) < 2:
        return []
    residences.sort()
    moves = []
    for i, (hs, he, _, hloc) in enumerate(residences[:-1]):
        for ds, de, _, dloc in residences[i + 1:]:
            if dloc == hloc or ds - he < 1 - OVERLAP:
                continue
            if ds - he <= MAX_GAP:
                home_days = records[hloc]
                dest_days = records[dloc]
                home_bwn = home_days[(home_days >= he) & (home_days <= ds)]
                dest_bwn = dest_days[(dest_days >= he) & (dest_days <= ds)]
                cand = np.arange(he, ds + 1)
                err = (np.searchsorted(dest_bwn, cand, side="left")
                       + (len(home_bwn) - np.searchsorted(home_bwn, cand, side="right")))
                best = np.where(err == err.min())[0][-1]
                moves.append((hloc, dloc, int(cand[best]), ds - he - 1, int(err[best]), hs, he, ds, de))
            break
    return moves


def main():
    events = pd.read_csv(sys.argv[1], dtype={"user_id": str, "location": str, "date": str})
    events = events[["user_id", "date", "location"]]
    day = pd.to_datetime(events["date"].str.slice(0, 10).str.replace("-", ""), format="%Y%m%d")
    events["day"] = (day - pd.Timestamp("1970-01-01")).dt.days.astype(np.int64)
    events = events.drop_duplicates(["user_id", "location", "day"]).sort_values(["user_id", "location", "day"])
    rows = []
    for user, group in events.groupby("user_id", sort=True):
        records = {loc: g["day"].to_numpy() for loc, g in group.groupby("location", sort=False)}
        for m in detect_user(records):
            rows.append((user,) + m)
    ymd = lambda d: (pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(d))).strftime("%Y%m%d")
    out = pd.DataFrame(rows, columns=["user_id", "home", "destination", "migration_day", "uncertainty",
                                      "num_error_day", "hs", "he", "ds", "de"])
    out = out.sort_values(["user_id", "migration_day", "hs"], kind="stable")
    result = pd.DataFrame({
        "user_id": out["user_id"], "home": out["home"], "destination": out["destination"],
        "migration_date": out["migration_day"].map(ymd), "uncertainty": out["uncertainty"],
        "num_error_day": out["num_error_day"], "home_start_date": out["hs"].map(ymd),
        "home_end_date": out["he"].map(ymd), "destination_start_date": out["ds"].map(ymd),
        "destination_end_date": out["de"].map(ymd)})
    result.to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main()
