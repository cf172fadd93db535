#!/usr/bin/env bash
# kazmig traces detect agrees byte for byte with the straightforward pandas implementation
# (bench/traces_pandas.py) on noisy simulated traces (trips, overlaps, sparse users).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
/usr/bin/python3 -c "import pandas, numpy" 2>/dev/null ||
  skip "/usr/bin/python3 with pandas and numpy not available"
"$KAZMIG" traces simulate --users 300 --days 500 --seed 9 --trip-rate 0.005 --misattribution 0.05 \
  --activity-alpha 6 --activity-beta 2 --blackout-rate 0.003 --out-events "$tmp/ev.csv" \
  --out-truth "$tmp/truth.csv"
"$KAZMIG" traces detect --input "$tmp/ev.csv" >"$tmp/kazmig.csv"
/usr/bin/python3 "$KAZMIG_SOURCE_DIR/bench/traces_pandas.py" "$tmp/ev.csv" >"$tmp/pandas.csv"
[ "$(wc -l <"$tmp/kazmig.csv")" -gt 20 ]
diff "$tmp/pandas.csv" "$tmp/kazmig.csv"
echo "traces vs pandas: OK"
